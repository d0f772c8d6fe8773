#include "ui/main_window.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>
#include <exception>

#include "engine/training/session_json.h"
#include "ui/appearance.h"
#include "ui/classroom_mode.h"
#include "ui/compare/compare_window.h"
#include "ui/export/export_dialogs.h"
#include "ui/lectures/lecture_note.h"
#include "ui/lectures/lecture_preset.h"
#include "ui/main_actions.h"
#include "ui/paint/paint_controller.h"
#include "ui/paint/painted_session.h"
#include "ui/panels/control_panel.h"
#include "ui/panels/data_panel.h"
#include "ui/status_indicators.h"
#include "ui/training/training_controller.h"
#include "ui/views/chart_panel.h"
#include "ui/views/views_area.h"

namespace bayeslab::ui {

namespace {

const char* kDefaultSession = ":/sessions/blundell_bbb.json";
const char* kExamplesFolder = ":/sessions";
constexpr int kMessageMilliseconds = 15000;
constexpr qint64 kMaxSessionBytes = 64 << 20;

// Reads a file or a Qt resource; throws InputError naming the file.
std::string readSessionText(const QString& path) {
  QFile file(path);
  if (!file.exists()) throw InputError(path.toStdString(), "", "no such file");
  if (file.size() > kMaxSessionBytes)
    throw InputError(path.toStdString(), "", "file is larger than 64 MiB");
  if (!file.open(QIODevice::ReadOnly))
    throw InputError(path.toStdString(), "", file.errorString().toStdString());
  return file.readAll().toStdString();
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("BayesLab"));
  m_controller = new TrainingController(this);
  m_actions = new MainActions(this);
  m_views = new ViewsArea(m_controller, this);
  // A lecture preset's note sits above the views (hidden until a preset opens).
  auto* central = new QWidget(this);
  m_lectureNote = new LectureNote(central);
  auto* centralLayout = new QVBoxLayout(central);
  centralLayout->setContentsMargins(0, 0, 0, 0);
  centralLayout->setSpacing(2);
  centralLayout->addWidget(m_lectureNote);
  centralLayout->addWidget(m_views, 1);
  setCentralWidget(central);

  m_controls = new ControlPanel(this);
  m_dock = new QDockWidget(tr("Settings"), this);
  m_dock->setObjectName("settingsDock");
  m_dock->setWidget(m_controls);
  m_dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
  addDockWidget(Qt::LeftDockWidgetArea, m_dock);
  connect(m_actions->showControls, &QAction::triggered, m_dock, &QWidget::show);

  m_status = new StatusIndicators(statusBar(), m_controller);
  m_appearance = new Appearance(this, m_views, m_controls);
  m_classroom = new ClassroomMode(this, m_dock, m_views);
  connectActions();
  connectDisplayActions();
  populateExamples();
  populateLectures();
  resize(1500, 950);

