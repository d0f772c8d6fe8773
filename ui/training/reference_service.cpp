#include "ui/training/reference_service.h"

#include <QElapsedTimer>
#include <cmath>

namespace bayeslab::ui {

namespace {

PairView pairFromMoments(const PairDraws& draws) {
  PairView view;
  view.present = true;
  const PairMoments m = pairMoments(draws);
  view.meanA = m.meanA;
  view.meanB = m.meanB;
  view.sdA = std::sqrt(m.varA);
  view.sdB = std::sqrt(m.varB);
  view.correlation = view.sdA > 0 && view.sdB > 0 ? m.cov / (view.sdA * view.sdB) : 0.0;
  view.fullCovariance = true;
  view.draws = draws;
  return view;
}

PairView pairFromMarginals(const Vector& mean, const Vector& sd, Index a, Index b) {
  PairView view;
  view.present = true;
  view.meanA = mean(a);
  view.meanB = mean(b);
  view.sdA = sd(a);
  view.sdB = sd(b);
  return view;
}

ReferenceComparison compare(const Vector& mean, const Vector& sd, const Vector& refMean,
                            const Vector& refSd) {
  ReferenceComparison c;
  c.parameters = mean.size();
  c.minStdRatio = INFINITY;
  c.maxStdRatio = 0.0;
  for (Index i = 0; i < mean.size(); ++i) {
    const double ref = std::max(static_cast<double>(refSd(i)), 1e-12);
    c.maxMeanError = std::max(c.maxMeanError, std::abs(mean(i) - refMean(i)) / ref);
    c.minStdRatio = std::min(c.minStdRatio, sd(i) / ref);
    c.maxStdRatio = std::max(c.maxStdRatio, sd(i) / ref);
  }
  return c;
}

// KL(N(mu, diag(s^2)) || N(m, Lambda^-1))
//   = 1/2 [tr(Lambda S) + (m - mu)^T Lambda (m - mu) - P - log det Lambda - sum log s_i^2].
double factorisedKl(const Vector& mu, const Vector& s, const LinearRegressionPosterior& exact) {
  const Eigen::VectorXd mean = mu.cast<double>(), var = s.cast<double>().array().square();
  if ((var.array() <= 0.0).any()) return ReferenceFrame::kNaN;
  const Eigen::MatrixXd& precision = exact.precision;
  const Eigen::LLT<Eigen::MatrixXd> llt(precision);
  if (llt.info() != Eigen::Success) return ReferenceFrame::kNaN;
  const double logDetPrecision = 2.0 * llt.matrixL().toDenseMatrix().diagonal().array().log().sum();
  const Eigen::VectorXd d = exact.mean - mean;
  const double trace = (precision.diagonal().array() * var.array()).sum();
  return 0.5 * (trace + d.dot(precision * d) - static_cast<double>(mean.size()) - logDetPrecision -
                var.array().log().sum());
}

}  // namespace

ReferenceFramePtr computeReferenceFrame(const ReferenceInputs& in) {
  QElapsedTimer clock;
  clock.start();
  auto frame = std::make_shared<ReferenceFrame>();
  frame->runId = in.runId;
  frame->step = in.step;
  frame->a = in.a;
  frame->b = in.b;
  const Posterior& posterior = *in.posterior;
  const Index P = posterior.layout().parameterCount();
  if (in.a >= P || in.b >= P) return frame;
  const Vector mean = posterior.flatMean(), sd = posterior.flatStd();

  // The method: its draws when it has any, else its means and sds.
  const bool sampler = !posterior.trace(in.a).empty();
  frame->methodKind = sampler ? PosteriorKind::Samples : posterior.summary().kind;
  if (frame->methodKind == PosteriorKind::Samples) {
    const PairDraws draws = pairDraws(posterior, in.a, in.b, in.maxDraws);
    frame->method =
        draws.empty() ? pairFromMarginals(mean, sd, in.a, in.b) : pairFromMoments(draws);
  } else {
    frame->method = pairFromMarginals(mean, sd, in.a, in.b);
  }

  if (in.exact) {
    const LinearRegressionPosterior& e = *in.exact;
    PairView& x = frame->exact;
    x.present = true;
    x.meanA = e.mean(in.a);
    x.meanB = e.mean(in.b);
    x.sdA = std::sqrt(e.covariance(in.a, in.a));
    x.sdB = std::sqrt(e.covariance(in.b, in.b));
    x.correlation = in.a == in.b ? 1.0 : e.covariance(in.a, in.b) / (x.sdA * x.sdB);
    x.fullCovariance = true;
    frame->logEvidence = e.logEvidence;
    const ExactComparison c = compareWithExact(posterior, e);
    frame->vsExact = ReferenceComparison{c.maxMeanError, c.minStdRatio, c.maxStdRatio, P};
    if (in.variational && frame->methodKind == PosteriorKind::Gaussian)
      frame->closedFormKl = factorisedKl(mean, sd, e);
  }

  if (in.pinned) {
    const PinnedReference& pin = *in.pinned;
    const PairDraws draws = pairDraws(pin.samples, in.a, in.b, in.maxDraws);
    frame->pinned =
        draws.empty() ? pairFromMarginals(pin.mean, pin.std, in.a, in.b) : pairFromMoments(draws);
    if (pin.std.size() == P && (pin.std.array() > 0).all())
      frame->vsPinned = compare(mean, sd, pin.mean, pin.std);
  }

  if (in.grid && in.likelihood) {
    const Matrix& points = in.grid->points;
    frame->x.assign(points.data(), points.data() + points.cols());
    // Common random numbers from frame to frame: the band moves with the posterior only.
    const RandomStream rng = RandomStream(in.seed).derive("live-reference");
    const RegressionPredictive p =
        predictRegression(posterior, *in.likelihood, points, in.samples, rng, 1);
    frame->methodBand.mean.assign(p.mean.data(), p.mean.data() + p.mean.size());
    frame->methodBand.sdEpistemic.assign(p.stdEpistemic.data(),
                                         p.stdEpistemic.data() + p.stdEpistemic.size());
    frame->methodBand.sdTotal.assign(p.stdTotal.data(), p.stdTotal.data() + p.stdTotal.size());
    if (in.exact) {
      Eigen::VectorXd m, var;
      in.exact->predict(points.cast<double>(), m, var);
      const double noise = in.likelihood->noiseVariance(posterior.likelihoodParameters().data());
      PredictiveBand& band = frame->exactBand;
      for (Index i = 0; i < m.size(); ++i) {
        band.mean.push_back(m(i));
        band.sdEpistemic.push_back(std::sqrt(std::max(0.0, var(i))));
        band.sdTotal.push_back(std::sqrt(std::max(0.0, var(i)) + noise));
      }
    }
  }
  frame->milliseconds = static_cast<double>(clock.nsecsElapsed()) * 1e-6;
  return frame;
}

ReferenceService::ReferenceService(QThreadPool* pool, QObject* parent)
    : QObject(parent), m_runner(pool, [this](ReferenceFramePtr frame) {
        if (frame && m_run && frame->runId == m_run->runId) emit frameReady(std::move(frame));
      }) {
  qRegisterMetaType<ReferenceFramePtr>();
  m_runner.setMinimumInterval(kIntervalMs);
}

void ReferenceService::setRun(const RunInfoPtr& run) {
  m_runner.cancelWaiting();
  m_run = run;
  m_exact = run ? run->exact : nullptr;
  m_latest = run ? run->initialPosterior : nullptr;
  m_latestStep = 0;
  m_grid.reset();
  const Index P = run ? run->layout.parameterCount() : 0;
  m_a = 0;
  m_b = std::min<Index>(1, std::max<Index>(P - 1, 0));
  m_dirty = true;
  if (!run) return;
  const Dataset& train = run->data->train;
  if (train.task == Task::Regression && train.inputDim() == 1 && train.size() > 0)
    m_grid = std::make_shared<const Grid1D>(regressionGrid(train, kGridPoints));
  if (m_active) schedule();
}

void ReferenceService::setExact(std::shared_ptr<const LinearRegressionPosterior> exact) {
  if (exact == m_exact) return;
  m_exact = std::move(exact);
  m_dirty = true;
  if (m_active) schedule();
}

void ReferenceService::setPinned(PinnedReferencePtr pinned) {
  m_pinned = std::move(pinned);
  m_dirty = true;
  if (m_active) schedule();
}

void ReferenceService::setLatest(Index step, std::shared_ptr<const Posterior> posterior) {
  if (!m_run || !posterior) return;
  m_latest = std::move(posterior);
  m_latestStep = step;
  m_dirty = true;
  if (m_active) schedule();
}

void ReferenceService::setPair(Index a, Index b) {
  if (a == m_a && b == m_b) return;
  m_a = a;
  m_b = b;
  m_dirty = true;
  if (m_active) schedule();
}

void ReferenceService::setActive(bool active) {
  m_active = active;
  if (!active) {
    m_runner.cancelWaiting();
    return;
  }
  if (m_dirty) schedule();
}

PinnedReferencePtr ReferenceService::usablePin() const {
  if (!m_run || !m_pinned || !m_pinned->sameLayout(m_run->layout)) return nullptr;
  return m_pinned->sameData(m_run->data->train) ? m_pinned : nullptr;
}

bool ReferenceService::applies() const {
  return m_run && (m_exact || usablePin());
}

void ReferenceService::schedule() {
  if (!applies() || !m_latest) return;
  m_dirty = false;
  ReferenceInputs in;
  in.runId = m_run->runId;
  in.step = m_latestStep;
  in.posterior = m_latest;
  in.likelihood = m_run->likelihood;
  in.exact = m_exact;
  in.pinned = usablePin();
  in.grid = m_grid;
  in.variational = m_run->method->traits.variational;
  in.a = m_a;
  in.b = m_b;
  in.seed = m_run->config.training.seed;
  m_runner.submit([in = std::move(in)] { return computeReferenceFrame(in); });
}

}  // namespace bayeslab::ui
