#include "ui/views/views_area.h"

#include <array>
#include <limits>

#include <QEvent>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include "engine/core/parallel.h"
#include "ui/export/figure_caption.h"
#include "ui/paint/paint_controller.h"
#include "ui/paint/paint_palette.h"
#include "ui/training/divergence_banner.h"
#include "ui/training/training_controller.h"
#include "ui/views/chains_view.h"
#include "ui/views/classification_predictive_view.h"
#include "ui/views/cost_view.h"
#include "ui/views/elbo_view.h"
#include "ui/views/gradient_variance_view.h"
#include "ui/views/message_banner.h"
#include "ui/views/network_diagram_view.h"
#include "ui/views/reference_view.h"
#include "ui/views/regression_predictive_view.h"
#include "ui/views/rotated_mnist_view.h"
#include "ui/views/uncertainty_view.h"
#include "ui/views/weight_posterior_view.h"

namespace bayeslab::ui {

namespace {
constexpr int kRepaintMilliseconds = 33;  // ~30 Hz: smooth, and far below the training rate
// Histograms of thousands of weights change slowly and cost the most to lay
// out; a few updates per second read better than thirty.
constexpr int kWeightsMilliseconds = 200;
}  // namespace

ViewsArea::ViewsArea(TrainingController* controller, QWidget* parent)
    : QWidget(parent),
      m_controller(controller),
      m_rotationService(&m_analysisPool),
      m_uncertaintyService(&m_analysisPool),
      m_gradientService(&m_analysisPool),
      m_referenceService(&m_analysisPool),
      m_chainService(&m_analysisPool),
      m_pinService(&m_analysisPool) {
  m_analysisPool.setMaxThreadCount(1);
  m_banner = new MessageBanner(this);
  m_divergenceBanner = new DivergenceBanner(this);
  connect(m_divergenceBanner, &DivergenceBanner::resumeRequested, controller,
          &TrainingController::resumeAfterDivergence);
  m_elbo = new ElboView(this);
  m_regression = new RegressionPredictiveView(this);
  m_classification = new ClassificationPredictiveView(this);
  m_rotation = new RotatedMnistView(this);
  m_uncertainty = new UncertaintyView(this);
  m_gradient = new GradientVarianceView(this);
  m_weights = new WeightPosteriorView(this);
  m_reference = new ReferenceView(this);
  m_chains = new ChainsView(this);
  m_cost = new CostView(this);
  m_network = new NetworkDiagramView(this);
  m_noPredictive = new QLabel(this);
  m_noPredictive->setAlignment(Qt::AlignCenter);
  m_noPredictive->setWordWrap(true);

  m_predictiveStack = new QStackedWidget(this);
  m_predictiveStack->addWidget(m_regression);
  m_predictiveStack->addWidget(m_classification);
  m_predictiveStack->addWidget(m_rotation);
  m_predictiveStack->addWidget(m_noPredictive);

  m_tabs = new QTabWidget(this);
  m_tabs->setObjectName("viewTabs");
  m_tabs->setDocumentMode(true);
  // The paint bar (ui/paint/) sits above the predictive view, outside its figure.
  auto* predictivePage = new QWidget(this);
  m_paint = new PaintController(controller, m_regression, m_classification, predictivePage);
  auto* predictiveLayout = new QVBoxLayout(predictivePage);
  predictiveLayout->setContentsMargins(0, 0, 0, 0);
  predictiveLayout->setSpacing(0);
  predictiveLayout->addWidget(m_paint->palette());
  predictiveLayout->addWidget(m_predictiveStack, 1);
  m_tabs->addTab(predictivePage, tr("Predictive"));
  m_tabs->addTab(m_uncertainty, tr("Uncertainty quality"));
  m_tabs->addTab(m_gradient, tr("Gradient variance"));
  m_tabs->addTab(m_reference, tr("Exact reference"));
  m_tabs->addTab(m_chains, tr("Chains"));
  m_tabs->addTab(m_cost, tr("Cost"));
  m_tabs->addTab(m_network, tr("Network"));
  m_tabs->setTabToolTip(static_cast<int>(Tab::Network),
                        tr("The network as layers of nodes: each edge is a weight, coloured by "
                           "its posterior mean and drawn thinner and fainter the larger its "
                           "standard deviation; large layers show their strongest edges."));
  m_tabs->setTabToolTip(static_cast<int>(Tab::Predictive),
                        tr("The posterior predictive over the data's inputs; for images, one "
                           "test digit rotated from 0 to 180 degrees."));
  m_tabs->setTabToolTip(static_cast<int>(Tab::GradientVariance),
                        tr("Variance of the ELBO gradient for reparameterisation, local "
                           "reparameterisation, Flipout and the score function, measured at "
                           "the current posterior."));
  m_tabs->setTabToolTip(static_cast<int>(Tab::Cost),
                        tr("What each method costs on this session: parameters against the "
                           "lecture's formula, memory, time per training step and per predictive "
                           "sample, and the test log-likelihood each reaches in the same budget "
                           "(measured on demand)."));

  auto* bottom = new QSplitter(Qt::Horizontal, this);
  bottom->addWidget(m_elbo);
  bottom->addWidget(m_weights);
  bottom->setStretchFactor(0, 1);
  bottom->setStretchFactor(1, 1);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(m_tabs);
  split->addWidget(bottom);
  split->setStretchFactor(0, 11);
  split->setStretchFactor(1, 9);
  split->setChildrenCollapsible(false);
  bottom->setSizes({850, 1150});
  split->setSizes({1100, 900});

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(m_banner);
  layout->addWidget(m_divergenceBanner);
  layout->addWidget(split, 1);

  for (ChartPanel* panel : allPanels())
    connect(panel, &ChartPanel::activated, this, [this](ChartPanel* p) { m_current = p; });
  // Visibility decides what is computed: watch the views being shown and hidden.
  for (QWidget* w : {static_cast<QWidget*>(m_predictiveStack), static_cast<QWidget*>(m_rotation),
                     static_cast<QWidget*>(m_uncertainty), static_cast<QWidget*>(m_gradient),
                     static_cast<QWidget*>(m_reference), static_cast<QWidget*>(m_chains)})
    w->installEventFilter(this);
  connect(m_tabs, &QTabWidget::currentChanged, this, [this] { updateActivity(); });

  m_frameTimer.setInterval(kRepaintMilliseconds);
  m_frameTimer.setTimerType(Qt::PreciseTimer);
  connect(&m_frameTimer, &QTimer::timeout, this, &ViewsArea::drawFrame);

  connect(controller, &TrainingController::runStarted, this, &ViewsArea::onRunStarted);
  connect(controller, &TrainingController::snapshotReceived, this, &ViewsArea::onSnapshot);
  connect(controller, &TrainingController::predictiveReady, this, &ViewsArea::onPredictive);
  connect(controller, &TrainingController::stateChanged, this, &ViewsArea::onStateChanged);
  connect(controller, &TrainingController::pendingChanged, this, &ViewsArea::onStateChanged);

  connect(&m_rotationService, &RotationService::frameReady, this,
          [this](const RotationFramePtr& frame) {
            m_pendingRotation = frame;
            requestFrame();
          });
  connect(&m_uncertaintyService, &UncertaintyService::frameReady, this,
          [this](const UncertaintyFramePtr& frame) {
            m_pendingUncertainty = frame;
            requestFrame();
          });
  connect(&m_gradientService, &GradientVarianceService::frameReady, this,
          [this](const GradientVarianceFramePtr& frame) {
            m_pendingGradient = frame;
            requestFrame();
          });
  connect(&m_gradientService, &GradientVarianceService::busyChanged, m_gradient,
          &GradientVarianceView::setBusy);
  connect(m_gradient, &GradientVarianceView::measureRequested, this,
          [this] { m_gradientService.measure(); });
  connect(m_gradient, &GradientVarianceView::autoRefreshChanged, &m_gradientService,
          &GradientVarianceService::setAutoRefresh);
  connect(m_gradient, &GradientVarianceView::repetitionsChanged, &m_gradientService,
          &GradientVarianceService::setRepetitions);
  connect(m_cost, &CostView::measureRequested, this, &ViewsArea::measureCost);
  connect(m_cost, &CostView::cancelRequested, &m_costService, &CostService::cancel);
  connect(&m_costService, &CostService::busyChanged, m_cost, &CostView::setBusy);
  connect(&m_costService, &CostService::progressed, m_cost, &CostView::setProgress);
  connect(&m_costService, &CostService::frameReady, this, [this](const CostFramePtr& frame) {
    m_pendingCost = frame;
    requestFrame();
  });
  connect(&m_referenceService, &ReferenceService::frameReady, this,
          [this](const ReferenceFramePtr& frame) {
            m_pendingReference = frame;
            requestFrame();
          });
  connect(&m_chainService, &ChainService::frameReady, this, [this](const ChainFramePtr& frame) {
    m_pendingChains = frame;
    requestFrame();
  });
  connect(m_reference, &ReferenceView::pairChanged, &m_referenceService,
          &ReferenceService::setPair);
  connect(m_chains, &ChainsView::parameterChanged, &m_chainService, &ChainService::setParameter);
  connect(&m_pinService, &PinnedReferenceService::pinnedChanged, this, &ViewsArea::onPinned);
  connect(m_rotation, &RotatedMnistView::digitChanged, &m_rotationService,
          &RotationService::setDigit);
  connect(m_rotation, &RotatedMnistView::angleStepChanged, &m_rotationService,
          &RotationService::setAngleStep);
  connect(m_rotation, &RotatedMnistView::clearOverlaysRequested, &m_rotationService,
          &RotationService::clearOverlays);
}

ViewsArea::~ViewsArea() {
  for (QWidget* w : {static_cast<QWidget*>(m_predictiveStack), static_cast<QWidget*>(m_rotation),
                     static_cast<QWidget*>(m_uncertainty), static_cast<QWidget*>(m_gradient),
                     static_cast<QWidget*>(m_reference), static_cast<QWidget*>(m_chains)})
    w->removeEventFilter(this);
}

QList<ChartPanel*> ViewsArea::allPanels() const {
  return {m_elbo,    m_regression, m_classification, m_rotation, m_uncertainty, m_gradient,
          m_weights, m_reference,  m_chains,         m_cost,     m_network};
}

QList<ChartPanel*> ViewsArea::panels() const {
  QList<ChartPanel*> list{m_elbo};
  QWidget* predictive = m_predictiveStack->currentWidget();
  if (predictive == m_regression) list << m_regression;
  if (predictive == m_classification) list << m_classification;
  if (predictive == m_rotation && m_rotation->hasFrame()) list << m_rotation;
  list << m_weights;
  if (isTabEnabled(Tab::Uncertainty) && m_uncertainty->hasFrame()) list << m_uncertainty;
  if (m_gradient->hasMeasurement()) list << m_gradient;
  if (isTabEnabled(Tab::Reference) && m_reference->hasFrame()) list << m_reference;
  if (isTabEnabled(Tab::Chains) && m_chains->hasFrame()) list << m_chains;
  if (m_cost->hasMeasurement()) list << m_cost;
  if (m_network->hasSummary()) list << m_network;
  return list;
}

ChartPanel* ViewsArea::currentPanel() const {
  const QList<ChartPanel*> shown = panels();
  if (m_current && shown.contains(m_current)) return m_current;
  auto* page = qobject_cast<ChartPanel*>(m_tabs->currentWidget());
  if (page && shown.contains(page)) return page;
  auto* predictive = qobject_cast<ChartPanel*>(m_predictiveStack->currentWidget());
  return predictive && shown.contains(predictive) ? predictive : shown.front();
}

void ViewsArea::showTab(Tab tab) {
  m_tabs->setCurrentIndex(static_cast<int>(tab));
}

bool ViewsArea::isTabEnabled(Tab tab) const {
  return m_tabs->isTabEnabled(static_cast<int>(tab));
}

bool ViewsArea::showTabNamed(const QString& title) {
  for (int i = 0; i < m_tabs->count(); ++i) {
    if (m_tabs->tabText(i).compare(title, Qt::CaseInsensitive) != 0 || !m_tabs->isTabEnabled(i))
      continue;
    m_tabs->setCurrentIndex(i);
    return true;
  }
  return false;
}

void ViewsArea::pinReference(const QString& label) {
  if (!m_controller->hasRun() || !m_controller->latestPosterior()) return;
  m_pinService.pin(m_controller->currentStep(), m_controller->latestPosterior(), label);
}

void ViewsArea::measureCost() {
  if (!m_controller->hasRun() || m_costService.isBusy()) return;
  m_controller->pause();
  const RunInfoPtr& run = m_controller->run();
  CostOptions options;
  options.steps = m_cost->budget();
  m_costService.measure(run->runId, m_controller->runningConfig(), run->data, options);
}

void ViewsArea::clearReference() {
  m_pinService.clear();
}

void ViewsArea::onPinned(const PinnedReferencePtr& pinned) {
  m_regression->setReference(pinned);
  m_reference->setPinned(pinned);
  m_referenceService.setPinned(pinned);
  updateReferenceTab();
  emit pinnedChanged(pinned);
}

void ViewsArea::updateReferenceTab() {
  const int index = static_cast<int>(Tab::Reference);
  const bool applies = m_referenceService.applies();
  m_tabs->setTabEnabled(index, applies);
  m_tabs->setTabText(
      index, m_referenceService.exact() || !applies ? tr("Exact reference") : tr("Reference"));
  m_tabs->setTabToolTip(
      index,
      m_referenceService.exact()
          ? tr("The exact posterior of Bayesian linear regression and its log evidence beside "
               "this method's posterior, weights and predictive.")
      : applies
          ? tr("The pinned reference run (%1) beside this method's posterior.")
                .arg(m_pinService.pinned() ? m_pinService.pinned()->label : QString())
          : tr("Needs an exact posterior (a linear model, \"hidden\": [], with fixed Gaussian "
               "noise and a Gaussian prior) or a pinned reference run on the same data and "
               "network (View > Pin as reference)."));
  if (!applies && m_tabs->currentIndex() == index) showTab(Tab::Predictive);
}

void ViewsArea::updateCaptions() {
  if (!m_captionRun || !m_captionRun->method) return;
  const RunInfo& run = *m_captionRun;
  const QString caption =
      figureCaption(QString::fromStdString(run.method->displayName), run.config.prior,
                    m_shownPrior.get(), run.config.dataset.name, run.data->train.size());
  for (ChartPanel* panel : allPanels()) panel->setCaption(caption);
}

void ViewsArea::setZoom(double zoom) {
  for (ChartPanel* panel : allPanels()) panel->setZoom(zoom);
}

void ViewsArea::setTheme(Theme theme) {
  for (ChartPanel* panel : allPanels()) panel->setTheme(theme);
}

void ViewsArea::setPresentationMode(bool on) {
  for (ChartPanel* panel : allPanels()) panel->setPresentationMode(on);
}

bool ViewsArea::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Show || event->type() == QEvent::Hide)
    QMetaObject::invokeMethod(this, &ViewsArea::updateActivity, Qt::QueuedConnection);
  return QWidget::eventFilter(watched, event);
}

