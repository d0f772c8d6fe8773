#pragma once
// Markov chain diagnostics of one chosen parameter, computed off the UI thread
// for the "Chains" view: its trace per chain (Posterior::trace), split R-hat and
// the effective sample size over all kept draws, the same two on growing
// prefixes of the draws (how they settle as the chains run), and the combined
// autocorrelation of the split chains (engine/diagnostics/mcmc_diagnostics.h).
// Applies to any posterior that has traces; runs only while its view is shown,
// newest posterior only, at most every kIntervalMs.
#include <QObject>
#include <limits>
#include <memory>
#include <vector>

#include "ui/training/latest_job_runner.h"
#include "ui/training/training_snapshot.h"

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace bayeslab::ui {

struct ChainFrame {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  quint64 runId = 0;
  Index step = 0;
  Index parameter = 0;
  SampleTrace trace;
  Index draws = 0;  // over all chains
  double rhat = kNaN;
  double ess = kNaN;
  // R-hat and ESS over the first k draws of every chain, at the training step of
  // the k-th draw of chain 1, for a few k up to all.
  std::vector<double> runningStep, runningRhat, runningEss;
  std::vector<double> autocorrelation;  // rho_0 .. rho_L
  Index autocorrelationDraws = 0;       // draws per chain it was computed from (the latest)
  double milliseconds = 0.0;
};

using ChainFramePtr = std::shared_ptr<const ChainFrame>;

// The whole computation (the service's job; the CLI's trace figure).
ChainFramePtr computeChainFrame(quint64 runId, Index step, const Posterior& posterior,
                                Index parameter);

class ChainService : public QObject {
  Q_OBJECT

 public:
  static constexpr int kIntervalMs = 150;
  static constexpr int kRunningPoints = 24;
  static constexpr int kMaxLag = 100;
  static constexpr Index kMaxAutocorrelationDraws = 2000;

  explicit ChainService(QThreadPool* pool, QObject* parent = nullptr);

  // Runs whose posterior has traces only; others make the service idle.
  void setRun(const RunInfoPtr& run);
  void setLatest(Index step, std::shared_ptr<const Posterior> posterior);
  void setParameter(Index parameter);
  void setActive(bool active);

  bool applies() const { return m_run != nullptr; }
  Index parameter() const { return m_parameter; }
  bool isActive() const { return m_active; }
  bool isBusy() const { return m_runner.isBusy(); }
  qint64 lastMilliseconds() const { return m_runner.lastMilliseconds(); }

  // Whether a posterior has chains to show.
  static bool hasTraces(const Posterior& posterior);

 signals:
  void frameReady(bayeslab::ui::ChainFramePtr frame);

 private:
  void schedule();

  RunInfoPtr m_run;
  std::shared_ptr<const Posterior> m_latest;
  Index m_latestStep = 0;
  Index m_parameter = 0;
  bool m_dirty = true;
  bool m_active = false;
  LatestJobRunner<ChainFramePtr> m_runner;
};

}  // namespace bayeslab::ui

Q_DECLARE_METATYPE(bayeslab::ui::ChainFramePtr)
