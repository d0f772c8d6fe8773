#pragma once
// Uncertainty quality of the live posterior, computed off the UI thread: the
// reliability diagram with its ECE on the test set and, when the data set
// holds classes out, the predictive entropy of in- and out-of-distribution
// test images and the AUROC of telling them apart (engine/predictive/calibration.h).
//
// A whole test set costs far more than a predictive grid, so it runs only while
// its view is on screen, at most every kIntervalMs, on an evenly spread subset
// of at most kMaxPoints images per set.
#include <QObject>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

#include "engine/predictive/calibration.h"
#include "ui/training/latest_job_runner.h"
#include "ui/training/training_snapshot.h"

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace bayeslab::ui {

struct UncertaintyFrame {
  quint64 runId = 0;
  Index step = 0;
  int classes = 0;
  ReliabilityDiagram reliability;
  Index testPoints = 0;
  double accuracy = 0.0;
  std::vector<double> inDistributionEntropy;
  std::vector<double> outOfDistributionEntropy;  // empty without held-out classes
  std::optional<double> auroc;                   // set when there is an out-of-distribution set
  double milliseconds = 0.0;
};

using UncertaintyFramePtr = std::shared_ptr<const UncertaintyFrame>;

class UncertaintyService : public QObject {
  Q_OBJECT

 public:
  static constexpr Index kMaxPoints = 1000;
  static constexpr int kSamples = 16;
  static constexpr int kIntervalMs = 1500;

  UncertaintyService(QThreadPool* pool, QObject* parent = nullptr);

  // Classification runs only; others make the service idle.
  void setRun(const RunInfoPtr& run);
  void setLatest(Index step, std::shared_ptr<const Posterior> posterior);
  void setActive(bool active);
  bool isActive() const { return m_active; }
  bool isBusy() const { return m_runner.isBusy(); }

 signals:
  void frameReady(bayeslab::ui::UncertaintyFramePtr frame);

 private:
  void schedule();

  RunInfoPtr m_run;
  std::shared_ptr<const Dataset> m_test;  // the evenly spread subsets
  std::shared_ptr<const Dataset> m_outOfDistribution;
  std::shared_ptr<const Posterior> m_latest;
  Index m_latestStep = 0;
  Index m_computedStep = -1;
  bool m_active = false;
  LatestJobRunner<UncertaintyFramePtr> m_runner;
};

// The frame of a finished run, from the CLI's results (for the figures).
UncertaintyFrame uncertaintyFrameFromResults(const ReliabilityDiagram& reliability, int classes,
                                             const std::vector<double>& inEntropy,
                                             const std::vector<double>& oodEntropy,
                                             std::optional<double> auroc);

}  // namespace bayeslab::ui

Q_DECLARE_METATYPE(bayeslab::ui::UncertaintyFramePtr)
