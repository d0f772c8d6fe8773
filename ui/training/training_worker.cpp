#include "ui/training/training_worker.h"

#include <QTimer>
#include <exception>

#include "engine/core/stop_request.h"
#include "ui/training/run_info_builder.h"

namespace bayeslab::ui {

namespace {
// A slice is short enough for control slots to interleave at once and long
// enough that re-posting costs nothing measurable.
constexpr auto kSliceBudget = std::chrono::milliseconds(10);
// Snapshots at most ~30 per second: the UI cannot show more.
constexpr auto kPublishInterval = std::chrono::milliseconds(33);
constexpr int kSnapshotMilliseconds = 33;
}  // namespace

TrainingWorker::TrainingWorker(QObject* parent) : QObject(parent) {}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::schedule() {
  if (m_sliceQueued.exchange(true)) return;
  QMetaObject::invokeMethod(this, &TrainingWorker::runSlice, Qt::QueuedConnection);
}

void TrainingWorker::startRun(SessionConfig config, quint64 runId) {
  if (m_stop.load()) return;
  // A method may run long computations while it is built (HMC's step-size
  // search): it sees the stop flag (engine/core/stop_request.h).
  const ScopedStopFlag stopFlag(&m_stop);
  std::unique_ptr<Trainer> trainer;
  try {
    trainer = std::make_unique<Trainer>(std::move(config));
  } catch (const std::exception& e) {
    // The previous trainer stays: a bad edit never loses the current run.
    emit runFailed(runId, m_runId, QString::fromStdString(e.what()));
    return;
  }
  if (m_stop.load()) return;  // closing: the new trainer is dropped unused
  m_trainer = std::move(trainer);
  m_runId = runId;
  m_pendingRows.clear();
  m_publishedStep = -1;
  m_stepsPerSecond = 0.0;
  m_measuring = false;
  m_dataVersion = 0;
  m_publishNextStep = false;
  RunInfoPtr info = makeRunInfo(*m_trainer, runId);
  m_exact = info->exact;
  emit runStarted(std::move(info));
  publish(true);
}

void TrainingWorker::stepBy(Index steps) {
  if (!m_trainer || m_stop.load()) return;
  const ScopedStopFlag stopFlag(&m_stop);
  m_trainer->run(steps, [this](const MetricsRow& row) {
    m_pendingRows.push_back(row);
    return m_stop.load(std::memory_order_relaxed) ? CallbackResult::Stop : CallbackResult::Continue;
  });
  publish(true);
}

void TrainingWorker::runSlice() {
  m_sliceQueued.store(false);
  if (!m_trainer || m_stop.load()) return;
  const ScopedStopFlag stopFlag(&m_stop);
  if (!m_playing.load()) {
    // Paused between slices: the last slice's steps may still be unpublished.
    if (!m_pendingRows.empty() || m_trainer->step() != m_publishedStep) publish(true);
    return;
  }
  if (m_trainer->finished()) {
    m_playing.store(false);
    publish(true);
    return;
  }
  const int perFrame = m_stepsPerFrame.load();
  const Index maxSteps = perFrame > 0 ? perFrame : m_trainer->config().training.steps;
  const auto sliceStart = Clock::now();
  if (!m_measuring) {
    // A new playing period: measure the speed from here, not from the pause.
    m_measuring = true;
    m_rateStep = m_trainer->step();
    m_rateTime = sliceStart;
  }
  const auto deadline = sliceStart + kSliceBudget;
  m_trainer->run(maxSteps, [&](const MetricsRow& row) {
    m_pendingRows.push_back(row);
    if (!m_playing.load(std::memory_order_relaxed) || m_stop.load(std::memory_order_relaxed))
      return CallbackResult::Stop;
    if (m_publishNextStep) return CallbackResult::Stop;
    return Clock::now() >= deadline ? CallbackResult::Stop : CallbackResult::Continue;
  });
  const bool done = m_trainer->finished();
  if (done) m_playing.store(false);
  publish(done || !m_playing.load() || m_publishNextStep);
  m_publishNextStep = false;
  if (!m_playing.load() || m_stop.load()) return;
  if (perFrame > 0) {
    // Throttled: one frame's worth of steps, then wait for the next frame.
    const auto spent =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sliceStart);
    const int wait = std::max(0, kSnapshotMilliseconds - static_cast<int>(spent.count()));
    if (!m_sliceQueued.exchange(true)) QTimer::singleShot(wait, this, &TrainingWorker::runSlice);
  } else {
    schedule();
  }
}

