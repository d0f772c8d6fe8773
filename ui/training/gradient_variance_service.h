#pragma once
// Measures the variance of the ELBO gradient estimators at the live posterior,
// off the UI thread (engine/diagnostics/gradient_variance.h): reparameterisation,
// local reparameterisation, Flipout and the score function, on one fixed
// minibatch of the training data chosen per run, so that measurements taken
// as training goes on differ only by the parameters.
//
// A measurement starts on request (the view's Measure button) or, with
// auto-refresh on, every few seconds while the view is on screen and the
// posterior has moved; never while its view is hidden.
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <memory>
#include <vector>

#include "engine/diagnostics/gradient_variance.h"
#include "ui/training/latest_job_runner.h"
#include "ui/training/training_snapshot.h"

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace bayeslab::ui {

struct GradientVarianceFrame {
  quint64 runId = 0;
  Index step = 0;
  std::vector<GradientVariance> estimators;
  QStringList layerNames;   // "layer 1 (1\u219264)"
  QStringList layerShapes;  // "L1: 1\u219264" (short, for chart categories)
  Index batchSize = 0;
  int repetitions = 0;
  int mcSamples = 1;
  // The posterior was not a Gaussian with spread everywhere (a point estimate,
  // samples): the estimators are compared at its mean and spread instead.
  bool substitutedSpread = false;
  double seconds = 0.0;  // the whole measurement
  QString error;
};

using GradientVarianceFramePtr = std::shared_ptr<const GradientVarianceFrame>;

// The one-line reading of a measurement, e.g. "LRT and Flipout below
// reparameterisation; score function far above." Each estimator is placed by
// the geometric mean of its two variance ratios to reparameterisation.
QString gradientVarianceReading(const std::vector<GradientVariance>& estimators);

// Measures at `posterior` on `batch` (what the service runs on its thread).
GradientVarianceFramePtr measureGradientVarianceFrame(const Posterior& posterior,
                                                      std::shared_ptr<const Likelihood> likelihood,
                                                      const Batch& batch,
                                                      const GradientVarianceOptions& options);

class GradientVarianceService : public QObject {
  Q_OBJECT

 public:
  static constexpr int kDefaultRepetitions = 64;
  static constexpr int kAutoRefreshMs = 3000;

  GradientVarianceService(QThreadPool* pool, QObject* parent = nullptr);

  void setRun(const RunInfoPtr& run);
  void setLatest(Index step, std::shared_ptr<const Posterior> posterior);
  void setActive(bool active);
  bool isActive() const { return m_active; }
  void setAutoRefresh(bool on);
  bool autoRefresh() const { return m_auto; }
  void setRepetitions(int repetitions) { m_repetitions = std::max(2, repetitions); }
  int repetitions() const { return m_repetitions; }

  // Measures now at the newest posterior (queued behind a running measurement).
  void measure();
  bool isBusy() const { return m_runner.isBusy() || m_runner.hasWaiting(); }
  Index measuredStep() const { return m_measuredStep; }

 signals:
  void frameReady(bayeslab::ui::GradientVarianceFramePtr frame);
  void busyChanged(bool busy);

 private:
  void onTimer();

  RunInfoPtr m_run;
  std::shared_ptr<const Batch> m_batch;
  std::shared_ptr<const Posterior> m_latest;
  Index m_latestStep = 0;
  Index m_measuredStep = -1;
  bool m_active = false;
  bool m_auto = false;
  int m_repetitions = kDefaultRepetitions;
  QTimer m_timer;
  LatestJobRunner<GradientVarianceFramePtr> m_runner;
};

}  // namespace bayeslab::ui

Q_DECLARE_METATYPE(bayeslab::ui::GradientVarianceFramePtr)
