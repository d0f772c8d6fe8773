#pragma once
// The rotated-MNIST sweep of the live posterior, computed off the UI thread
// (SPEC.md section 3; Gal & Ghahramani 2016, Fig. 4).
//
// Candidate digits are the test images followed by the out-of-distribution
// images (the held-out classes), so any digit can be turned. While active
// (its view on screen) new posteriors start sweeps, coalesced to the newest and
// at most kMaxPerSecond of them (live enough to watch, and the training
// machine's cores stay with training); while inactive it only remembers the
// newest posterior.
//
// Overlays: when a run is replaced by one with another method on the same
// images, the last posterior of the old run is kept (one per method) and its
// sweep is drawn dashed beside the live one. Overlay sweeps are cached per
// digit and angle step, so they cost nothing while the live curves update.
#include <QObject>
#include <QString>
#include <map>
#include <memory>
#include <vector>

#include "engine/predictive/rotation.h"
#include "ui/training/latest_job_runner.h"
#include "ui/training/training_snapshot.h"

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace bayeslab::ui {

struct RotationCurve {
  QString label;  // the method's name
  std::shared_ptr<const RotationSweep> sweep;
  std::shared_ptr<const Posterior> posterior;  // what it was computed from
};

struct RotationFrame {
  quint64 runId = 0;
  Index step = 0;
  Index digit = -1;  // candidate index (test images, then out-of-distribution ones)
  double angleStep = 10.0;
  std::shared_ptr<const RotationSweep> sweep;  // the live run
  std::vector<RotationCurve> overlays;         // earlier runs with other methods
  double milliseconds = 0.0;                   // time the live sweep took
};

using RotationFramePtr = std::shared_ptr<const RotationFrame>;

class RotationService : public QObject {
  Q_OBJECT

 public:
  static constexpr int kSamples = 48;
  static constexpr int kMaxPerSecond = 10;
  static constexpr double kMaxAngle = 180.0;

  RotationService(QThreadPool* pool, QObject* parent = nullptr);

  // A new run: the previous run's last posterior becomes an overlay when the
  // images are the same kind, otherwise the overlays are dropped. A run
  // without images makes the service idle.
  void setRun(const RunInfoPtr& run);
  // The newest posterior (computed at once when active).
  void setLatest(Index step, std::shared_ptr<const Posterior> posterior);
  // Active: the view is on screen. Becoming active computes what is missing.
  void setActive(bool active);
  bool isActive() const { return m_active; }

  void setDigit(Index candidate);
  void setAngleStep(double degrees);
  void clearOverlays();

  Index digit() const { return m_digit; }
  double angleStep() const { return m_angleStep; }
  // Candidate digits of the run: test images, then out-of-distribution images.
  Index candidateCount() const;
  int candidateLabel(Index candidate) const;
  bool isOutOfDistribution(Index candidate) const;
  // The first "1" of the test set (else of the held-out set, else the first image).
  Index defaultDigit() const;
  int overlayCount() const { return static_cast<int>(m_overlays.size()); }
  bool isBusy() const { return m_runner.isBusy(); }

 signals:
  void frameReady(bayeslab::ui::RotationFramePtr frame);

 private:
  struct Overlay {
    QString label;
    std::string methodId;
    std::shared_ptr<const Posterior> posterior;
    std::shared_ptr<const Likelihood> likelihood;
    std::uint64_t seed = 0;
    // Cached sweep and what it was computed for.
    std::shared_ptr<const RotationSweep> sweep;
    Index digit = -1;
    double angleStep = 0.0;
  };

  void schedule();
  void onFrame(RotationFramePtr frame);
  const Dataset* candidateSet(Index candidate, Index* column) const;
  bool compatible(const RunInfo& a, const RunInfo& b) const;

  RunInfoPtr m_run;
  std::shared_ptr<const Posterior> m_latest;
  Index m_latestStep = 0;
  Index m_computedStep = -1;  // step of the last sweep submitted (for the current settings)
  bool m_active = false;
  Index m_digit = 0;
  double m_angleStep = 10.0;
  std::vector<Overlay> m_overlays;
  LatestJobRunner<RotationFramePtr> m_runner;
};

}  // namespace bayeslab::ui

Q_DECLARE_METATYPE(bayeslab::ui::RotationFramePtr)
