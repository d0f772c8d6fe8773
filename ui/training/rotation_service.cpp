#include "ui/training/rotation_service.h"

#include <QElapsedTimer>
#include <algorithm>

#include "engine/io/run_writer.h"

namespace bayeslab::ui {

namespace {

constexpr int kMaxOverlays = 4;

// The same stream as the CLI's rotation.csv, so the live curves and the
// exported ones agree, and frames differ only when the posterior does.
RandomStream rotationStream(std::uint64_t seed) {
  return RandomStream(seed).derive("rotation");
}

}  // namespace

RotationService::RotationService(QThreadPool* pool, QObject* parent)
    : QObject(parent),
      m_runner(pool, [this](RotationFramePtr frame) { onFrame(std::move(frame)); }) {
  qRegisterMetaType<RotationFramePtr>();
  m_runner.setMinimumInterval(1000 / kMaxPerSecond);
}

bool RotationService::compatible(const RunInfo& a, const RunInfo& b) const {
  const Dataset& x = a.data->test;
  const Dataset& y = b.data->test;
  return a.config.dataset.name == b.config.dataset.name && x.imageWidth == y.imageWidth &&
         x.imageHeight == y.imageHeight && x.classes == y.classes;
}

void RotationService::setRun(const RunInfoPtr& run) {
  m_runner.cancelWaiting();
  const bool images = run && run->data->train.isImage();
  if (m_run && m_latest && m_latestStep > 0 && images && compatible(*m_run, *run)) {
    // The old run's final state joins the comparison, one overlay per method.
    const std::string& id = m_run->method->id;
    std::erase_if(m_overlays, [&](const Overlay& o) { return o.methodId == id; });
    Overlay overlay;
    overlay.label = QString::fromStdString(m_run->method->displayName);
    overlay.methodId = id;
    overlay.posterior = m_latest;
    overlay.likelihood = m_run->likelihood;
    overlay.seed = m_run->config.training.seed;
    m_overlays.push_back(std::move(overlay));
    if (static_cast<int>(m_overlays.size()) > kMaxOverlays) m_overlays.erase(m_overlays.begin());
  } else if (!images || (m_run && !compatible(*m_run, *run))) {
    m_overlays.clear();
  }
  // The chosen digit stays when the images are the same; new images start from the default.
  const bool sameImages = m_run && images && m_run->config.dataset == run->config.dataset;
  m_run = images ? run : nullptr;
  m_latest.reset();
  m_latestStep = 0;
  m_computedStep = -1;
  for (Overlay& o : m_overlays) o.sweep.reset();
  if (!m_run) return;
  if (!sameImages || m_digit < 0 || m_digit >= candidateCount()) m_digit = defaultDigit();
}

void RotationService::setLatest(Index step, std::shared_ptr<const Posterior> posterior) {
  if (!m_run || !posterior) return;
  m_latest = std::move(posterior);
  m_latestStep = step;
  if (m_active) schedule();
}

void RotationService::setActive(bool active) {
  m_active = active;
  if (!active) {
    m_runner.cancelWaiting();
    return;
  }
  if (m_latest && m_computedStep != m_latestStep) schedule();
}

void RotationService::setDigit(Index candidate) {
  if (!m_run || candidate < 0 || candidate >= candidateCount() || candidate == m_digit) return;
  m_digit = candidate;
  m_computedStep = -1;
  if (m_active) schedule();
}

void RotationService::setAngleStep(double degrees) {
  if (!(degrees > 0.0) || degrees == m_angleStep) return;
  m_angleStep = degrees;
  m_computedStep = -1;
  if (m_active) schedule();
}

void RotationService::clearOverlays() {
  m_overlays.clear();
  m_computedStep = -1;
  if (m_active) schedule();
}

Index RotationService::candidateCount() const {
  if (!m_run) return 0;
  return m_run->data->test.size() + m_run->data->outOfDistribution.size();
}

const Dataset* RotationService::candidateSet(Index candidate, Index* column) const {
  if (!m_run || candidate < 0) return nullptr;
  const Dataset& test = m_run->data->test;
  const Dataset& ood = m_run->data->outOfDistribution;
  if (candidate < test.size()) {
    *column = candidate;
    return &test;
  }
  if (candidate - test.size() < ood.size()) {
    *column = candidate - test.size();
    return &ood;
  }
  return nullptr;
}

int RotationService::candidateLabel(Index candidate) const {
  Index column = 0;
  const Dataset* set = candidateSet(candidate, &column);
  return set ? set->labels(column) : -1;
}

bool RotationService::isOutOfDistribution(Index candidate) const {
  return m_run && candidate >= m_run->data->test.size();
}

Index RotationService::defaultDigit() const {
  if (!m_run) return 0;
  const Dataset& test = m_run->data->test;
  if (test.size() > 0 && firstOfClass(test.labels, 1) >= 0) return defaultRotationDigit(test);
  const Index ood = firstOfClass(m_run->data->outOfDistribution.labels, 1);
  return ood >= 0 ? test.size() + ood : 0;
}

void RotationService::schedule() {
  if (!m_run || !m_latest) return;
  Index column = 0;
  const Dataset* set = candidateSet(m_digit, &column);
  if (!set) return;
  m_computedStep = m_latestStep;

  struct OverlayJob {
    QString label;
    std::shared_ptr<const Posterior> posterior;
    std::shared_ptr<const Likelihood> likelihood;
    std::uint64_t seed;
    std::shared_ptr<const RotationSweep> cached;
  };
  std::vector<OverlayJob> overlays;
  for (const Overlay& o : m_overlays) {
    if (o.methodId == m_run->method->id) continue;  // the live curve is this method
    const bool fresh = o.sweep && o.digit == m_digit && o.angleStep == m_angleStep;
    overlays.push_back({o.label, o.posterior, o.likelihood, o.seed, fresh ? o.sweep : nullptr});
  }
  const Vector image = set->inputs.col(column);
  const int width = set->imageWidth, height = set->imageHeight;
  m_runner.submit([runId = m_run->runId, step = m_latestStep, digit = m_digit,
                   angleStep = m_angleStep, image, width, height, posterior = m_latest,
                   likelihood = m_run->likelihood, seed = m_run->config.training.seed,
                   overlays = std::move(overlays)]() -> RotationFramePtr {
    const auto sweepOf = [&](const Posterior& p, const Likelihood& l, std::uint64_t s) {
      return std::make_shared<const RotationSweep>(rotationSweep(
          p, l, image.data(), width, height, kSamples, rotationStream(s), 1, kMaxAngle, angleStep));
    };
    auto frame = std::make_shared<RotationFrame>();
    frame->runId = runId;
    frame->step = step;
    frame->digit = digit;
    frame->angleStep = angleStep;
    QElapsedTimer clock;
    clock.start();
    frame->sweep = sweepOf(*posterior, *likelihood, seed);
    frame->milliseconds = static_cast<double>(clock.nsecsElapsed()) * 1e-6;
    for (const OverlayJob& o : overlays)
      frame->overlays.push_back({o.label,
                                 o.cached ? o.cached : sweepOf(*o.posterior, *o.likelihood, o.seed),
                                 o.posterior});
    return frame;
  });
}

void RotationService::onFrame(RotationFramePtr frame) {
  if (!frame || !m_run || frame->runId != m_run->runId) return;
  for (const RotationCurve& curve : frame->overlays)
    for (Overlay& o : m_overlays)
      if (o.posterior == curve.posterior) {
        o.sweep = curve.sweep;
        o.digit = frame->digit;
        o.angleStep = frame->angleStep;
      }
  // A sweep for settings changed since it was asked for is dropped; the new one is on its way.
  if (frame->digit != m_digit || frame->angleStep != m_angleStep) return;
  emit frameReady(std::move(frame));
}

}  // namespace bayeslab::ui
