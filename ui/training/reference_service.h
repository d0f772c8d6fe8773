#pragma once
// The posterior beside its reference, computed off the UI thread for the
// "Exact reference" view: for a chosen pair of parameters (a, b), the exact
// posterior's marginals and covariance (Bayesian linear regression,
// engine/diagnostics/exact_reference.h), the method's (its means and standard
// deviations, or its draws) and a pinned reference run's; for 1-D regression the
// exact and the method's predictive bands; and how far the method is from the
// reference over all parameters (compareWithExact).
//
// Like the other analyses it runs only while its view is on screen, newest
// posterior only (LatestJobRunner), at most every kIntervalMs.
#include <QObject>
#include <QString>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "engine/diagnostics/exact_reference.h"
#include "ui/training/latest_job_runner.h"
#include "ui/training/pinned_reference.h"
#include "ui/training/posterior_draws.h"

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace bayeslab::ui {

// One distribution's view of the pair (a, b).
struct PairView {
  bool present = false;
  double meanA = 0.0, meanB = 0.0;
  double sdA = 0.0, sdB = 0.0;
  double correlation = 0.0;
  // False when only the marginal standard deviations are known (a Gaussian
  // posterior summarised by its means and sds): its ellipse is then axis-aligned.
  bool fullCovariance = false;
  PairDraws draws;  // sample-based posteriors; empty otherwise
};

struct PredictiveBand {
  std::vector<double> mean, sdEpistemic, sdTotal;
  bool empty() const { return mean.empty(); }
};

// How a posterior's per-parameter means and sds compare with a reference's.
struct ReferenceComparison {
  double maxMeanError = 0.0;  // max_i |mean_i - ref_i| / ref_sd_i
  double minStdRatio = 0.0;   // min_i sd_i / ref_sd_i
  double maxStdRatio = 0.0;
  Index parameters = 0;
};

struct ReferenceFrame {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  quint64 runId = 0;
  Index step = 0;
  Index a = 0, b = 0;
  PosteriorKind methodKind = PosteriorKind::Gaussian;
  PairView exact, method, pinned;
  double logEvidence = kNaN;  // exact log p(D); NaN without an exact posterior
  // KL(q || exact posterior) in closed form for a Gaussian q taken as factorised
  // (its means and sds); NaN when it does not apply.
  double closedFormKl = kNaN;
  std::optional<ReferenceComparison> vsExact, vsPinned;
  // 1-D regression inputs: the bands on one grid.
  std::vector<double> x;
  PredictiveBand exactBand, methodBand;
  double milliseconds = 0.0;
};

using ReferenceFramePtr = std::shared_ptr<const ReferenceFrame>;

struct ReferenceInputs {
  quint64 runId = 0;
  Index step = 0;
  std::shared_ptr<const Posterior> posterior;
  std::shared_ptr<const Likelihood> likelihood;
  std::shared_ptr<const LinearRegressionPosterior> exact;  // may be null
  PinnedReferencePtr pinned;                               // null unless its layout matches
  std::shared_ptr<const Grid1D> grid;                      // null unless 1-D regression
  bool variational = false;                                // the method has an ELBO
  Index a = 0, b = 0;
  int samples = 64;
  Index maxDraws = 2000;
  std::uint64_t seed = 0;
};

// The whole computation (used by the service on its thread and by the CLI figures).
ReferenceFramePtr computeReferenceFrame(const ReferenceInputs& inputs);

class ReferenceService : public QObject {
  Q_OBJECT

 public:
  static constexpr int kIntervalMs = 120;
  static constexpr Index kGridPoints = 150;

  explicit ReferenceService(QThreadPool* pool, QObject* parent = nullptr);

  void setRun(const RunInfoPtr& run);
  void setExact(std::shared_ptr<const LinearRegressionPosterior> exact);
  void setPinned(PinnedReferencePtr pinned);
  void setLatest(Index step, std::shared_ptr<const Posterior> posterior);
  void setPair(Index a, Index b);
  void setActive(bool active);

  // The run has something to compare with: an exact posterior or a pinned run of its shape.
  bool applies() const;
  const std::shared_ptr<const LinearRegressionPosterior>& exact() const { return m_exact; }
  bool isActive() const { return m_active; }
  bool isBusy() const { return m_runner.isBusy(); }
  qint64 lastMilliseconds() const { return m_runner.lastMilliseconds(); }

 signals:
  void frameReady(bayeslab::ui::ReferenceFramePtr frame);

 private:
  void schedule();
  PinnedReferencePtr usablePin() const;

  RunInfoPtr m_run;
  std::shared_ptr<const LinearRegressionPosterior> m_exact;
  PinnedReferencePtr m_pinned;
  std::shared_ptr<const Grid1D> m_grid;
  std::shared_ptr<const Posterior> m_latest;
  Index m_latestStep = 0;
  Index m_a = 0, m_b = 0;
  bool m_dirty = true;
  bool m_active = false;
  LatestJobRunner<ReferenceFramePtr> m_runner;
};

}  // namespace bayeslab::ui

Q_DECLARE_METATYPE(bayeslab::ui::ReferenceFramePtr)
