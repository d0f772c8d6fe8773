#pragma once
// The central area of the main window. On top, tabs: "Predictive" (the view
// that fits the data: regression, classification, or for image data the
// rotated-MNIST view), "Uncertainty quality" (classification only),
// "Gradient variance", "Exact reference" (when the session has an exact
// posterior or a pinned reference run applies), "Chains" (when the
// posterior has Markov chains) and "Cost" (every method measured on the
// session, on demand, on the cost service's own thread) and "Network" (the MLP
// drawn with its weights' means and uncertainty); below, the training curves and the weight
// posterior; above everything a banner for divergence and pending changes.
//
// A run can be pinned as the reference for later runs on the same data
// (pinReference): its predictive is overlaid in the regression view and its
// weights in the reference view until the data change or clearReference().
//
// Repaints are coalesced here: snapshots and background results only store
// the newest data and arm a ~30 Hz frame timer; each frame pushes what arrived
// into the views in one replace per series. The timer stops when idle.
//
// Work follows visibility: the rotation sweep, the uncertainty analysis and
// the gradient-variance measurement, the reference comparison and the chain
// diagnostics run (on one shared background thread) only while their view is
// on screen, and the predictive grid only while the
// Predictive tab is; hidden views cost the training machine nothing.
#include <QElapsedTimer>
#include <QThreadPool>
#include <QTimer>
#include <QWidget>

#include "ui/training/chain_service.h"
#include "ui/training/cost_service.h"
#include "ui/training/gradient_variance_service.h"
#include "ui/training/pinned_reference_service.h"
#include "ui/training/predictive_frame.h"
#include "ui/training/reference_service.h"
#include "ui/training/rotation_service.h"
#include "ui/training/training_snapshot.h"
#include "ui/training/uncertainty_service.h"
#include "ui/views/chart_style.h"

QT_BEGIN_NAMESPACE
class QLabel;
class QStackedWidget;
class QTabWidget;
QT_END_NAMESPACE

namespace bayeslab::ui {

class ChainsView;
class ChartPanel;
class ClassificationPredictiveView;
class CostView;
class ElboView;
class GradientVarianceView;
class MessageBanner;
class DivergenceBanner;
class NetworkDiagramView;
class PaintController;
class ReferenceView;
class RegressionPredictiveView;
class RotatedMnistView;
class TrainingController;
class UncertaintyView;
class WeightPosteriorView;

class ViewsArea : public QWidget {
  Q_OBJECT

 public:
  enum class Tab {
    Predictive = 0,
    Uncertainty = 1,
    GradientVariance = 2,
    Reference = 3,
    Chains = 4,
    Cost = 5,
    Network = 6
  };

  explicit ViewsArea(TrainingController* controller, QWidget* parent = nullptr);
  ~ViewsArea() override;

  ElboView* elboView() const { return m_elbo; }
  DivergenceBanner* divergenceBanner() const { return m_divergenceBanner; }
  RegressionPredictiveView* regressionView() const { return m_regression; }
  ClassificationPredictiveView* classificationView() const { return m_classification; }
  RotatedMnistView* rotationView() const { return m_rotation; }
  UncertaintyView* uncertaintyView() const { return m_uncertainty; }
  GradientVarianceView* gradientVarianceView() const { return m_gradient; }
  WeightPosteriorView* weightView() const { return m_weights; }
  ReferenceView* referenceView() const { return m_reference; }
  ChainsView* chainsView() const { return m_chains; }
  CostView* costView() const { return m_cost; }
  NetworkDiagramView* networkView() const { return m_network; }
  // Painting training data on the predictive view (ui/paint/paint_controller.h).
  PaintController* paint() const { return m_paint; }
  QTabWidget* tabs() const { return m_tabs; }
  void showTab(Tab tab);
  bool isTabEnabled(Tab tab) const;
  // Selects the tab whose title is `title` (case-insensitive); false if none is enabled.
  bool showTabNamed(const QString& title);

  // Keeps the current run's newest posterior as the reference (built off the UI thread;
  // label empty: "<method> reference"). pinnedChanged follows when it is ready.
  void pinReference(const QString& label = {});
  void clearReference();
  const PinnedReferencePtr& pinnedReference() const { return m_pinService.pinned(); }

