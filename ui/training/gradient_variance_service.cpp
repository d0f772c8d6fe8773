#include "ui/training/gradient_variance_service.h"

#include <QElapsedTimer>
#include <cmath>
#include <exception>

namespace bayeslab::ui {

namespace {

// How an estimator compares with reparameterisation: the geometric mean of
// the two variance ratios (dD/dmu and dD/dsigma).
double ratioToReparameterisation(const GradientVariance& v, const GradientVariance& reference) {
  const auto ratio = [](double a, double b) { return b > 0.0 ? a / b : 1.0; };
  return std::sqrt(ratio(v.varianceMu, reference.varianceMu) *
                   ratio(v.varianceSigma, reference.varianceSigma));
}

// The estimator as a sentence names it.
QString readingName(GradientEstimatorKind kind) {
  switch (kind) {
    case GradientEstimatorKind::Reparameterisation:
      return QObject::tr("reparameterisation");
    case GradientEstimatorKind::LocalReparameterisation:
      return QObject::tr("LRT");
    case GradientEstimatorKind::Flipout:
      return QObject::tr("Flipout");
    case GradientEstimatorKind::ScoreFunction:
      return QObject::tr("score function");
  }
  return {};
}

QString joinNames(const QStringList& names) {
  if (names.size() <= 1) return names.join(QString());
  return QStringList(names.mid(0, names.size() - 1)).join(", ") + QObject::tr(" and ") +
         names.back();
}

}  // namespace

QString gradientVarianceReading(const std::vector<GradientVariance>& estimators) {
  const GradientVariance* reference = nullptr;
  for (const GradientVariance& v : estimators)
    if (v.estimator == GradientEstimatorKind::Reparameterisation) reference = &v;
  if (!reference || estimators.size() < 2) return {};
  // Buckets by factor: far below (< 1/10), below, about the same, above, far above (> 10).
  QStringList farBelow, below, same, above, farAbove;
  for (const GradientVariance& v : estimators) {
    if (&v == reference) continue;
    const double r = ratioToReparameterisation(v, *reference);
    const QString name = readingName(v.estimator);
    if (r < 0.1)
      farBelow << name;
    else if (r < 0.8)
      below << name;
    else if (r <= 1.25)
      same << name;
    else if (r <= 10.0)
      above << name;
    else
      farAbove << name;
  }
  // "LRT and Flipout below reparameterisation; score function far above."
  QStringList parts;
  const auto add = [&](const QStringList& names, const QString& first, const QString& later) {
    if (names.isEmpty()) return;
    parts << joinNames(names) + " " + (parts.isEmpty() ? first : later);
  };
  add(farBelow, QObject::tr("far below reparameterisation"), QObject::tr("far below"));
  add(below, QObject::tr("below reparameterisation"), QObject::tr("below"));
  add(same, QObject::tr("level with reparameterisation"), QObject::tr("about level"));
  add(above, QObject::tr("above reparameterisation"), QObject::tr("above"));
  add(farAbove, QObject::tr("far above reparameterisation"), QObject::tr("far above"));
  QString text = parts.join("; ") + ".";
  if (!text.isEmpty()) text[0] = text[0].toUpper();
  return text;
}

GradientVarianceFramePtr measureGradientVarianceFrame(const Posterior& posterior,
                                                      std::shared_ptr<const Likelihood> likelihood,
                                                      const Batch& batch,
                                                      const GradientVarianceOptions& options) {
  auto frame = std::make_shared<GradientVarianceFrame>();
  frame->batchSize = batch.size();
  frame->repetitions = options.repetitions;
  frame->mcSamples = options.mcSamples;
  const MlpLayout& layout = posterior.layout();
  for (Index l = 0; l < layout.layerCount(); ++l) {
    const LayerShape& shape = layout.layer(l);
    frame->layerNames
        << QObject::tr("layer %1 (%2\u2192%3)").arg(l + 1).arg(shape.inputs).arg(shape.outputs);
    frame->layerShapes
        << QObject::tr("L%1: %2\u2192%3").arg(l + 1).arg(shape.inputs).arg(shape.outputs);
  }
  const Vector spread = posterior.flatStd();
  frame->substitutedSpread = spread.size() == 0 || !(spread.minCoeff() > Real(0));
  QElapsedTimer clock;
  clock.start();
  try {
    frame->estimators = measureGradientVariance(posterior, std::move(likelihood), batch, options);
  } catch (const std::exception& e) {
    frame->error = QString::fromStdString(e.what());
  }
  frame->seconds = static_cast<double>(clock.nsecsElapsed()) * 1e-9;
  return frame;
}

GradientVarianceService::GradientVarianceService(QThreadPool* pool, QObject* parent)
    : QObject(parent), m_runner(pool, [this](GradientVarianceFramePtr frame) {
        emit busyChanged(isBusy());
        if (frame && m_run && frame->runId == m_run->runId) {
          m_measuredStep = frame->step;
          emit frameReady(std::move(frame));
        }
      }) {
  qRegisterMetaType<GradientVarianceFramePtr>();
  m_timer.setInterval(kAutoRefreshMs);
  connect(&m_timer, &QTimer::timeout, this, &GradientVarianceService::onTimer);
}

void GradientVarianceService::setRun(const RunInfoPtr& run) {
  m_runner.cancelWaiting();
  m_run = run;
  m_latest.reset();
  m_latestStep = 0;
  m_measuredStep = -1;
  m_batch.reset();
  if (!run || run->data->train.size() == 0) return;
  // One seeded minibatch of the run's batch size, fixed for the whole run.
  const Dataset& train = run->data->train;
  const Index size = std::min<Index>(run->config.training.batchSize, train.size());
  std::vector<Index> order(static_cast<size_t>(train.size()));
  for (Index i = 0; i < train.size(); ++i) order[static_cast<size_t>(i)] = i;
  RandomStream rng = RandomStream(run->config.training.seed).derive("gradient-variance-batch");
  rng.shuffle(order.begin(), order.end());
  auto batch = std::make_shared<Batch>();
  batch->gather(train, order.data(), size);
  m_batch = std::move(batch);
}

void GradientVarianceService::setLatest(Index step, std::shared_ptr<const Posterior> posterior) {
  if (!posterior) return;
  m_latest = std::move(posterior);
  m_latestStep = step;
}

void GradientVarianceService::setActive(bool active) {
  const bool shown = active && !m_active;
  m_active = active;
  if (m_active && m_auto)
    m_timer.start();
  else
    m_timer.stop();
  // Auto-refresh on a view that comes back on screen: measure now, not a period later.
  if (shown && m_auto) onTimer();
}

void GradientVarianceService::setAutoRefresh(bool on) {
  m_auto = on;
  if (m_active && m_auto)
    m_timer.start();
  else
    m_timer.stop();
  if (on) onTimer();
}

void GradientVarianceService::onTimer() {
  // Only when the posterior moved since the last measurement and none is running.
  if (!m_active || isBusy() || m_latestStep == m_measuredStep) return;
  measure();
}

void GradientVarianceService::measure() {
  if (!m_run || !m_latest || !m_batch) return;
  GradientVarianceOptions options;
  options.repetitions = m_repetitions;
  options.mcSamples = std::max(1, m_run->config.training.mcSamples);
  options.threads = 1;
  options.seed = m_run->config.training.seed;
  m_runner.submit([runId = m_run->runId, step = m_latestStep, posterior = m_latest,
                   likelihood = m_run->likelihood, batch = m_batch, options] {
    GradientVarianceFramePtr measured =
        measureGradientVarianceFrame(*posterior, likelihood, *batch, options);
    auto frame = std::const_pointer_cast<GradientVarianceFrame>(measured);
    frame->runId = runId;
    frame->step = step;
    return GradientVarianceFramePtr(std::move(frame));
  });
  emit busyChanged(true);
}

}  // namespace bayeslab::ui
