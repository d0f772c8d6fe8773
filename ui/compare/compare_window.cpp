#include "ui/compare/compare_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTableWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/core/errors.h"
#include "engine/io/run_writer.h"
#include "engine/predictive/evaluation.h"
#include "engine/predictive/rotation.h"
#include "engine/training/session_json.h"
#include "ui/compare/compare_curves_view.h"
#include "ui/compare/compare_predictive_grid.h"
#include "ui/compare/compare_rotation_view.h"
#include "ui/compare/tweak_dialog.h"
#include "ui/export/figure_export.h"
#include "ui/training/background_priority.h"
#include "ui/training/training_controller.h"

namespace bayeslab::ui {

namespace {

constexpr int kFrameIntervalMs = 33;  // ~30 Hz for every run together
// The final ELBO: the mean minibatch ELBO of the last 10% of the steps, at most 100 (Trainer).
constexpr size_t kFinalElboWindow = 100;

enum Column {
  kRunColumn,
  kMethodColumn,
  kPriorColumn,
  kElboColumn,
  kLogLikColumn,
  kMetricColumn,
  kEceColumn,
  kMsColumn,
  kParametersColumn,
  kStepColumn,
  kColumnCount
};

QString formatNumber(double value, int precision = 4) {
  if (!std::isfinite(value)) return QStringLiteral("–");
  return QString::number(value, 'g', precision);
}

// Function draws of the rotation sweep (as the rotated-MNIST view).
constexpr int kRotationSamples = 32;

// What the background job computes for the table (and the rotation view).
struct Evaluation {
  TestMetrics test;
  std::shared_ptr<const RotationSweep> sweep;  // image data only
};

Evaluation evaluate(const Posterior& posterior, const Likelihood& likelihood, const Dataset& test,
                    const Dataset& fullTest, int samples, std::uint64_t seed) {
  Evaluation e;
  const RandomStream rng = RandomStream(seed).derive("compare-table");
  if (test.size() > 0) e.test = evaluatePredictive(posterior, likelihood, test, samples, rng, 1);
  if (fullTest.isImage() && fullTest.size() > 0) {
    const Index digit = defaultRotationDigit(fullTest);
    e.sweep = std::make_shared<const RotationSweep>(
        rotationSweep(posterior, likelihood, fullTest.inputs.col(digit).data(),
                      fullTest.imageWidth, fullTest.imageHeight, kRotationSamples,
                      RandomStream(seed).derive("rotation"), 1));
  }
  return e;
}

}  // namespace

struct CompareWindow::Run {
  quint64 id = 0;
  SessionConfig config;
  std::unique_ptr<TrainingController> controller;
  QString name;
  QColor color;
  RunInfoPtr info;
  std::shared_ptr<const Dataset> tableTest;  // the test points of the table's metrics
  // Arrived since the last frame.
  std::vector<MetricsRow> pendingRows;
  PredictiveFramePtr pendingFrame;
  std::shared_ptr<const RotationSweep> pendingSweep;
  bool newData = false;
  bool clearCurves = false;
  // The table's numbers.
  std::deque<double> recentElbo;
  Index rowCount = 0;
  Index step = 0;
  double seconds = 0.0;
  std::shared_ptr<const Posterior> posterior;
  Index posteriorStep = -1;
  TestMetrics test;
  Index evaluatedStep = -1;
  qint64 lastEvaluationMs = -1;

  double finalElbo() const {
    if (rowCount == 0 || recentElbo.empty()) return TestMetrics::kNaN;
    const size_t window = std::clamp<size_t>(static_cast<size_t>(rowCount) / 10, 1,
                                             std::min(kFinalElboWindow, recentElbo.size()));
    return std::accumulate(recentElbo.end() - static_cast<std::ptrdiff_t>(window),
                           recentElbo.end(), 0.0) /
           static_cast<double>(window);
  }
};

CompareWindow::CompareWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Compare runs"));
  setAttribute(Qt::WA_DeleteOnClose, false);
  m_clock.start();
  m_evaluationPool.setMaxThreadCount(1);