void ViewsArea::updateActivity() {
  m_rotationService.setActive(m_rotation->isVisible());
  m_uncertaintyService.setActive(m_uncertainty->isVisible());
  m_gradientService.setActive(m_gradient->isVisible());
  m_referenceService.setActive(m_reference->isVisible());
  m_chainService.setActive(m_chains->isVisible());
  PredictiveService& predictive = m_controller->predictiveService();
  const bool grid = m_predictiveStack->isVisible();
  if (grid != predictive.gridEnabled()) {
    predictive.setGridEnabled(grid);
    // Back on screen: draw the newest posterior rather than wait for the next step.
    if (grid && m_controller->latestPosterior())
      predictive.request(m_controller->currentStep(), m_controller->latestPosterior());
  }
}

void ViewsArea::onRunStarted(const RunInfoPtr& run) {
  m_pendingRows.clear();
  m_pendingFrame.reset();
  m_pendingSummary.reset();
  m_pendingPrior.reset();
  m_pendingRotation.reset();
  m_pendingUncertainty.reset();
  m_pendingGradient.reset();
  m_pendingReference.reset();
  m_pendingChains.reset();
  m_weightsClock.invalidate();
  m_elbo->setRun(*run->method, run->task(), run->config.training.steps);
  std::vector<Index> boundaries;
  const Index parts = std::max(1, run->config.sequential.parts);
  for (Index k = 1; k < parts; ++k)
    boundaries.push_back(partRange(run->config.training.steps, parts, k).begin);
  m_elbo->setPartBoundaries(boundaries);
  m_weights->clear();
  m_network->clear();
  m_weights->setPrior(run->prior);
  m_shownPrior = run->prior;
  m_captionRun = run;
  updateCaptions();

  m_rotationService.setRun(run);
  m_uncertaintyService.setRun(run);
  m_gradientService.setRun(run);
  m_rotationService.setLatest(0, run->initialPosterior);
  m_uncertaintyService.setLatest(0, run->initialPosterior);
  m_gradientService.setLatest(0, run->initialPosterior);

  // The reference: exact when the session has one, else a pinned run on the same data.
  m_exact = run->exact;
  m_elbo->setLogEvidence(m_exact ? m_exact->logEvidence : std::numeric_limits<double>::quiet_NaN());
  m_pinService.setRun(run);
  m_referenceService.setPinned(m_pinService.pinned());
  m_referenceService.setRun(run);
  m_reference->setPinned(m_pinService.pinned());
  m_reference->setRun(*run);
  m_regression->setReference(m_pinService.pinned());
  updateReferenceTab();
  // The chains view starts at the weight the method monitors, when it has such an option.
  const OptionValues options = withDefaults(run->method->options, run->config.method.options);
  const Index monitored = options.has("monitor_weight") ? options.integer("monitor_weight") : 0;
  m_chainService.setRun(run);
  m_chains->setRun(*run, std::min<Index>(monitored, run->layout.parameterCount() - 1));
  m_chainService.setParameter(m_chains->parameter());
  const int chains = static_cast<int>(Tab::Chains);
  m_tabs->setTabEnabled(chains, m_chainService.applies());
  m_tabs->setTabToolTip(
      chains, m_chainService.applies()
                  ? tr("The sampler's Markov chains: trace of a chosen weight, split R\u0302, "
                       "effective sample size and autocorrelation.")
                  : tr("Needs a sampling method (its posterior is a set of Markov chains: SGLD, "
                       "HMC)."));
  if (!m_chainService.applies() && m_tabs->currentIndex() == chains) showTab(Tab::Predictive);

  const Dataset& train = run->data->train;
  const bool classification = train.task == Task::Classification;
  if (train.isImage()) {
    std::vector<int> labels;
    for (const Dataset* set : {&run->data->test, &run->data->outOfDistribution})
      for (Index i = 0; i < set->size(); ++i) labels.push_back(set->labels(i));
    m_rotation->setCandidates(labels, run->data->test.size(), m_rotationService.digit());
    m_rotation->setAngleStep(m_rotationService.angleStep());
    m_rotation->setMethodName(QString::fromStdString(run->method->displayName));
    m_rotation->clearFrame();
    m_predictiveStack->setCurrentWidget(m_rotation);
  } else if (train.task == Task::Regression && train.inputDim() == 1) {
    m_regression->setTrainingData(train);
    m_regression->clearPredictive();
    m_predictiveStack->setCurrentWidget(m_regression);
  } else if (classification && train.inputDim() == 2) {
    m_classification->setTrainingData(train);
    m_classification->clearPredictive();
    m_predictiveStack->setCurrentWidget(m_classification);
  } else {
    m_noPredictive->setText(
        tr("The predictive plot needs 1-D regression, 2-D classification or image inputs; this "
           "data set has %1-D inputs. The training curves and the weight posterior are below.")
            .arg(train.inputDim()));
    m_predictiveStack->setCurrentWidget(m_noPredictive);
  }
  m_tabs->setTabText(static_cast<int>(Tab::Predictive),
                     train.isImage() ? tr("Rotated MNIST") : tr("Predictive"));

  m_tabs->setTabEnabled(static_cast<int>(Tab::Uncertainty), classification);
  m_tabs->setTabToolTip(
      static_cast<int>(Tab::Uncertainty),
      classification ? tr("Reliability diagram with the ECE, and predictive entropy in and out "
                          "of distribution with the AUROC.")
                     : tr("Needs a classification data set (calibration and out-of-distribution "
                          "detection are about class probabilities)."));
  if (!classification && m_tabs->currentIndex() == static_cast<int>(Tab::Uncertainty))
    showTab(Tab::Predictive);
  m_uncertainty->clear();
  m_uncertainty->setNoOutOfDistributionHint(
      UncertaintyView::noOutOfDistributionHint(train.isImage()));
  m_gradient->clear();
  m_gradient->setUnavailable(train.size() == 0 ? tr("no training data to measure on") : QString());
  // A measurement stays: it describes the session it names until the next one.
  m_cost->setSessionSteps(run->config.training.steps);
  m_cost->setUnavailable(train.size() == 0 ? tr("no training data to measure on") : QString());
  onStateChanged();
  updateActivity();
}

