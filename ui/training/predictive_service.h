#pragma once
// Computes the live posterior predictive off the UI thread, for the newest
// posterior only.
//
// One job runs at a time on a private one-thread pool; a request that arrives
// while a job runs replaces any older waiting request (coalescing), so however
// fast training goes the views are at most one job behind and nothing queues
// up. The live grid is coarser than the exported one and every frame of a run
// reuses the same random stream (common random numbers), so the bands move only
// when the posterior does, not with Monte Carlo noise.
#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <optional>

#include "ui/training/predictive_frame.h"
#include "ui/training/training_snapshot.h"

namespace bayeslab::ui {

struct PredictiveSettings {
  Index regressionPoints = 200;
  int classificationResolution = 60;
  int samples = 48;
  int keptFunctions = 6;
};

class PredictiveService : public QObject {
  Q_OBJECT

 public:
  explicit PredictiveService(QObject* parent = nullptr);
  ~PredictiveService() override;

  void setSettings(const PredictiveSettings& settings) { m_settings = settings; }
  // A new run: forgets any waiting request of the previous one.
  void setRun(const RunInfoPtr& run);
  void request(Index step, std::shared_ptr<const Posterior> posterior);
  bool isBusy() const { return m_busy; }
  // Off while the predictive view is hidden: frames then carry the weight summary only.
  void setGridEnabled(bool on) { m_gridEnabled = on; }
  bool gridEnabled() const { return m_gridEnabled; }

 signals:
  void frameReady(bayeslab::ui::PredictiveFramePtr frame);

 private:
  struct Job {
    quint64 runId = 0;
    Index step = 0;
    std::shared_ptr<const Posterior> posterior;
    std::shared_ptr<const Likelihood> likelihood;
    std::shared_ptr<const Grid1D> regressionGrid;
    std::shared_ptr<const Grid2D> classificationGrid;
    int samples = 0;
    int keptFunctions = 0;
    std::uint64_t seed = 0;
  };
  static PredictiveFramePtr compute(const Job& job);
  void start(Job job);
  void onFinished();

  PredictiveSettings m_settings;
  RunInfoPtr m_run;
  std::shared_ptr<const Grid1D> m_regressionGrid;
  std::shared_ptr<const Grid2D> m_classificationGrid;
  std::optional<Job> m_waiting;
  bool m_busy = false;
  bool m_gridEnabled = true;
  QThreadPool m_pool;
  QFutureWatcher<PredictiveFramePtr> m_watcher;
};

}  // namespace bayeslab::ui
