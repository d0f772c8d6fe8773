#include "ui/training/training_controller.h"

#include "engine/data/painted_points.h"
#include "ui/training/background_priority.h"
#include "ui/training/training_worker.h"

namespace bayeslab::ui {

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
  qRegisterMetaType<RunInfoPtr>();
  qRegisterMetaType<SnapshotPtr>();
  qRegisterMetaType<PredictiveFramePtr>();

  m_worker = new TrainingWorker;
  m_worker->moveToThread(&m_thread);
  m_thread.setObjectName("bayeslab-training");
  connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
  // Runs in the new thread, before any training (background_priority.h).
  connect(
      &m_thread, &QThread::started, m_worker, [] { lowerThisThreadsPriority(); },
      Qt::DirectConnection);
  connect(m_worker, &TrainingWorker::runStarted, this, &TrainingController::onRunStarted);
  connect(m_worker, &TrainingWorker::snapshotReady, this, &TrainingController::onSnapshot);
  connect(m_worker, &TrainingWorker::runFailed, this, &TrainingController::onRunFailed);
  connect(m_worker, &TrainingWorker::knobRejected, this, &TrainingController::errorOccurred);
  connect(&m_predictive, &PredictiveService::frameReady, this,
          &TrainingController::predictiveReady);
  m_thread.start();
}

TrainingController::~TrainingController() {
  // The worker stops within one step; the thread then deletes it.
  m_worker->requestStop();
  m_thread.quit();
  m_thread.wait();
}

quint64 TrainingController::reset(const SessionConfig& config) {
  pause();
  m_edited = config;
  if (auto error = config.validate()) {
    emit errorOccurred(QString::fromStdString(error->text()));
    return 0;
  }
  m_requestedRunId = m_nextRunId++;
  QMetaObject::invokeMethod(
      m_worker, [w = m_worker, config, id = m_requestedRunId] { w->startRun(config, id); },
      Qt::QueuedConnection);
  return m_requestedRunId;
}

void TrainingController::applyEdits(const SessionConfig& edited) {
  m_edited = edited;
  if (!m_run) return;
  const SessionDiff diff = diffSessions(m_running, edited);
  if (diff.learningRate) {
    m_running.training.learningRate = *diff.learningRate;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, lr = *diff.learningRate] { w->setLearningRate(lr); },
        Qt::QueuedConnection);
  }
  if (diff.klWeight) {
    m_running.training.klWeight = *diff.klWeight;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, beta = *diff.klWeight] { w->setKlWeight(beta); },
        Qt::QueuedConnection);
  }
  if (diff.prior) {
    m_running.prior = *diff.prior;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, prior = *diff.prior] { w->setPrior(prior); },
        Qt::QueuedConnection);
  }
  if (diff.methodOptions) {
    m_running.method.options = *diff.methodOptions;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, options = *diff.methodOptions] { w->setMethodOptions(options); },
        Qt::QueuedConnection);
  }
  if (!diff.structural) {
    setPending(false, {});
    return;
  }
  if (auto error = edited.validate()) {
    setPending(true, tr("Invalid setting: %1").arg(QString::fromStdString(error->text())));
    return;
  }
  if (m_step == 0 && !m_playing) {
    // Nothing trained yet, nothing to lose: show the new setup at once.
    reset(edited);
    return;
  }
  setPending(true, tr("Model changed: press Reset to apply"));
}

void TrainingController::play() {
  if (!m_run || m_status != TrainerStatus::Running || m_step >= m_totalSteps) return;
  m_playing = true;
  m_worker->setPlaying(true);
  m_worker->schedule();
  emit stateChanged();
}

void TrainingController::requestStop() {
  m_worker->requestStop();
  m_playing = false;
}

void TrainingController::pause() {
  m_worker->setPlaying(false);
  if (!m_playing) return;
  m_playing = false;
  m_stepsPerSecond = 0.0;
  emit stateChanged();
}

void TrainingController::togglePlay() {
  m_playing ? pause() : play();
}

void TrainingController::resumeAfterDivergence(double learningRate) {
  if (!m_run || m_status != TrainerStatus::Diverged || !(learningRate > 0)) return;
  m_running.training.learningRate = learningRate;
  m_edited.training.learningRate = learningRate;
  m_resumePending = true;
  QMetaObject::invokeMethod(
      m_worker, [w = m_worker, learningRate] { w->resumeAfterDivergence(learningRate); },
      Qt::QueuedConnection);
  emit learningRateResumed(learningRate);
}