void ViewsArea::onSnapshot(const SnapshotPtr& snapshot) {
  m_pendingRows.insert(m_pendingRows.end(), snapshot->rows.begin(), snapshot->rows.end());
  if (snapshot->priorObject && snapshot->priorObject != m_shownPrior)
    m_pendingPrior = snapshot->priorObject;
  if (snapshot->posterior) {
    m_rotationService.setLatest(snapshot->step, snapshot->posterior);
    m_uncertaintyService.setLatest(snapshot->step, snapshot->posterior);
    m_gradientService.setLatest(snapshot->step, snapshot->posterior);
    m_referenceService.setLatest(snapshot->step, snapshot->posterior);
    m_chainService.setLatest(snapshot->step, snapshot->posterior);
  }
  if (snapshot->exact != m_exact) {
    // A live prior change moved the exact posterior.
    m_exact = snapshot->exact;
    m_elbo->setLogEvidence(m_exact ? m_exact->logEvidence
                                   : std::numeric_limits<double>::quiet_NaN());
    m_referenceService.setExact(m_exact);
    m_chains->setExact(m_exact);
    updateReferenceTab();
  }
  requestFrame();
}

void ViewsArea::onPredictive(const PredictiveFramePtr& frame) {
  m_pendingFrame = frame;  // an older one not yet drawn is simply replaced
  requestFrame();
}

