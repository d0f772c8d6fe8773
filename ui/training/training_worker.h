#pragma once
// The engine Trainer on its own thread (Qt's QThread worker pattern).
//
// Training runs in short slices (about 10 ms, or "steps per frame" steps when
// throttled); each slice re-posts the next one through the event queue, so the
// control slots queued by the UI (reset, live knobs, step) run in between.
// Play / pause / stop are atomic flags written by the UI thread directly: the
// trainer's IterationCallback reads them between steps, so a pause takes effect
// within one step without waiting for the queue. Results leave as immutable
// snapshots, at most ~30 per second.
#include <QObject>
#include <atomic>
#include <chrono>
#include <memory>

#include "ui/training/training_snapshot.h"

namespace bayeslab::ui {

class TrainingWorker : public QObject {
  Q_OBJECT

 public:
  explicit TrainingWorker(QObject* parent = nullptr);
  ~TrainingWorker() override;

  // Thread-safe, called from the UI thread.
  void setPlaying(bool playing) { m_playing.store(playing); }
  bool isPlaying() const { return m_playing.load(); }
  void requestStop() {
    m_stop.store(true);
    m_playing.store(false);
  }
  // 0: as fast as possible; n > 0: n steps per frame (~30 frames per second).
  void setStepsPerFrame(int steps) { m_stepsPerFrame.store(steps); }
  // Posts a training slice unless one is already queued.
  void schedule();

  // Worker-thread slots (invoke them queued).
  void startRun(SessionConfig config, quint64 runId);
  void stepBy(Index steps);
  void setLearningRate(double learningRate);
  void setKlWeight(double klWeight);
  void setPrior(PriorConfig prior);
  void setMethodOptions(OptionValues options);
  // Painting: trains on `train` from the next step (Trainer::replaceTrainingData);
  // the next step's posterior is published at once. `version` is echoed in the snapshots.
  void replaceTrainingData(Dataset train, int version);
  // After a divergence: back to the newest good checkpoint, continue at
  // `learningRate` (Trainer::resumeAfterDivergence); publishes the restored state.
  void resumeAfterDivergence(double learningRate);

 signals:
  void runStarted(bayeslab::ui::RunInfoPtr info);
  void snapshotReady(bayeslab::ui::SnapshotPtr snapshot);
  // The run `runId` could not be built; `activeRunId` is still the current one.
  void runFailed(quint64 runId, quint64 activeRunId, QString message);
  // A live knob was rejected (e.g. an invalid prior option).
  void knobRejected(QString message);

 private:
  using Clock = std::chrono::steady_clock;

  void runSlice();
  void publish(bool force);

  std::unique_ptr<Trainer> m_trainer;
  std::shared_ptr<const LinearRegressionPosterior> m_exact;
  quint64 m_runId = 0;
  std::vector<MetricsRow> m_pendingRows;
  Index m_publishedStep = -1;  // step of the last posterior sent
  Clock::time_point m_lastPublish;
  Index m_rateStep = 0;  // step and time the speed is measured from
  Clock::time_point m_rateTime;
  double m_stepsPerSecond = 0.0;
  bool m_measuring = false;
  int m_dataVersion = 0;
  bool m_publishNextStep = false;  // new data: show their first step without waiting

  std::atomic<bool> m_playing{false};
  std::atomic<bool> m_stop{false};
  std::atomic<bool> m_sliceQueued{false};
  std::atomic<int> m_stepsPerFrame{0};
};

}  // namespace bayeslab::ui
