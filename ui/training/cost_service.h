#pragma once
// Measures what each method costs on the current session
// (engine/diagnostics/cost_measurement.h), off the UI thread.
//
// The measurement trains every method for the budget, so it takes seconds to
// minutes: it runs on the service's own thread (not the views' shared analysis
// thread, which it would hold up), reports its progress a few times a second,
// sends the rows measured so far as a partial frame after each method, and
// stops at the next training step when cancelled (an atomic flag the engine's
// callback reads). Results are immutable frames.
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <memory>

#include "engine/diagnostics/cost_measurement.h"
#include "ui/training/latest_job_runner.h"

namespace bayeslab::ui {

struct CostFrame {
  quint64 runId = 0;
  quint64 measurementId = 0;  // counts the service's measurements: later frames, higher ids
  CostMeasurement measurement;
  bool complete = false;  // false: the rows so far, while measuring
  QString dataset;        // "blundell, 256 training points"
  QString error;          // the session could not be measured at all
};

using CostFramePtr = std::shared_ptr<const CostFrame>;

class CostService : public QObject {
  Q_OBJECT

 public:
  explicit CostService(QObject* parent = nullptr);
  ~CostService() override;  // cancels a running measurement and waits for it to stop

  // Starts measuring `session` on `data` (the run's, possibly edited). Ignored while a
  // measurement runs. `runId` is copied into the frames.
  void measure(quint64 runId, const SessionConfig& session, std::shared_ptr<const DataSplit> data,
               const CostOptions& options);
  // Stops a running measurement at its next training step; its rows so far arrive as
  // the final frame (measurement.cancelled set).
  void cancel();
  bool isBusy() const { return m_runner.isBusy(); }

 signals:
  // fraction in [0, 1]; text e.g. "bbb_lrt (3 of 10): step 120 of 300".
  void progressed(double fraction, const QString& text);
  // Partial frames while measuring, then the final one (complete).
  void frameReady(bayeslab::ui::CostFramePtr frame);
  void busyChanged(bool busy);

 private:
  // One thread of its own (declared before the runner, which waits for its job).
  QThreadPool m_pool;
  LatestJobRunner<CostFramePtr> m_runner;
  std::shared_ptr<std::atomic<bool>> m_cancel;
  quint64 m_measurements = 0;
};

}  // namespace bayeslab::ui

Q_DECLARE_METATYPE(bayeslab::ui::CostFramePtr)