  if (!openSession(kDefaultSession)) {
    // Without the embedded examples: the engine's defaults are the same session.
    m_controls->setSession(SessionConfig{});
    m_controller->reset(m_controls->session());
  }
}

MainWindow::~MainWindow() {
  // Stop training first: the views' teardown must not compete with a running step.
  m_controller->requestStop();
  delete m_compare;
}

CompareWindow* MainWindow::comparisonWindow() const {
  return m_compare.data();
}

void MainWindow::openComparison(const std::vector<SessionConfig>& configs, const QString& title,
                                const QString& paragraph) {
  if (!m_compare) m_compare = new CompareWindow;  // top level: it outlives no main window
  m_compare->setRuns(configs);
  m_compare->setNote(title, paragraph);
  m_compare->show();
  m_compare->raise();
  m_compare->activateWindow();
}

void MainWindow::connectActions() {
  MainActions* a = m_actions;
  connect(a->open, &QAction::triggered, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), m_sessionPath,
                                                      tr("Sessions (*.json);;All files (*)"));
    if (!path.isEmpty()) openSession(path);
  });
  connect(a->save, &QAction::triggered, this, [this] {
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save session"),
        m_sessionPath.startsWith(":") ? QDir::home().filePath("session.json") : m_sessionPath,
        tr("Sessions (*.json)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(".json", Qt::CaseInsensitive)) path += ".json";
    saveSession(path);
  });
  connect(a->exportCurrent, &QAction::triggered, this, [this] {
    ChartPanel* panel = m_views->currentPanel();
    QMenu menu(this);
    const struct {
      ExportFormat format;
      const char* text;
    } entries[] = {{ExportFormat::Png, "PNG..."},
                   {ExportFormat::Svg, "SVG..."},
                   {ExportFormat::Pdf, "PDF..."},
                   {ExportFormat::Csv, "CSV (data)..."}};
    menu.addSection(tr("Export \"%1\" as").arg(panel->title()));
    for (const auto& e : entries) {
      const ExportFormat format = e.format;
      connect(menu.addAction(tr(e.text)), &QAction::triggered, this,
              [this, panel, format] { exportPanelInteractively(*panel, format, this); });
    }
    menu.exec(mapToGlobal(rect().center()));
  });
  connect(a->exportAll, &QAction::triggered, this, [this] {
    const int written = exportAllInteractively(m_views->panels(), this);
    if (written > 0)
      statusBar()->showMessage(tr("Wrote %1 files.").arg(written), kMessageMilliseconds);
  });
  connect(a->exportData, &QAction::triggered, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the training data"),
                                                      QStringLiteral("data.csv"),
                                                      tr("CSV files (*.csv);;All files (*)"));
    QString error;
    if (path.isEmpty()) return;
    if (m_views->paint()->exportCsv(path, &error))
      statusBar()->showMessage(tr("Wrote %1").arg(QDir::toNativeSeparators(path)),
                               kMessageMilliseconds);
    else
      reportError(tr("Cannot export the data"), error);
  });
  connect(a->quit, &QAction::triggered, this, &QWidget::close);
  connect(a->compare, &QAction::triggered, this, [this] {
    // The current session (with any painted points) beside a copy with another method.
    const SessionConfig current = session();
    SessionConfig other = current;
    other.method = MethodConfig{current.method.name == "bbb" ? "mc_dropout" : "bbb", {}};
    openComparison({current, other}, QString(), QString());
  });
  connect(a->play, &QAction::triggered, m_controller, &TrainingController::togglePlay);
  connect(a->step, &QAction::triggered, this,
          [this] { m_controller->step(std::max(1, m_actions->stepsPerFrame())); });
  connect(a->reset, &QAction::triggered, this, [this] { resetRun(false); });
  connect(a->resetNewSeed, &QAction::triggered, this, [this] { resetRun(true); });
  connect(a->presentation, &QAction::toggled, this, &MainWindow::setPresentationMode);
  connect(a, &MainActions::stepsPerFrameChanged, m_controller,
          &TrainingController::setStepsPerFrame);
  connect(a->pinReference, &QAction::triggered, this, [this] { m_views->pinReference(); });
  connect(a->clearReference, &QAction::triggered, this, [this] { m_views->clearReference(); });
  connect(m_views, &ViewsArea::pinnedChanged, this, [this](const PinnedReferencePtr& pinned) {
    m_actions->clearReference->setEnabled(pinned != nullptr);
    if (pinned)
      statusBar()->showMessage(tr("Pinned %1 (step %2): later runs on the same data are drawn "
                                  "beside it.")
                                   .arg(pinned->label)
                                   .arg(pinned->step),
                               kMessageMilliseconds);
  });

  connect(m_controls, &ControlPanel::edited, this, &MainWindow::onEdited);
  connect(m_controls->dataPanel(), &DataPanel::errorReported, this,
          [this](const QString& message) { reportError(tr("Cannot use this data"), message); });
  connect(m_controller, &TrainingController::stateChanged, this, &MainWindow::refreshStatus);
  connect(m_controller, &TrainingController::pendingChanged, this,
          [this](bool pending, const QString& reason) {
            if (pending)
              statusBar()->showMessage(reason, kMessageMilliseconds);
            else
              statusBar()->clearMessage();
          });
  // "Go back and continue at lr/10": the training panel shows the new rate.
  connect(m_controller, &TrainingController::learningRateResumed, this, [this](double lr) {
    SessionConfig config = m_controls->session();
    config.training.learningRate = lr;
    m_controls->setSession(config);
  });
  connect(m_controller, &TrainingController::errorOccurred, this, [this](const QString& message) {
    reportError(m_opening.runId ? tr("Cannot open the session") : tr("Cannot apply the settings"),
                message);
    m_opening = {};
  });
  connect(m_controller, &TrainingController::runFailed, this, [this](quint64 runId) {
    if (runId != m_opening.runId || !m_controller->hasRun()) return;
    // The file named data that cannot be loaded: back to the session that runs.
    m_controls->setSession(m_opening.previous);
    m_sessionPath = m_opening.previousPath;
    setWindowTitle(m_sessionPath.isEmpty()
                       ? tr("BayesLab")
                       : tr("BayesLab \u2014 %1").arg(QFileInfo(m_sessionPath).fileName()));
    m_controller->applyEdits(session());
  });
  connect(m_controller, &TrainingController::runStarted, this, [this](const RunInfoPtr& run) {
    if (run->runId == m_opening.runId) m_opening = {};
    if (run->runId == m_lectureRunId) {
      m_views->showTabNamed(m_lectureView);
      m_lectureRunId = 0;
    }
    m_controls->setTrainingDataSize(run->data->train.size());
    statusBar()->showMessage(tr("%1 on %2: %3 network, %L4 parameters. Press Space to train.")
                                 .arg(QString::fromStdString(run->method->displayName),
                                      QString::fromStdString(run->config.dataset.name),
                                      QString::fromStdString(run->layout.describe()))
                                 .arg(run->parameterCount),
                             kMessageMilliseconds);
  });
}