void TrainingController::step(Index steps) {
  if (!m_run || m_status != TrainerStatus::Running) return;
  pause();
  QMetaObject::invokeMethod(
      m_worker, [w = m_worker, steps] { w->stepBy(steps); }, Qt::QueuedConnection);
}

void TrainingController::setStepsPerFrame(int steps) {
  m_stepsPerFrame = std::max(0, steps);
  m_worker->setStepsPerFrame(m_stepsPerFrame);
}

int TrainingController::replaceTrainingData(const Dataset& train) {
  if (!m_run) return 0;
  m_running.dataset.points = pointsOf(train);
  auto split = std::make_shared<DataSplit>(*m_run->data);
  split->train = train;
  m_trainingData = std::move(split);
  const int version = ++m_dataVersion;
  QMetaObject::invokeMethod(
      m_worker, [w = m_worker, train, version] { w->replaceTrainingData(train, version); },
      Qt::QueuedConnection);
  return version;
}

void TrainingController::onRunStarted(RunInfoPtr run) {
  if (run->runId != m_requestedRunId) {
    // Superseded by a newer reset; kept in case that one fails to build.
    m_supersededRun = std::move(run);
    return;
  }
  m_supersededRun.reset();
  m_run = run;
  m_trainingData = run->data;
  m_dataVersion = 0;
  m_running = run->config;
  m_step = 0;
  m_totalSteps = run->config.training.steps;
  m_part = 0;
  m_parts = std::max(1, run->config.sequential.parts);
  m_playing = false;
  m_status = m_totalSteps > 0 ? TrainerStatus::Running : TrainerStatus::Finished;
  m_message.clear();
  m_divergence = {};
  m_resumePending = false;
  m_stepsPerSecond = 0.0;
  m_appliedLearningRate = run->config.training.learningRate;
  m_appliedKlWeight = run->config.training.klWeight;
  m_predictive.setRun(run);
  m_latestPosterior = run->initialPosterior;
  emit runStarted(run);
  m_predictive.request(0, run->initialPosterior);
  // Edits made while the trainer was being built still count.
  const SessionDiff diff = diffSessions(m_running, m_edited);
  if (diff.empty())
    setPending(false, {});
  else
    applyEdits(m_edited);
  emit stateChanged();
}

void TrainingController::onSnapshot(SnapshotPtr snapshot) {
  if (!m_run || snapshot->runId != m_run->runId) return;  // a stale run's snapshot
  m_step = snapshot->step;
  m_totalSteps = snapshot->totalSteps;
  m_part = snapshot->part;
  m_parts = snapshot->parts;
  m_status = snapshot->status;
  m_message = snapshot->message;
  m_divergence = snapshot->divergence;
  m_stepsPerSecond = snapshot->stepsPerSecond;
  m_appliedLearningRate = snapshot->learningRate;
  m_appliedKlWeight = snapshot->klWeight;
  // Only the end of the run stops playing; a pause is the user's, set at once.
  if (m_status != TrainerStatus::Running) {
    m_playing = false;
    m_worker->setPlaying(false);
  }
  if (snapshot->posterior) {
    m_latestPosterior = snapshot->posterior;
    m_predictive.request(snapshot->step, snapshot->posterior);
  }
  emit snapshotReceived(snapshot);
  emit stateChanged();
  if (m_resumePending && m_status == TrainerStatus::Running) {
    m_resumePending = false;
    play();
  }
}

void TrainingController::onRunFailed(quint64 runId, quint64 activeRunId, const QString& message) {
  if (runId == m_requestedRunId) {
    m_requestedRunId = activeRunId;
    // The worker went on with a run the UI had skipped: adopt it.
    if (m_supersededRun && m_supersededRun->runId == activeRunId) onRunStarted(m_supersededRun);
  }
  if (m_run) setPending(true, tr("Not applied: %1").arg(message));
  emit runFailed(runId, message);
  emit errorOccurred(message);
}

void TrainingController::setPending(bool pending, const QString& reason) {
  if (pending == m_pending && reason == m_pendingReason) return;
  m_pending = pending;
  m_pendingReason = reason;
  emit pendingChanged(pending, reason);
}

}  // namespace bayeslab::ui
