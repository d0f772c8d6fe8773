#pragma once
// Compare mode (SPEC.md section 4): 2-6 configurations train side by side on
// the same data, each with its own TrainingController (its own training thread
// and predictive thread; the engine's thread team belongs to the calling
// thread, so the runs never share one).
//
// The window shows, one colour per run: small multiples of the predictive
// (ComparePredictiveGrid), the ELBO and the test curves overlaid
// (CompareCurvesView) and a live metrics table (run, method, prior, final ELBO,
// test log-likelihood, RMSE or accuracy, ECE, ms per step, parameters: the
// numbers of comparison.csv). For image data the grid gives way to the rotated
// digit of every run (CompareRotationView), computed with the table's metrics.
// Every run uses the first run's dataset section.
//
// Nothing here blocks the UI thread: snapshots and predictive frames only store
// the newest data and arm one ~30 Hz frame timer shared by all runs, which
// pushes them into the views (the curves of every run, the picture of one run
// per frame, in turn); the test metrics of the table (whole test set,
// up to kTableTestPoints points) are computed on a one-thread pool, at most
// one job at a time, each run at most every kEvaluationIntervalMs while it trains.
#include <QElapsedTimer>
#include <QFuture>
#include <QMainWindow>
#include <QThreadPool>
#include <QTimer>
#include <deque>
#include <memory>
#include <vector>

#include "engine/training/session.h"
#include "ui/compare/comparison_table.h"
#include "ui/training/predictive_frame.h"
#include "ui/training/training_snapshot.h"

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QSplitter;
class QTableWidget;
QT_END_NAMESPACE

namespace bayeslab::ui {

class CompareCurvesView;
class ComparePredictiveGrid;
class CompareRotationView;
class TrainingController;

class CompareWindow : public QMainWindow {
  Q_OBJECT

 public:
  static constexpr int kMaxRuns = 6;
  static constexpr int kEvaluationIntervalMs = 1500;
  static constexpr Index kTableTestPoints = 2048;

  explicit CompareWindow(QWidget* parent = nullptr);
  ~CompareWindow() override;

  // Replaces every run (at most kMaxRuns are kept). The first config's dataset is everyone's.
  void setRuns(const std::vector<SessionConfig>& configs);
  // Adds a run (ignored beyond kMaxRuns); it trains on the first run's data.
  void addRun(const SessionConfig& config);
  void removeRun(int index);
  // A short paragraph above the grid (lecture presets); an empty title hides it.
  void setNote(const QString& title, const QString& paragraph);
  void playAll();
  void pauseAll();
  // Resets every run to step 0 (same initialisation).
  void resetAll();
  // Writes comparison.csv, every overlaid figure (PNG + SVG) and the data
  // behind them (CSV) into `dir`. False and `error` on a write failure.
  bool exportAll(const QString& dir, QString* error);

  int runCount() const { return static_cast<int>(m_runs.size()); }
  TrainingController* controller(int index) const;
  const SessionConfig& runConfig(int index) const;
  // The table's numbers of run `index`.
  ComparisonRow metrics(int index) const;
  int selectedRun() const;
  void selectRun(int index);
  bool anyPlaying() const;
  quint64 frameCount() const { return m_frameCount; }

  CompareCurvesView* elboView() const { return m_elbo; }
  CompareCurvesView* testView() const { return m_test; }
  ComparePredictiveGrid* predictiveGrid() const { return m_grid; }
  // Image data: the rotated digit of every run (in place of the predictive grid).
  CompareRotationView* rotationView() const { return m_rotation; }
  QTableWidget* metricsTable() const { return m_table; }
  QLabel* noteLabel() const { return m_note; }
  QAction* playAction() const { return m_playAction; }

 signals:
  void runsChanged();

 protected:
  // A closed (hidden) comparison stops training: it would only take the cores.
  void closeEvent(QCloseEvent* event) override;

 private:
  struct Run;
  Run* runById(quint64 id) const;
  int indexOf(const Run* run) const;
  SessionConfig withSharedData(SessionConfig config) const;
  void onRunStarted(Run* run, const RunInfoPtr& info);
  void onSnapshot(Run* run, const SnapshotPtr& snapshot);
  void onPredictive(Run* run, const PredictiveFramePtr& frame);
  void armFrame();
  void frame();
  void scheduleEvaluations();
  void evaluateNow();
  void updateTable();
  void updateActions();
  void relabel();
  void addRunFromFile();
  void duplicateAndTweak();
  void exportInteractively();

  std::vector<std::unique_ptr<Run>> m_runs;
  quint64 m_nextRunId = 1;
  Task m_task = Task::Regression;

  QLabel* m_note = nullptr;
  ComparePredictiveGrid* m_grid = nullptr;
  CompareRotationView* m_rotation = nullptr;
  CompareCurvesView* m_elbo = nullptr;
  CompareCurvesView* m_test = nullptr;
  QTableWidget* m_table = nullptr;
  QAction* m_addAction = nullptr;
  QAction* m_duplicateAction = nullptr;
  QAction* m_removeAction = nullptr;
  QAction* m_playAction = nullptr;
  QAction* m_resetAction = nullptr;
  QAction* m_exportAction = nullptr;

  QTimer m_frameTimer;
  quint64 m_frameCount = 0;
  size_t m_nextPicture = 0;  // the run whose picture the next frame draws first
  QThreadPool m_evaluationPool;
  bool m_evaluating = false;
  QElapsedTimer m_clock;
};

}  // namespace bayeslab::ui
