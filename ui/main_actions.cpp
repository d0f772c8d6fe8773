#include "ui/main_actions.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QStyle>
#include <QToolBar>

namespace bayeslab::ui {

namespace {
const int kSpeedChoices[] = {0, 1, 2, 5, 10, 20, 50, 100};
}

QAction* MainActions::make(const QString& objectName, const QString& text, const QString& tip) {
  auto* action = new QAction(text, m_window);
  action->setObjectName(objectName);
  action->setToolTip(tip);
  action->setStatusTip(tip);
  m_window->addAction(action);  // shortcuts work even when menus and tool bar are hidden
  return action;
}

MainActions::MainActions(QMainWindow* window) : QObject(window), m_window(window) {
  QStyle* style = window->style();
  open = make("actionOpen", tr("&Open session..."), tr("Open a session file (JSON)."));
  open->setShortcut(QKeySequence::Open);
  save = make("actionSave", tr("&Save session..."),
              tr("Save the current settings as a session file that reproduces the run."));
  save->setShortcut(QKeySequence::Save);
  compare = make("actionCompare", tr("&Compare runs..."),
                 tr("Train this session beside copies with other methods or knobs, on the same "
                    "data and seed: small multiples, overlaid curves and a metrics table "
                    "(Ctrl+Shift+C)."));
  compare->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  exportCurrent = make("actionExportCurrent", tr("Export &current chart..."),
                       tr("Export the chart you last clicked (PNG, SVG, PDF or CSV)."));
  exportCurrent->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  exportAll = make("actionExportAll", tr("Export &all charts..."),
                   tr("Write every chart of the run into a folder as PNG, SVG, PDF and CSV."));
  exportAll->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
  exportData = make("actionExportData", tr("Training &data as CSV..."),
                    tr("Save the data the run trains on now (painted points included) as CSV: "
                       "x0.., y, the columns of data.csv."));
  quit = make("actionQuit", tr("&Quit"), tr("Quit BayesLab."));
  quit->setShortcut(QKeySequence::Quit);

  play = make("actionPlay", tr("Play"), tr("Start or pause training (Space)."));
  play->setShortcut(Qt::Key_Space);
  step = make("actionStep", tr("Step"),
              tr("Take one frame's worth of steps (the speed setting; 1 step at full speed) "
                 "(S or Right)."));
  step->setShortcuts({QKeySequence(Qt::Key_S), QKeySequence(Qt::Key_Right)});
  step->setIcon(style->standardIcon(QStyle::SP_MediaSkipForward));
  reset = make("actionReset", tr("Reset"),
               tr("Start the run again from step 0 with the same initialisation (same seed), "
                  "applying any changed settings (R). Changes to the data, model or method wait "
                  "for this once training has started, so no training is lost by accident."));
  reset->setShortcut(Qt::Key_R);
  reset->setIcon(style->standardIcon(QStyle::SP_MediaSkipBackward));
  resetNewSeed = make("actionResetNewSeed", tr("Reset with new seed"),
                      tr("Start again from a new random initialisation: the training seed goes "
                         "up by one (Shift+R)."));
  resetNewSeed->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_R));
  resetNewSeed->setIcon(style->standardIcon(QStyle::SP_BrowserReload));
  presentation = make("actionPresentation", tr("&Presentation mode"),
                      tr("Large fonts for a lecture hall (F5)."));
  presentation->setCheckable(true);
  presentation->setShortcut(Qt::Key_F5);
  pinReference = make("actionPinReference", tr("&Pin as reference"),
                      tr("Keep this run's posterior as the reference for later runs on the same "
                         "data: its predictive is drawn dashed beside theirs and its weights in "
                         "the reference view (e.g. a long HMC run as the truth for a small "
                         "network) (P)."));
  pinReference->setShortcut(Qt::Key_P);
  pinReference->setIcon(style->standardIcon(QStyle::SP_DialogApplyButton));
  clearReference = make("actionClearReference", tr("C&lear reference"),
                        tr("Remove the pinned reference run's overlays (Shift+P)."));
  clearReference->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_P));
  clearReference->setEnabled(false);
  classroom = make("actionClassroom", tr("C&lassroom mode"),
                   tr("Hide the panels chosen in View > Classroom panels (by default the "
                      "settings, tool bar and status bar) so the room sees the charts; F11 again "
                      "brings them back. Combine with presentation mode (F5) for large fonts."));
  classroom->setCheckable(true);
  classroom->setShortcut(Qt::Key_F11);
  classroomPanels = make("actionClassroomPanels", tr("Classroom &panels..."),
                         tr("Choose which parts of the window classroom mode hides."));
  zoomIn = make("actionZoomIn", tr("Zoom &in"),
                tr("Larger fonts in the whole window, charts included (Ctrl++; up to 200 %)."));
  zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
  zoomOut = make("actionZoomOut", tr("Zoom &out"),
                 tr("Smaller fonts in the whole window, charts included (Ctrl+-; down to 80 %)."));
  zoomOut->setShortcut(QKeySequence::ZoomOut);
  zoomReset = make("actionZoomReset", tr("&Reset zoom"), tr("Fonts at 100 % again (Ctrl+0)."));
  zoomReset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  themeLight = make("actionThemeLight", tr("&Light"),
                    tr("Dark text on white: for print, bright rooms and projectors."));
  themeDark = make("actionThemeDark", tr("&Dark"),
                   tr("Light text on dark grey: for dim lecture halls and evening work. "
                      "Exported figures follow the theme (use Light for papers)."));
  auto* themes = new QActionGroup(this);
  for (QAction* a : {themeLight, themeDark}) {
    a->setCheckable(true);
    themes->addAction(a);
  }
  themeLight->setChecked(true);
  copyChart = make("actionCopyChart", tr("&Copy chart"),
                   tr("Copy the chart you last clicked to the clipboard as an image, with its "
                      "caption (Ctrl+Alt+C; also in every chart's context menu)."));
  copyChart->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C));
  setPlaying(false);

  speed = new QComboBox(window);
  speed->setObjectName("speedBox");
  for (int steps : kSpeedChoices)
    speed->addItem(steps == 0 ? tr("full speed") : tr("%1 steps / frame").arg(steps), steps);
  speed->setToolTip(
      tr("Training speed: full speed, or a fixed number of steps per frame "
         "(~30 frames per second) to watch the posterior move slowly."));
  connect(speed, &QComboBox::currentIndexChanged, this,
          [this] { emit stepsPerFrameChanged(stepsPerFrame()); });

  QMenu* file = window->menuBar()->addMenu(tr("&File"));
  file->addAction(open);
  examples = file->addMenu(tr("&Examples"));
  examples->setToolTipsVisible(true);
  lectures = file->addMenu(tr("&Lectures"));
  lectures->setObjectName("lecturesMenu");
  lectures->setToolTipsVisible(true);
  file->addAction(save);
  file->addAction(compare);
  file->addSeparator();
  QMenu* exportMenu = file->addMenu(tr("&Export"));
  exportMenu->addAction(exportCurrent);
  exportMenu->addAction(exportAll);
  exportMenu->addAction(exportData);
  file->addSeparator();
  file->addAction(quit);

  QMenu* edit = window->menuBar()->addMenu(tr("&Edit"));
  edit->addAction(copyChart);

  QMenu* training = window->menuBar()->addMenu(tr("&Training"));
  training->addAction(play);
  training->addAction(step);
  training->addSeparator();
  training->addAction(reset);
  training->addAction(resetNewSeed);

  QMenu* view = window->menuBar()->addMenu(tr("&View"));
  view->addAction(presentation);
  view->addAction(classroom);
  view->addAction(classroomPanels);
  QMenu* zoom = view->addMenu(tr("&Zoom"));
  zoom->addAction(zoomIn);
  zoom->addAction(zoomOut);
  zoom->addAction(zoomReset);
  QMenu* theme = view->addMenu(tr("&Theme"));
  theme->addAction(themeLight);
  theme->addAction(themeDark);
  showControls = view->addAction(tr("Show &controls"));
  showControls->setObjectName("actionShowControls");
  view->addSeparator();
  view->addAction(pinReference);
  view->addAction(clearReference);

  QToolBar* bar = window->addToolBar(tr("Training"));
  bar->setObjectName("trainingToolBar");
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->setMovable(false);
  bar->addAction(play);
  bar->addAction(step);
  bar->addAction(reset);
  bar->addAction(resetNewSeed);
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" Speed: "), window));
  bar->addWidget(speed);
  bar->addSeparator();
  bar->addAction(pinReference);
}

void MainActions::setPlaying(bool playing) {
  QStyle* style = m_window->style();
  play->setText(playing ? tr("Pause") : tr("Play"));
  play->setIcon(style->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

int MainActions::stepsPerFrame() const {
  return speed->currentData().toInt();
}

}  // namespace bayeslab::ui