void TrainingWorker::setLearningRate(double learningRate) {
  if (!m_trainer) return;
  m_trainer->setLearningRate(learningRate);
  publish(true);
}

void TrainingWorker::setKlWeight(double klWeight) {
  if (!m_trainer) return;
  m_trainer->setKlWeight(klWeight);
  publish(true);
}

void TrainingWorker::setPrior(PriorConfig prior) {
  if (!m_trainer) return;
  try {
    m_trainer->setPrior(prior);
  } catch (const std::exception& e) {
    emit knobRejected(QString::fromStdString(e.what()));
    return;
  }
  m_exact = exactPosteriorOf(*m_trainer);
  publish(true);
}

void TrainingWorker::setMethodOptions(OptionValues options) {
  if (!m_trainer) return;
  try {
    m_trainer->setMethodOptions(options);
  } catch (const std::exception& e) {
    emit knobRejected(QString::fromStdString(e.what()));
    return;
  }
  publish(true);
}

void TrainingWorker::replaceTrainingData(Dataset train, int version) {
  if (!m_trainer) return;
  try {
    m_trainer->replaceTrainingData(std::move(train));
  } catch (const std::exception& e) {
    emit knobRejected(QString::fromStdString(e.what()));
    return;
  }
  m_dataVersion = version;
  m_publishNextStep = true;
  publish(true);
}

void TrainingWorker::resumeAfterDivergence(double learningRate) {
  if (!m_trainer || m_trainer->status() != TrainerStatus::Diverged) return;
  m_trainer->resumeAfterDivergence(learningRate);
  m_publishedStep = -1;  // same step count, restored parameters: publish them
  publish(true);
}

void TrainingWorker::publish(bool force) {
  // Stopping: nobody will show it, and a posterior can be costly (Laplace's curvature).
  if (!m_trainer || m_stop.load()) return;
  const auto now = Clock::now();
  if (!force && now - m_lastPublish < kPublishInterval) return;
  m_lastPublish = now;

  auto snapshot = std::make_shared<TrainingSnapshot>();
  snapshot->runId = m_runId;
  snapshot->rows.swap(m_pendingRows);
  snapshot->step = m_trainer->step();
  if (snapshot->step != m_publishedStep) {
    snapshot->posterior = m_trainer->posterior();
    m_publishedStep = snapshot->step;
  }
  snapshot->totalSteps = m_trainer->config().training.steps;
  snapshot->part = m_trainer->currentPart();
  snapshot->parts = m_trainer->partCount();
  snapshot->status = m_trainer->status();
  snapshot->message = QString::fromStdString(m_trainer->message());
  snapshot->divergence = m_trainer->divergence();
  snapshot->learningRate = m_trainer->config().training.learningRate;
  snapshot->klWeight = m_trainer->config().training.klWeight;
  snapshot->prior = m_trainer->config().prior;
  snapshot->priorObject = m_trainer->sharedPrior();
  snapshot->exact = m_exact;
  snapshot->data = m_trainer->sharedData();
  snapshot->dataVersion = m_dataVersion;

  // Speed over the last half second of playing; a pause resets the window.
  const double seconds = std::chrono::duration<double>(now - m_rateTime).count();
  if (!m_playing.load()) {
    m_stepsPerSecond = 0.0;
    m_measuring = false;
  } else if (seconds >= 0.5) {
    m_stepsPerSecond = static_cast<double>(snapshot->step - m_rateStep) / seconds;
    m_rateStep = snapshot->step;
    m_rateTime = now;
  }
  snapshot->stepsPerSecond = m_stepsPerSecond;
  emit snapshotReady(std::move(snapshot));
}

}  // namespace bayeslab::ui