  RotationService& rotationService() { return m_rotationService; }
  UncertaintyService& uncertaintyService() { return m_uncertaintyService; }
  GradientVarianceService& gradientVarianceService() { return m_gradientService; }
  ReferenceService& referenceService() { return m_referenceService; }
  ChainService& chainService() { return m_chainService; }
  CostService& costService() { return m_costService; }
  // Measures the cost of every method on the current session (the Cost tab's Measure):
  // pauses training so that the timings are its own, and takes the view's budget.
  void measureCost();

  // The views that show this run (those that apply to its data and have something to show).
  QList<ChartPanel*> panels() const;
  // The view last clicked into (for File > Export current); the predictive one by default.
  ChartPanel* currentPanel() const;
  void setPresentationMode(bool on);
  // Chart fonts x zoom (View > Zoom) and the charts' colours (View > Theme).
  void setZoom(double zoom);
  void setTheme(Theme theme);
  // Frames drawn so far (a diagnostic: frames stay near 30 per second however fast training runs).
  quint64 frameCount() const { return m_frames; }

 signals:
  // The pinned reference changed (null: cleared).
  void pinnedChanged(bayeslab::ui::PinnedReferencePtr pinned);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QList<ChartPanel*> allPanels() const;
  void onRunStarted(const RunInfoPtr& run);
  void onSnapshot(const SnapshotPtr& snapshot);
  void onPredictive(const PredictiveFramePtr& frame);
  void onStateChanged();
  void updateActivity();
  void drawFrame();
  void requestFrame();
  void onPinned(const PinnedReferencePtr& pinned);
  void updateReferenceTab();
  // The export caption (method, prior, data) of every view, for the current run and prior.
  void updateCaptions();

  TrainingController* m_controller;
  MessageBanner* m_banner = nullptr;
  DivergenceBanner* m_divergenceBanner = nullptr;
  QTabWidget* m_tabs = nullptr;
  QStackedWidget* m_predictiveStack = nullptr;
  QLabel* m_noPredictive = nullptr;
  ElboView* m_elbo = nullptr;
  RegressionPredictiveView* m_regression = nullptr;
  ClassificationPredictiveView* m_classification = nullptr;
  PaintController* m_paint = nullptr;
  RotatedMnistView* m_rotation = nullptr;
  UncertaintyView* m_uncertainty = nullptr;
  GradientVarianceView* m_gradient = nullptr;
  WeightPosteriorView* m_weights = nullptr;
  ReferenceView* m_reference = nullptr;
  ChainsView* m_chains = nullptr;
  CostView* m_cost = nullptr;
  NetworkDiagramView* m_network = nullptr;
  ChartPanel* m_current = nullptr;

  // One background thread for the analyses, beside the predictive service's.
  QThreadPool m_analysisPool;
  RotationService m_rotationService;
  UncertaintyService m_uncertaintyService;
  GradientVarianceService m_gradientService;
  ReferenceService m_referenceService;
  ChainService m_chainService;
  PinnedReferenceService m_pinService;
  // Its own thread: a measurement trains every method and would hold up the analyses.
  CostService m_costService;

  QTimer m_frameTimer;
  std::vector<MetricsRow> m_pendingRows;
  PredictiveFramePtr m_pendingFrame;
  PredictiveFramePtr m_pendingSummary;  // waits for the weights view's slower clock
  RotationFramePtr m_pendingRotation;
  UncertaintyFramePtr m_pendingUncertainty;
  GradientVarianceFramePtr m_pendingGradient;
  ReferenceFramePtr m_pendingReference;
  ChainFramePtr m_pendingChains;
  CostFramePtr m_pendingCost;
  std::shared_ptr<const LinearRegressionPosterior> m_exact;
  QElapsedTimer m_weightsClock;
  std::shared_ptr<const Prior> m_shownPrior;
  std::shared_ptr<const Prior> m_pendingPrior;
  RunInfoPtr m_captionRun;
  quint64 m_frames = 0;
  int m_lastTurn = 2;  // which large redraw went last (see drawFrame)
};

}  // namespace bayeslab::ui
