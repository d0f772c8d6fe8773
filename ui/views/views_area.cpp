#include "ui/views/views_area.h"

#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "ui/training/training_controller.h"
#include "ui/views/classification_predictive_view.h"
#include "ui/views/elbo_view.h"
#include "ui/views/message_banner.h"
#include "ui/views/regression_predictive_view.h"
#include "ui/views/weight_posterior_view.h"

namespace bayeslab::ui {

namespace {
constexpr int kFrameMilliseconds = 33;  // ~30 Hz: smooth, and far below the training rate
// Histograms of thousands of weights change slowly and cost the most to lay
// out; a few updates per second read better than thirty.
constexpr int kWeightsMilliseconds = 200;
}  // namespace

ViewsArea::ViewsArea(TrainingController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller) {
  m_banner = new MessageBanner(this);
  m_elbo = new ElboView(this);
  m_regression = new RegressionPredictiveView(this);
  m_classification = new ClassificationPredictiveView(this);
  m_weights = new WeightPosteriorView(this);
  m_noPredictive = new QLabel(this);
  m_noPredictive->setAlignment(Qt::AlignCenter);
  m_noPredictive->setWordWrap(true);

  m_predictiveStack = new QStackedWidget(this);
  m_predictiveStack->addWidget(m_regression);
  m_predictiveStack->addWidget(m_classification);
  m_predictiveStack->addWidget(m_noPredictive);

  auto* bottom = new QSplitter(Qt::Horizontal, this);
  bottom->addWidget(m_elbo);
  bottom->addWidget(m_weights);
  bottom->setStretchFactor(0, 1);
  bottom->setStretchFactor(1, 1);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(m_predictiveStack);
  split->addWidget(bottom);
  split->setStretchFactor(0, 11);
  split->setStretchFactor(1, 9);
  split->setChildrenCollapsible(false);
  bottom->setSizes({850, 1150});
  split->setSizes({1000, 1000});

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(m_banner);
  layout->addWidget(split, 1);

  for (ChartPanel* panel :
       {static_cast<ChartPanel*>(m_elbo), static_cast<ChartPanel*>(m_regression),
        static_cast<ChartPanel*>(m_classification), static_cast<ChartPanel*>(m_weights)})
    connect(panel, &ChartPanel::activated, this, [this](ChartPanel* p) { m_current = p; });

  m_frameTimer.setInterval(kFrameMilliseconds);
  m_frameTimer.setTimerType(Qt::PreciseTimer);
  connect(&m_frameTimer, &QTimer::timeout, this, &ViewsArea::drawFrame);

  connect(controller, &TrainingController::runStarted, this, &ViewsArea::onRunStarted);
  connect(controller, &TrainingController::snapshotReceived, this, &ViewsArea::onSnapshot);
  connect(controller, &TrainingController::predictiveReady, this, &ViewsArea::onPredictive);
  connect(controller, &TrainingController::stateChanged, this, &ViewsArea::onStateChanged);
  connect(controller, &TrainingController::pendingChanged, this, &ViewsArea::onStateChanged);
}

QList<ChartPanel*> ViewsArea::panels() const {
  QList<ChartPanel*> list{m_elbo};
  if (m_predictiveStack->currentWidget() == m_regression) list << m_regression;
  if (m_predictiveStack->currentWidget() == m_classification) list << m_classification;
  list << m_weights;
  return list;
}

ChartPanel* ViewsArea::currentPanel() const {
  const QList<ChartPanel*> shown = panels();
  if (m_current && shown.contains(m_current)) return m_current;
  return shown.size() > 2 ? shown[1] : shown.front();
}

void ViewsArea::setPresentationMode(bool on) {
  for (ChartPanel* panel :
       {static_cast<ChartPanel*>(m_elbo), static_cast<ChartPanel*>(m_regression),
        static_cast<ChartPanel*>(m_classification), static_cast<ChartPanel*>(m_weights)})
    panel->setPresentationMode(on);
}

void ViewsArea::onRunStarted(const RunInfoPtr& run) {
  m_pendingRows.clear();
  m_pendingFrame.reset();
  m_pendingSummary.reset();
  m_pendingPrior.reset();
  m_weightsClock.invalidate();
  m_elbo->setRun(*run->method, run->task(), run->config.training.steps);
  m_weights->clear();
  m_weights->setPrior(run->prior);
  m_shownPrior = run->prior;
  const Dataset& train = run->data->train;
  if (train.task == Task::Regression && train.inputDim() == 1) {
    m_regression->setTrainingData(train);
    m_regression->clearPredictive();
    m_predictiveStack->setCurrentWidget(m_regression);
  } else if (train.task == Task::Classification && train.inputDim() == 2) {
    m_classification->setTrainingData(train);
    m_classification->clearPredictive();
    m_predictiveStack->setCurrentWidget(m_classification);
  } else {
    m_noPredictive->setText(
        tr("The predictive plot needs 1-D regression or 2-D classification inputs; this data "
           "set has %1-D inputs. The training curves and the weight posterior are below.")
            .arg(train.inputDim()));
    m_predictiveStack->setCurrentWidget(m_noPredictive);
  }
  onStateChanged();
}

void ViewsArea::onSnapshot(const SnapshotPtr& snapshot) {
  m_pendingRows.insert(m_pendingRows.end(), snapshot->rows.begin(), snapshot->rows.end());
  if (snapshot->priorObject && snapshot->priorObject != m_shownPrior)
    m_pendingPrior = snapshot->priorObject;
  requestFrame();
}

void ViewsArea::onPredictive(const PredictiveFramePtr& frame) {
  m_pendingFrame = frame;  // an older one not yet drawn is simply replaced
  requestFrame();
}

void ViewsArea::onStateChanged() {
  if (m_controller->status() == TrainerStatus::Diverged) {
    QString message = m_controller->statusMessage();
    if (!message.isEmpty()) message[0] = message[0].toUpper();
    m_banner->showMessage(QStringLiteral("\u26a0 ") + message, MessageBanner::Level::Error);
  } else if (m_controller->hasPendingChanges()) {
    m_banner->showMessage(m_controller->pendingReason(), MessageBanner::Level::Notice);
  } else {
    m_banner->clearMessage();
  }
}

void ViewsArea::requestFrame() {
  if (!m_frameTimer.isActive()) m_frameTimer.start();
}

void ViewsArea::drawFrame() {
  if (m_pendingRows.empty() && !m_pendingFrame && !m_pendingPrior && !m_pendingSummary) {
    m_frameTimer.stop();  // idle: no wake-ups while nothing changes
    return;
  }
  if (!m_pendingRows.empty()) {
    m_elbo->appendRows(m_pendingRows);
    m_pendingRows.clear();
  }
  if (m_pendingPrior) {
    m_shownPrior = std::move(m_pendingPrior);
    m_pendingPrior.reset();
    m_weights->setPrior(m_shownPrior);
  }
  if (m_pendingFrame) {
    const PredictiveFrame& frame = *m_pendingFrame;
    if (frame.regression && frame.regressionGrid)
      m_regression->setPredictive(*frame.regressionGrid, *frame.regression);
    if (frame.classification && frame.classificationGrid)
      m_classification->setPredictive(*frame.classificationGrid, *frame.classification);
    m_pendingSummary = m_pendingFrame;
    m_pendingFrame.reset();
  }
  if (m_pendingSummary &&
      (!m_weightsClock.isValid() || m_weightsClock.elapsed() >= kWeightsMilliseconds)) {
    m_weights->setSummary(m_pendingSummary->summary);
    m_pendingSummary.reset();
    m_weightsClock.start();
  }
  ++m_frames;
}

}  // namespace bayeslab::ui