  m_note = new QLabel;
  m_note->setWordWrap(true);
  m_note->setTextFormat(Qt::RichText);
  m_note->setContentsMargins(8, 4, 8, 4);
  m_note->hide();

  m_grid = new ComparePredictiveGrid;
  m_rotation = new CompareRotationView;
  m_rotation->hide();
  m_elbo = new CompareCurvesView(CompareCurves::Elbo);
  m_test = new CompareCurvesView(CompareCurves::Test);
  m_test->setLegendVisible(false);  // the ELBO chart's legend names the runs
  m_table = new QTableWidget(0, kColumnCount);
  m_table->setHorizontalHeaderLabels({tr("run"), tr("method"), tr("prior"), tr("final ELBO"),
                                      tr("test log-lik"), tr("test RMSE"), tr("ECE"),
                                      tr("ms / step"), tr("parameters"), tr("step")});
  const QString tips[kColumnCount] = {
      tr("The run's name and colour in every chart."),
      tr("The inference method."),
      tr("The prior over the weights and its scale."),
      tr("Mean minibatch ELBO over the last 10% of the steps (at most 100), as summary.json."),
      tr("Test log-likelihood per point, averaged over function draws (higher is better)."),
      tr("RMSE (regression) or accuracy (classification) of the predictive mean on the test "
         "set."),
      tr("Expected calibration error on the test set (lower is better)."),
      tr("The run's own training time per step, in milliseconds."),
      tr("Learned scalars of the method (the cost view's count)."),
      tr("Steps taken so far."),
  };
  for (int c = 0; c < kColumnCount; ++c) m_table->horizontalHeaderItem(c)->setToolTip(tips[c]);
  m_table->setToolTip(
      tr("Live metrics of every run. The test metrics are computed on the whole test set "
         "(at most %1 points) in the background, every %2 s per training run and once when it "
         "pauses; select a row to duplicate or remove that run.")
          .arg(kTableTestPoints)
          .arg(kEvaluationIntervalMs / 1000.0));
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->verticalHeader()->hide();
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  m_table->horizontalHeader()->setSectionResizeMode(kRunColumn, QHeaderView::ResizeToContents);
  m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
  connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] { updateActions(); });

  auto* curves = new QSplitter(Qt::Vertical);
  curves->addWidget(m_elbo);
  curves->addWidget(m_test);
  auto* top = new QSplitter(Qt::Horizontal);
  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addWidget(m_grid);
  leftLayout->addWidget(m_rotation);
  top->addWidget(left);
  top->addWidget(curves);
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 2);
  top->setSizes({600, 400});  // the small multiples get the larger share
  curves->setSizes({500, 400});
  auto* main = new QSplitter(Qt::Vertical);
  main->addWidget(top);
  main->addWidget(m_table);
  main->setStretchFactor(0, 4);
  main->setStretchFactor(1, 1);
  auto* central = new QWidget;
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(m_note);
  layout->addWidget(main, 1);
  setCentralWidget(central);

  QToolBar* bar = addToolBar(tr("Comparison"));
  bar->setObjectName("compareToolBar");
  bar->setMovable(false);
  bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
  auto action = [&](const QString& text, const QString& tip, const QKeySequence& key) {
    QAction* a = bar->addAction(text);
    a->setToolTip(QString("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    a->setShortcut(key);
    return a;
  };
  m_addAction = action(tr("Add run…"),
                       tr("Adds a run from a session file; it trains on this comparison's data"),
                       QKeySequence(Qt::CTRL | Qt::Key_O));
  m_duplicateAction = action(tr("Duplicate and tweak…"),
                             tr("Copies the selected run and opens its method, prior and "
                                "training knobs: change one and add the copy"),
                             QKeySequence(Qt::CTRL | Qt::Key_D));
  m_removeAction = action(tr("Remove"), tr("Stops and removes the selected run"),
                          QKeySequence(Qt::Key_Delete));
  bar->addSeparator();
  m_playAction = action(tr("Play all"), tr("Starts or pauses every run at once"),
                        QKeySequence(Qt::Key_Space));
  m_resetAction = action(tr("Reset all"),
                         tr("Every run back to step 0 with the same initialisation"),
                         QKeySequence(Qt::CTRL | Qt::Key_R));
  bar->addSeparator();
  m_exportAction = action(tr("Export all…"),
                          tr("Writes comparison.csv, every figure (PNG, SVG) and the data behind "
                             "it (CSV) into a folder"),
                          QKeySequence(Qt::CTRL | Qt::Key_E));
  connect(m_addAction, &QAction::triggered, this, &CompareWindow::addRunFromFile);
  connect(m_duplicateAction, &QAction::triggered, this, &CompareWindow::duplicateAndTweak);
  connect(m_removeAction, &QAction::triggered, this, [this] { removeRun(selectedRun()); });
  connect(m_playAction, &QAction::triggered, this,
          [this] { anyPlaying() ? pauseAll() : playAll(); });
  connect(m_resetAction, &QAction::triggered, this, &CompareWindow::resetAll);
  connect(m_exportAction, &QAction::triggered, this, &CompareWindow::exportInteractively);

  m_frameTimer.setInterval(kFrameIntervalMs);
  connect(&m_frameTimer, &QTimer::timeout, this, &CompareWindow::frame);
  statusBar()->showMessage(tr("No runs yet: add one."));
  resize(1366, 768);
  updateActions();
}

CompareWindow::~CompareWindow() {
  m_frameTimer.stop();
  // Each controller stops its worker within one step and joins its thread.
  m_runs.clear();
  m_evaluationPool.waitForDone();
}

void CompareWindow::closeEvent(QCloseEvent* event) {
  pauseAll();
  QMainWindow::closeEvent(event);
}

void CompareWindow::setRuns(const std::vector<SessionConfig>& configs) {
  while (!m_runs.empty()) removeRun(runCount() - 1);
  m_nextRunId = 1;
  for (const SessionConfig& config : configs) addRun(config);
}

SessionConfig CompareWindow::withSharedData(SessionConfig config) const {
  if (!m_runs.empty()) config.dataset = m_runs.front()->config.dataset;
  return config;
}

void CompareWindow::addRun(const SessionConfig& config) {
  if (runCount() >= kMaxRuns) {
    statusBar()->showMessage(tr("At most %1 runs can be compared.").arg(kMaxRuns), 5000);
    return;
  }
  auto run = std::make_unique<Run>();
  run->id = m_nextRunId++;
  run->config = withSharedData(config);
  run->name = tr("run %1").arg(run->id);
  // The first colour no other run has.
  for (int k = 0;; ++k) {
    const QColor c = runColor(k);
    if (std::none_of(m_runs.begin(), m_runs.end(), [&](const auto& r) { return r->color == c; }) ||
        k >= kMaxRuns) {
      run->color = c;
      break;
    }
  }
  run->controller = std::make_unique<TrainingController>();
  Run* r = run.get();
  TrainingController* c = run->controller.get();
  connect(c, &TrainingController::runStarted, c, [this, r](RunInfoPtr info) { onRunStarted(r, info); });
  connect(c, &TrainingController::snapshotReceived, c,
          [this, r](SnapshotPtr s) { onSnapshot(r, s); });
  connect(c, &TrainingController::predictiveReady, c,
          [this, r](PredictiveFramePtr f) { onPredictive(r, f); });
  connect(c, &TrainingController::stateChanged, this, [this] { updateActions(); });
  connect(c, &TrainingController::errorOccurred, this, [this, r](const QString& message) {
    statusBar()->showMessage(QString("%1: %2").arg(r->name, message), 10000);
  });
  const QString label = runTitle(r->config);
  m_elbo->addRun(label, r->color);
  m_test->addRun(label, r->color);
  m_grid->addRun(label, r->color, Dataset{});
  m_rotation->addRun(label, r->color);
  m_runs.push_back(std::move(run));
  relabel();
  c->reset(r->config);
  updateTable();
  updateActions();
  emit runsChanged();
}

void CompareWindow::removeRun(int index) {
  if (index < 0 || index >= runCount()) return;
  m_elbo->removeRun(index);
  m_test->removeRun(index);
  m_grid->removeRun(index);
  m_rotation->removeRun(index);
  // The controller stops its worker within one step and joins the thread.
  m_runs.erase(m_runs.begin() + index);
  m_table->removeRow(index);
  relabel();
  updateTable();
  updateActions();
  emit runsChanged();
}

void CompareWindow::setNote(const QString& title, const QString& paragraph) {
  if (title.isEmpty() && paragraph.isEmpty()) {
    m_note->hide();
    return;
  }
  m_note->setText(QString("<b>%1</b> %2").arg(title.toHtmlEscaped(), paragraph.toHtmlEscaped()));
  m_note->show();
  if (!title.isEmpty()) setWindowTitle(tr("Compare runs: %1").arg(title));
}

void CompareWindow::playAll() {
  for (const auto& run : m_runs) run->controller->play();
  armFrame();
  updateActions();
}

void CompareWindow::pauseAll() {
  for (const auto& run : m_runs) run->controller->pause();
  armFrame();  // one more evaluation for the paused state
  updateActions();
}

void CompareWindow::resetAll() {
  for (const auto& run : m_runs) run->controller->reset(run->config);
  updateActions();
}

bool CompareWindow::anyPlaying() const {
  return std::any_of(m_runs.begin(), m_runs.end(),
                     [](const auto& r) { return r->controller->isPlaying(); });
}

TrainingController* CompareWindow::controller(int index) const {
  if (index < 0 || index >= runCount()) return nullptr;
  return m_runs[static_cast<size_t>(index)]->controller.get();
}

const SessionConfig& CompareWindow::runConfig(int index) const {
  return m_runs.at(static_cast<size_t>(index))->config;
}

int CompareWindow::selectedRun() const {
  const QList<QTableWidgetItem*> items = m_table->selectedItems();
  if (!items.isEmpty()) return items.front()->row();
  return runCount() > 0 ? runCount() - 1 : -1;
}

void CompareWindow::selectRun(int index) {
  if (index >= 0 && index < m_table->rowCount()) m_table->selectRow(index);
}

CompareWindow::Run* CompareWindow::runById(quint64 id) const {
  for (const auto& run : m_runs)
    if (run->id == id) return run.get();
  return nullptr;
}

int CompareWindow::indexOf(const Run* run) const {
  for (size_t k = 0; k < m_runs.size(); ++k)
    if (m_runs[k].get() == run) return static_cast<int>(k);
  return -1;
}

void CompareWindow::onRunStarted(Run* run, const RunInfoPtr& info) {
  run->info = info;
  run->newData = true;
  run->clearCurves = true;
  run->pendingRows.clear();
  run->pendingFrame.reset();
  run->pendingSweep.reset();
  run->recentElbo.clear();
  run->rowCount = 0;
  run->step = 0;
  run->seconds = 0.0;
  run->posterior = info->initialPosterior;
  run->posteriorStep = 0;
  run->test = TestMetrics{};
  run->evaluatedStep = -1;
  const Dataset& test = info->data->test;
  if (test.size() > kTableTestPoints) {
    std::vector<Index> first(static_cast<size_t>(kTableTestPoints));
    std::iota(first.begin(), first.end(), Index{0});
    run->tableTest = std::make_shared<const Dataset>(test.subset(first));
  } else {
    run->tableTest = std::shared_ptr<const Dataset>(info->data, &info->data->test);
  }
  if (indexOf(run) == 0) {
    m_task = info->task();
    m_test->setTask(m_task);
    m_table->horizontalHeaderItem(kMetricColumn)
        ->setText(m_task == Task::Regression ? tr("test RMSE") : tr("test accuracy"));
    const bool image = test.isImage();
    m_grid->setVisible(!image);
    m_rotation->setVisible(image);
    if (image && test.size() > 0)
      m_rotation->setDigitLabel(static_cast<int>(test.labels(defaultRotationDigit(test))));
  }
  armFrame();
}

void CompareWindow::onSnapshot(Run* run, const SnapshotPtr& snapshot) {
  if (!run->info || snapshot->runId != run->info->runId) return;
  for (const MetricsRow& row : snapshot->rows) {
    run->recentElbo.push_back(row.elbo);
    if (run->recentElbo.size() > kFinalElboWindow) run->recentElbo.pop_front();
    ++run->rowCount;
    run->seconds = row.seconds;
  }
  run->pendingRows.insert(run->pendingRows.end(), snapshot->rows.begin(), snapshot->rows.end());
  run->step = snapshot->step;
  if (snapshot->posterior) {
    run->posterior = snapshot->posterior;
    run->posteriorStep = snapshot->step;
  }
  armFrame();
}

void CompareWindow::onPredictive(Run* run, const PredictiveFramePtr& frame) {
  if (!run->info || frame->runId != run->info->runId) return;
  run->pendingFrame = frame;
  armFrame();
}

void CompareWindow::armFrame() {
  if (!m_frameTimer.isActive()) m_frameTimer.start();
}

void CompareWindow::frame() {
  bool work = false;
  for (size_t k = 0; k < m_runs.size(); ++k) {
    Run& run = *m_runs[k];
    const int index = static_cast<int>(k);
    if (run.newData && run.info) {
      m_grid->setTrainingData(index, run.info->data->train);
      run.newData = false;
      work = true;
    }
    if (run.clearCurves) {
      m_elbo->clearRun(index);
      m_test->clearRun(index);
      m_rotation->clearRun(index);
      run.clearCurves = false;
      work = true;
    }
    if (!run.pendingRows.empty()) {
      m_elbo->appendRows(index, run.pendingRows);
      m_test->appendRows(index, run.pendingRows);
      run.pendingRows.clear();
      work = true;
    }
  }
  // The pictures are the costly part of a frame (bands or heatmap, sampled
  // functions): one run's per frame, in turn, so a frame costs about what the
  // main window's does however many runs train; the others keep their newest.
  const size_t n = m_runs.size();
  for (size_t i = 0; i < n; ++i) {
    const size_t k = (m_nextPicture + i) % n;
    Run& run = *m_runs[k];
    if (!run.pendingFrame && !run.pendingSweep) continue;
    if (run.pendingFrame) m_grid->setFrame(static_cast<int>(k), run.pendingFrame);
    if (run.pendingSweep) m_rotation->setSweep(static_cast<int>(k), *run.pendingSweep);
    run.pendingFrame.reset();
    run.pendingSweep.reset();
    m_nextPicture = k + 1;
    work = true;
    break;
  }
  if (work) {
    m_elbo->refresh();
    m_test->refresh();
  }
  scheduleEvaluations();
  updateTable();
  ++m_frameCount;
  const bool stale = std::any_of(m_runs.begin(), m_runs.end(), [](const auto& r) {
    return (r->posterior && r->posteriorStep != r->evaluatedStep) || r->pendingFrame ||
           r->pendingSweep;
  });
  if (!work && !anyPlaying() && !m_evaluating && !stale) m_frameTimer.stop();
}

void CompareWindow::scheduleEvaluations() {
  if (m_evaluating) return;
  const qint64 now = m_clock.elapsed();
  Run* next = nullptr;
  for (const auto& run : m_runs) {
    if (!run->info || !run->posterior || run->posteriorStep == run->evaluatedStep) continue;
    const bool playing = run->controller->isPlaying();
    if (playing && run->lastEvaluationMs >= 0 && now - run->lastEvaluationMs < kEvaluationIntervalMs)
      continue;
    if (!next || run->lastEvaluationMs < next->lastEvaluationMs) next = run.get();
  }
  if (!next) return;
  m_evaluating = true;
  next->lastEvaluationMs = now;
  const quint64 id = next->id;
  const quint64 runId = next->info->runId;
  const Index step = next->posteriorStep;
  const std::shared_ptr<const Posterior> posterior = next->posterior;
  const std::shared_ptr<const Likelihood> likelihood = next->info->likelihood;
  const std::shared_ptr<const Dataset> test = next->tableTest;
  const std::shared_ptr<const DataSplit> data = next->info->data;
  const int samples = next->config.training.evalSamples;
  const std::uint64_t seed = next->config.training.seed;
  QtConcurrent::run(&m_evaluationPool,
                    [posterior, likelihood, test, data, samples, seed] {
                      lowerThisThreadsPriority();  // background work (background_priority.h)
                      return evaluate(*posterior, *likelihood, *test, data->test, samples, seed);
                    })
      .then(this, [this, id, runId, step](Evaluation e) {
        m_evaluating = false;
        Run* run = runById(id);
        if (run && run->info && run->info->runId == runId) {
          run->test = e.test;
          run->evaluatedStep = step;
          if (e.sweep) run->pendingSweep = e.sweep;
        }
        armFrame();
      });
}

void CompareWindow::evaluateNow() {
  for (const auto& run : m_runs) {
    if (!run->info || !run->posterior || run->posteriorStep == run->evaluatedStep) continue;
    const Evaluation e = evaluate(*run->posterior, *run->info->likelihood, *run->tableTest,
                                  run->info->data->test, run->config.training.evalSamples,
                                  run->config.training.seed);
    run->test = e.test;
    run->evaluatedStep = run->posteriorStep;
    if (e.sweep) run->pendingSweep = e.sweep;
  }
  frame();
}

ComparisonRow CompareWindow::metrics(int index) const {
  ComparisonRow row;
  if (index < 0 || index >= runCount()) return row;
  const Run& run = *m_runs[static_cast<size_t>(index)];
  row.run = run.name;
  row.method = QString::fromStdString(run.config.method.name);
  row.prior = priorLabel(run.controller->runningConfig().prior);
  if (!run.info) row.prior = priorLabel(run.config.prior);
  row.finalElbo = run.finalElbo();
  row.test = run.test;
  row.steps = run.step;
  row.msPerStep = run.step > 0 ? 1e3 * run.seconds / static_cast<double>(run.step)
                               : TestMetrics::kNaN;
  row.parameters = run.info ? run.info->parameterCount : 0;
  return row;
}

void CompareWindow::updateTable() {
  if (m_table->rowCount() != runCount()) {
    m_table->setRowCount(runCount());
    // Every row in view: the table is as tall as its runs.
    const int height = m_table->horizontalHeader()->sizeHint().height() +
                       std::max(2, runCount()) * m_table->verticalHeader()->defaultSectionSize() +
                       2 * m_table->frameWidth() + 2;
    m_table->setMinimumHeight(height);
    m_table->setMaximumHeight(height);
  }
  for (int k = 0; k < runCount(); ++k) {
    const Run& run = *m_runs[static_cast<size_t>(k)];
    const ComparisonRow row = metrics(k);
    const bool regression = m_task == Task::Regression;
    const QString texts[kColumnCount] = {
        row.run,
        row.method,
        row.prior,
        formatNumber(row.finalElbo, 5),
        formatNumber(row.test.logLikelihood),
        formatNumber(regression ? row.test.rmse : row.test.accuracy),
        formatNumber(row.test.ece, 3),
        formatNumber(row.msPerStep, 3),
        row.parameters > 0 ? QString::number(row.parameters) : QStringLiteral("–"),
        QString::number(row.steps),
    };
    for (int c = 0; c < kColumnCount; ++c) {
      QTableWidgetItem* item = m_table->item(k, c);
      if (!item) {
        item = new QTableWidgetItem;
        if (c != kRunColumn && c != kMethodColumn && c != kPriorColumn)
          item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(k, c, item);
      }
      if (item->text() != texts[c]) item->setText(texts[c]);
    }
    QTableWidgetItem* name = m_table->item(k, kRunColumn);
    if (name->data(Qt::DecorationRole).value<QColor>() != run.color)
      name->setData(Qt::DecorationRole, run.color);
  }
  if (runCount() > 0) {
    int playing = 0;
    for (const auto& run : m_runs) playing += run->controller->isPlaying() ? 1 : 0;
    const QString message = tr("%1 runs, %2 training").arg(runCount()).arg(playing);
    if (statusBar()->currentMessage() != message) statusBar()->showMessage(message);
  }
}

void CompareWindow::relabel() {
  // The curves' legends: "1: bbb" when every run has the same prior (the table
  // and the grid titles say which), else "1: bbb · gaussian(1)".
  bool samePrior = true;
  for (const auto& run : m_runs)
    samePrior = samePrior && priorLabel(run->config.prior) == priorLabel(m_runs.front()->config.prior);
  for (int k = 0; k < runCount(); ++k) {
    const Run& run = *m_runs[static_cast<size_t>(k)];
    const QString label =
        QString("%1: %2").arg(run.id).arg(samePrior ? QString::fromStdString(run.config.method.name)
                                                    : runTitle(run.config));
    m_elbo->setRunName(k, label);
    m_test->setRunName(k, label);
    m_rotation->setRunName(k, label);
  }
}

void CompareWindow::updateActions() {
  const bool any = runCount() > 0;
  m_addAction->setEnabled(runCount() < kMaxRuns);
  m_duplicateAction->setEnabled(any && runCount() < kMaxRuns);
  m_removeAction->setEnabled(any);
  m_playAction->setEnabled(any);
  m_resetAction->setEnabled(any);
  m_exportAction->setEnabled(any);
  m_playAction->setText(anyPlaying() ? tr("Pause all") : tr("Play all"));
}

void CompareWindow::addRunFromFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Add a run from a session file"),
                                                    QString(), tr("Sessions (*.json)"));
  if (path.isEmpty()) return;
  try {
    addRun(loadSession(path.toStdString()));
  } catch (const InputError& e) {
    QMessageBox::warning(this, tr("Cannot add the run"), QString::fromStdString(e.what()));
  }
}