void ViewsArea::onStateChanged() {
  if (m_controller->status() == TrainerStatus::Diverged) {
    // The divergence banner says it all (and offers the way back).
    const DivergenceInfo& d = m_controller->divergence();
    const MethodTraits traits = m_controller->hasRun() && m_controller->run()->method
                                    ? m_controller->run()->method->traits
                                    : MethodTraits{};
    m_divergenceBanner->showDivergence(d, m_controller->appliedLearningRate(), traits.usesOptimizer,
                                       traits.usesMcSamples);
    m_elbo->markDivergence(d.step);
    if (m_controller->hasPendingChanges())
      m_banner->showMessage(m_controller->pendingReason(), MessageBanner::Level::Notice);
    else
      m_banner->clearMessage();
    return;
  }
  m_divergenceBanner->hideBanner();
  if (m_controller->hasPendingChanges()) {
    m_banner->showMessage(m_controller->pendingReason(), MessageBanner::Level::Notice);
  } else {
    m_banner->clearMessage();
  }
}

void ViewsArea::requestFrame() {
  if (!m_frameTimer.isActive()) m_frameTimer.start();
}

void ViewsArea::drawFrame() {
  if (m_pendingRows.empty() && !m_pendingFrame && !m_pendingPrior && !m_pendingSummary &&
      !m_pendingRotation && !m_pendingUncertainty && !m_pendingGradient && !m_pendingReference &&
      !m_pendingChains && !m_pendingCost) {
    m_frameTimer.stop();  // idle: no wake-ups while nothing changes
    return;
  }
  if (m_pendingPrior) {
    m_shownPrior = std::move(m_pendingPrior);
    m_pendingPrior.reset();
    m_weights->setPrior(m_shownPrior);
    updateCaptions();
  }
  // The three large redraws (training curves, predictive, weight histograms)
  // take turns, one per frame, so that no frame pays for all of them: each still
  // updates 10-30 times a second, and a frame stays well inside 16 ms.
  const bool weightsDue = m_pendingSummary && (!m_weightsClock.isValid() ||
                                               m_weightsClock.elapsed() >= kWeightsMilliseconds);
  const std::array<bool, 3> pending = {!m_pendingRows.empty(), m_pendingFrame != nullptr,
                                       weightsDue};
  for (int k = 1; k <= 3; ++k) {
    const int turn = (m_lastTurn + k) % 3;
    if (!pending[static_cast<size_t>(turn)]) continue;
    m_lastTurn = turn;
    if (turn == 0) {
      m_elbo->appendRows(m_pendingRows);
      m_reference->appendRows(m_pendingRows);
      m_chains->appendRows(m_pendingRows);
      m_pendingRows.clear();
    } else if (turn == 1) {
      const PredictiveFrame& frame = *m_pendingFrame;
      if (frame.regression && frame.regressionGrid)
        m_regression->setPredictive(*frame.regressionGrid, *frame.regression);
      if (frame.classification && frame.classificationGrid)
        m_classification->setPredictive(*frame.classificationGrid, *frame.classification);
      m_pendingSummary = m_pendingFrame;
      m_pendingFrame.reset();
    } else {
      m_weights->setSummary(m_pendingSummary->summary);
      // By pointer: the diagram is built only when its tab paints (or exports).
      m_network->setSummary(
          std::shared_ptr<const PosteriorSummary>(m_pendingSummary, &m_pendingSummary->summary));
      m_pendingSummary.reset();
      m_weightsClock.start();
    }
    break;
  }
  if (m_pendingRotation) m_rotation->setFrame(std::exchange(m_pendingRotation, nullptr));
  if (m_pendingUncertainty) m_uncertainty->setFrame(std::exchange(m_pendingUncertainty, nullptr));
  if (m_pendingGradient) m_gradient->setFrame(std::exchange(m_pendingGradient, nullptr));
  if (m_pendingReference) m_reference->setFrame(std::exchange(m_pendingReference, nullptr));
  if (m_pendingChains) m_chains->setFrame(std::exchange(m_pendingChains, nullptr));
  if (m_pendingCost) m_cost->setFrame(std::exchange(m_pendingCost, nullptr));
  ++m_frames;
}

}  // namespace bayeslab::ui
