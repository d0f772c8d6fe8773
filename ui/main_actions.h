#pragma once
// The main window's actions, menus and tool bar, with their shortcuts and
// tooltips. Only construction lives here; MainWindow connects them.
#include <QObject>

QT_BEGIN_NAMESPACE
class QAction;
class QComboBox;
class QMainWindow;
class QMenu;
QT_END_NAMESPACE

namespace bayeslab::ui {

class MainActions : public QObject {
  Q_OBJECT

 public:
  explicit MainActions(QMainWindow* window);

  // Shows "Pause" while training runs and "Play" otherwise.
  void setPlaying(bool playing);
  // 0: as fast as possible.
  int stepsPerFrame() const;

  QAction* open = nullptr;
  QAction* save = nullptr;
  QAction* compare = nullptr;  // File > Compare runs... (ui/compare/compare_window.h)
  QMenu* examples = nullptr;
  QMenu* lectures = nullptr;
  QAction* exportCurrent = nullptr;
  QAction* exportAll = nullptr;
  QAction* exportData = nullptr;  // the training data (painted or not) as CSV
  QAction* quit = nullptr;
  QAction* play = nullptr;
  QAction* step = nullptr;
  QAction* reset = nullptr;
  QAction* resetNewSeed = nullptr;
  QAction* presentation = nullptr;
  QAction* classroom = nullptr;
  QAction* classroomPanels = nullptr;
  QAction* zoomIn = nullptr;
  QAction* zoomOut = nullptr;
  QAction* zoomReset = nullptr;
  QAction* themeLight = nullptr;
  QAction* themeDark = nullptr;
  QAction* copyChart = nullptr;
  QAction* showControls = nullptr;
  QAction* pinReference = nullptr;
  QAction* clearReference = nullptr;
  QComboBox* speed = nullptr;

 signals:
  void stepsPerFrameChanged(int steps);

 private:
  QAction* make(const QString& objectName, const QString& text, const QString& tip);
  QMainWindow* m_window;
};

}  // namespace bayeslab::ui
