#pragma once
// The central area of the main window: the predictive view that fits the data
// (regression or classification) on top, the training curves and the weight
// posterior below, and a banner for divergence and pending changes.
//
// Repaints are coalesced here: snapshots and predictive frames only store the
// newest data and arm a ~30 Hz frame timer; each frame pushes what arrived
// into the views in one replace per series. The timer stops when idle.
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include "ui/training/predictive_frame.h"
#include "ui/training/training_snapshot.h"

QT_BEGIN_NAMESPACE
class QLabel;
class QStackedWidget;
QT_END_NAMESPACE

namespace bayeslab::ui {

class ChartPanel;
class ClassificationPredictiveView;
class ElboView;
class MessageBanner;
class RegressionPredictiveView;
class TrainingController;
class WeightPosteriorView;

class ViewsArea : public QWidget {
  Q_OBJECT

 public:
  explicit ViewsArea(TrainingController* controller, QWidget* parent = nullptr);

  ElboView* elboView() const { return m_elbo; }
  RegressionPredictiveView* regressionView() const { return m_regression; }
  ClassificationPredictiveView* classificationView() const { return m_classification; }
  WeightPosteriorView* weightView() const { return m_weights; }
  // The views that show this run (the predictive view that fits its data).
  QList<ChartPanel*> panels() const;
  // The view last clicked into (for File > Export current); the predictive one by default.
  ChartPanel* currentPanel() const;
  void setPresentationMode(bool on);
  // Frames drawn so far (a diagnostic: frames stay near 30 per second however fast training runs).
  quint64 frameCount() const { return m_frames; }

 private:
  void onRunStarted(const RunInfoPtr& run);
  void onSnapshot(const SnapshotPtr& snapshot);
  void onPredictive(const PredictiveFramePtr& frame);
  void onStateChanged();
  void drawFrame();
  void requestFrame();

  TrainingController* m_controller;
  MessageBanner* m_banner = nullptr;
  QStackedWidget* m_predictiveStack = nullptr;
  QLabel* m_noPredictive = nullptr;
  ElboView* m_elbo = nullptr;
  RegressionPredictiveView* m_regression = nullptr;
  ClassificationPredictiveView* m_classification = nullptr;
  WeightPosteriorView* m_weights = nullptr;
  ChartPanel* m_current = nullptr;

  QTimer m_frameTimer;
  std::vector<MetricsRow> m_pendingRows;
  PredictiveFramePtr m_pendingFrame;
  PredictiveFramePtr m_pendingSummary;  // waits for the weights view's slower clock
  QElapsedTimer m_weightsClock;
  std::shared_ptr<const Prior> m_shownPrior;
  std::shared_ptr<const Prior> m_pendingPrior;
  quint64 m_frames = 0;
};

}  // namespace bayeslab::ui