void MainWindow::populateExamples() {
  const QStringList names = QDir(kExamplesFolder).entryList({"*.json"}, QDir::Files, QDir::Name);
  for (const QString& name : names) {
    const QString path = QString(kExamplesFolder) + "/" + name;
    QAction* action = m_actions->examples->addAction(QFileInfo(name).completeBaseName());
    // The example's own "comment" says what it shows.
    QFile file(path);
    if (file.open(QIODevice::ReadOnly))
      action->setToolTip(
          QJsonDocument::fromJson(file.readAll()).object().value("comment").toString());
    connect(action, &QAction::triggered, this, [this, path] { openSession(path); });
  }
  m_actions->examples->setEnabled(!names.isEmpty());
}

bool MainWindow::openSession(const QString& path) {
  SessionConfig config;
  try {
    config = parseSessionJson(readSessionText(path), path.toStdString());
  } catch (const std::exception& e) {
    reportError(tr("Cannot open the session"), QString::fromStdString(e.what()));
    return false;
  }
  m_lectureNote->hide();  // the note belongs to the lecture that opened the previous run
  m_lectureRunId = 0;
  startSession(config, path);
  return true;
}

void MainWindow::startSession(const SessionConfig& config, const QString& path) {
  const PendingOpen previous{0, session(), m_sessionPath};
  m_sessionPath = path;
  setWindowTitle(tr("BayesLab \u2014 %1").arg(QFileInfo(path).fileName()));
  m_controls->setSession(config);
  // The panels' reading of the file is what runs, so that later edits compare like with like.
  m_opening = previous;
  m_opening.runId = m_controller->reset(m_controls->session());
}

void MainWindow::populateLectures() {
  const QStringList paths = lecturePresetPaths();
  for (const QString& path : paths) {
    // The menu shows the preset's title; a preset that does not parse still gets an
    // entry (its file name), and choosing it reports what is wrong.
    QString text = QFileInfo(path).completeBaseName();
    QString tip;
    try {
      const LecturePreset preset = loadLecturePreset(path);
      text = preset.title;
      tip = preset.isComparison()
                ? tr("Compares %1 runs. %2").arg(preset.sessions.size()).arg(preset.paragraph)
                : preset.paragraph;
    } catch (const std::exception& e) {
      tip = QString::fromStdString(e.what());
    }
    QAction* action = m_actions->lectures->addAction(text);
    action->setToolTip(tip);
    connect(action, &QAction::triggered, this, [this, path] { openLecture(path); });
  }
  m_actions->lectures->setEnabled(!paths.isEmpty());
}

bool MainWindow::openLecture(const QString& path) {
  LecturePreset preset;
  try {
    preset = loadLecturePreset(path);
  } catch (const std::exception& e) {
    reportError(tr("Cannot open the lecture"), QString::fromStdString(e.what()));
    return false;
  }
  if (preset.isComparison()) {
    openComparison(preset.sessions, preset.title, preset.paragraph);
  } else {
    startSession(preset.sessions.front(), path);
    setWindowTitle(tr("BayesLab \u2014 %1").arg(preset.title));
    m_lectureNote->showNote(preset.title, preset.paragraph);
  }
  m_lectureView = preset.view;
  m_lectureRunId = m_opening.runId;
  return true;
}

SessionConfig MainWindow::session() const {
  return withRunningPoints(m_controls->session(), m_controller->runningConfig());
}

