#pragma once
// The UI thread's handle on a training run.
//
// Owns the training thread (a TrainingWorker) and the predictive service, keeps
// the UI-side state of the run (step, status, the session as running), decides
// what an edit means (live knob now, or structural change to apply on reset)
// and republishes the worker's snapshots and the predictive frames for the
// views. It never waits for the worker: every call returns at once.
#include <QObject>
#include <QThread>

#include "ui/training/predictive_service.h"
#include "ui/training/session_diff.h"
#include "ui/training/training_snapshot.h"

namespace bayeslab::ui {

class TrainingWorker;

class TrainingController : public QObject {
  Q_OBJECT

 public:
  explicit TrainingController(QObject* parent = nullptr);
  ~TrainingController() override;

  // Builds a new trainer from `config` (pauses first). The current run stays
  // until the new one exists; a config that fails keeps it (runFailed). Returns
  // the id the new run will have (0 when the config is invalid).
  quint64 reset(const SessionConfig& config);
  // The panels' current session: live knobs go to the trainer at once;
  // structural edits reset immediately when the run has not started, otherwise
  // wait for reset (pendingChanged) so no training is thrown away unasked.
  void applyEdits(const SessionConfig& edited);

  void play();
  void pause();
  // The owner is closing: the worker stops at its next unit of work (a step, or
  // sooner: engine/core/stop_request.h) while the rest of the window is torn down.
  // Nothing trains after it; the destructor then joins the thread.
  void requestStop();
  void togglePlay();
  // After a divergence: restores the last good checkpoint, sets the learning
  // rate to `learningRate` (the running session records it) and plays on.
  void resumeAfterDivergence(double learningRate);
  // The divergence of the run (valid when status() == Diverged).
  const DivergenceInfo& divergence() const { return m_divergence; }
  // Takes `steps` steps (paused).
  void step(Index steps);
  // 0: as fast as possible; n > 0: n steps per frame.
  void setStepsPerFrame(int steps);
  // Painting: the run trains on `train` from its next step, without a reset
  // (the test set stays); the running session records the points (dataset.points)
  // so that a later edit or reset keeps them. Returns the data version the
  // snapshots will report once the trainer has it (0 without a run).
  int replaceTrainingData(const Dataset& train);
  // The training data sent to the trainer last (the run's own until painted).
  std::shared_ptr<const DataSplit> trainingData() const { return m_trainingData; }
  int stepsPerFrame() const { return m_stepsPerFrame; }

  bool hasRun() const { return m_run != nullptr; }
  const RunInfoPtr& run() const { return m_run; }
  quint64 runId() const { return m_run ? m_run->runId : 0; }
  // The session the trainer runs, including the live knobs sent to it.
  const SessionConfig& runningConfig() const { return m_running; }
  bool hasPendingChanges() const { return m_pending; }
  const QString& pendingReason() const { return m_pendingReason; }

  Index currentStep() const { return m_step; }
  Index totalSteps() const { return m_totalSteps; }
  // Sequential learning: the data part in use (0-based) and how many there are.
  Index currentPart() const { return m_part; }
  Index partCount() const { return m_parts; }
  bool isPlaying() const { return m_playing; }
  TrainerStatus status() const { return m_status; }
  const QString& statusMessage() const { return m_message; }
  double stepsPerSecond() const { return m_stepsPerSecond; }
  // The learning rate / KL weight the trainer confirmed in its last snapshot.
  double appliedLearningRate() const { return m_appliedLearningRate; }
  double appliedKlWeight() const { return m_appliedKlWeight; }

  PredictiveService& predictiveService() { return m_predictive; }
  // The newest posterior of the run (the views' analyses start from it).
  const std::shared_ptr<const Posterior>& latestPosterior() const { return m_latestPosterior; }

 signals:
  void runStarted(bayeslab::ui::RunInfoPtr run);
  void snapshotReceived(bayeslab::ui::SnapshotPtr snapshot);
  void predictiveReady(bayeslab::ui::PredictiveFramePtr frame);
  // Step, status, playing or speed changed.
  void stateChanged();
  void pendingChanged(bool pending, const QString& reason);
  // resumeAfterDivergence() changed the running learning rate (the panels follow).
  void learningRateResumed(double learningRate);
  void errorOccurred(const QString& message);
  // The run `runId` asked for by reset() could not be built (errorOccurred follows).
  void runFailed(quint64 runId, const QString& message);

 private:
  void onRunStarted(RunInfoPtr run);
  void onSnapshot(SnapshotPtr snapshot);
  void onRunFailed(quint64 runId, quint64 activeRunId, const QString& message);
  void setPending(bool pending, const QString& reason);

  QThread m_thread;
  TrainingWorker* m_worker = nullptr;  // lives on m_thread
  PredictiveService m_predictive;

  quint64 m_nextRunId = 1;
  quint64 m_requestedRunId = 0;
  RunInfoPtr m_run;
  RunInfoPtr m_supersededRun;
  std::shared_ptr<const Posterior> m_latestPosterior;
  SessionConfig m_running;
  SessionConfig m_edited;
  bool m_pending = false;
  QString m_pendingReason;

  Index m_step = 0;
  Index m_totalSteps = 0;
  Index m_part = 0;
  Index m_parts = 1;
  bool m_playing = false;
  TrainerStatus m_status = TrainerStatus::Running;
  QString m_message;
  DivergenceInfo m_divergence;
  bool m_resumePending = false;  // play once the worker confirms the resume
  double m_stepsPerSecond = 0.0;
  double m_appliedLearningRate = 0.0;
  double m_appliedKlWeight = 0.0;
  int m_stepsPerFrame = 0;
  std::shared_ptr<const DataSplit> m_trainingData;
  int m_dataVersion = 0;
};

}  // namespace bayeslab::ui