void CompareWindow::duplicateAndTweak() {
  const int index = selectedRun();
  if (index < 0 || runCount() >= kMaxRuns) return;
  TweakDialog dialog(runConfig(index), this);
  if (dialog.exec() == QDialog::Accepted) addRun(dialog.config());
}

bool CompareWindow::exportAll(const QString& dir, QString* error) {
  // The table's test metrics (and rotation) for the newest posteriors, then
  // everything that has arrived into the views (toy data: milliseconds).
  evaluateNow();
  updateTable();
  try {
    if (!QDir().mkpath(dir))
      throw std::runtime_error(QDir::toNativeSeparators(dir).toStdString() +
                               ": cannot create the folder");
    std::vector<ComparisonRow> rows;
    for (int k = 0; k < runCount(); ++k) rows.push_back(metrics(k));
    writeFileAtomically(QDir(dir).filePath("comparison.csv"), comparisonCsv(rows, m_task).toUtf8());
    QList<ChartPanel*> panels{m_elbo, m_test};
    bool drawable = false;
    for (int k = 0; k < runCount(); ++k) drawable = drawable || m_grid->cellView(k);
    if (drawable) panels.prepend(m_grid);
    if (m_rotation->isVisibleTo(this)) panels.prepend(m_rotation);
    exportPanels(panels, dir, {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Csv});
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  return true;
}

void CompareWindow::exportInteractively() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Export the comparison into"));
  if (dir.isEmpty()) return;
  QString error;
  if (!exportAll(dir, &error))
    QMessageBox::warning(this, tr("Export failed"), error);
  else
    statusBar()->showMessage(tr("Exported the comparison to %1").arg(QDir::toNativeSeparators(dir)),
                             8000);
}

}  // namespace bayeslab::ui