bool MainWindow::saveSession(const QString& path) {
  if (auto error = m_controls->inputError()) {
    reportError(tr("Cannot save the session"), *error);
    return false;
  }
  try {
    bayeslab::saveSession(path.toStdString(), session());
  } catch (const std::exception& e) {
    reportError(tr("Cannot save the session"), QString::fromStdString(e.what()));
    return false;
  }
  m_sessionPath = path;
  setWindowTitle(tr("BayesLab \u2014 %1").arg(QFileInfo(path).fileName()));
  statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)),
                           kMessageMilliseconds);
  return true;
}

void MainWindow::onEdited() {
  if (auto error = m_controls->inputError()) {
    statusBar()->showMessage(*error, kMessageMilliseconds);
    return;
  }
  m_controller->applyEdits(session());
}

void MainWindow::resetRun(bool newSeed) {
  if (auto error = m_controls->inputError()) {
    reportError(tr("Cannot reset"), *error);
    return;
  }
  SessionConfig config = session();
  if (newSeed) {
    ++config.training.seed;
    m_controls->setSession(config);
  }
  m_controller->reset(config);
}

void MainWindow::reportError(const QString& title, const QString& message) {
  m_lastError = message;
  statusBar()->showMessage(message, kMessageMilliseconds);
  emit errorReported(message);
  // Non-modal: training and the views keep going while the message is read.
  auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setModal(false);
  box->show();
}

void MainWindow::refreshStatus() {
  m_status->refresh();
  m_actions->setPlaying(m_controller->isPlaying());
  const bool canTrain = m_controller->hasRun() && m_controller->status() == TrainerStatus::Running;
  m_actions->play->setEnabled(canTrain);
  m_actions->step->setEnabled(canTrain);
  if (m_controller->status() == TrainerStatus::Diverged)
    statusBar()->showMessage(tr("Training diverged: %1").arg(m_controller->statusMessage()));
  else if (statusBar()->currentMessage().startsWith(tr("Training diverged")))
    statusBar()->clearMessage();  // resumed (divergence banner): the message is stale
}

void MainWindow::setPresentationMode(bool on) {
  // The charts get the room: the settings fold away (View > Show controls
  // brings them back for a live change) and return when presenting ends.
  if (on) {
    m_controlsWereVisible = m_dock->isVisible();
    m_dock->hide();
  } else if (m_controlsWereVisible) {
    m_dock->show();
  }
  m_views->setPresentationMode(on);
  m_lectureNote->setPresentationMode(on);
  m_appearance->setPresentationMode(on);
}

void MainWindow::connectDisplayActions() {
  MainActions* a = m_actions;
  connect(a->zoomIn, &QAction::triggered, m_appearance, &Appearance::zoomIn);
  connect(a->zoomOut, &QAction::triggered, m_appearance, &Appearance::zoomOut);
  connect(a->zoomReset, &QAction::triggered, m_appearance, &Appearance::resetZoom);
  connect(m_appearance, &Appearance::zoomChanged, this, [this](int percent) {
    statusBar()->showMessage(tr("Zoom %1 %").arg(percent), kMessageMilliseconds / 5);
  });
  const auto syncTheme = [this] {
    const bool dark = m_appearance->theme() == Theme::Dark;
    m_actions->themeDark->setChecked(dark);
    m_actions->themeLight->setChecked(!dark);
  };
  syncTheme();
  connect(a->themeLight, &QAction::triggered, this,
          [this] { m_appearance->setTheme(Theme::Light); });
  connect(a->themeDark, &QAction::triggered, this, [this] { m_appearance->setTheme(Theme::Dark); });
  connect(m_appearance, &Appearance::themeChanged, this, syncTheme);
  connect(a->classroom, &QAction::toggled, m_classroom, &ClassroomMode::setActive);
  connect(m_classroom, &ClassroomMode::activeChanged, a->classroom, &QAction::setChecked);
  connect(a->classroomPanels, &QAction::triggered, this, [this] { m_classroom->choose(this); });
  connect(a->copyChart, &QAction::triggered, this, [this] {
    if (ChartPanel* panel = m_views->currentPanel()) {
      panel->copyToClipboard();
      statusBar()->showMessage(tr("Copied \"%1\" to the clipboard.").arg(panel->title()),
                               kMessageMilliseconds / 3);
    }
  });
}

}  // namespace bayeslab::ui
