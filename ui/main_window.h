#pragma once
// The BayesLab main window: the control dock on the left, the live views in
// the middle, the training tool bar and the status bar. It only wires the
// pieces together: training lives in TrainingController, settings in
// ControlPanel, drawing in ViewsArea and its views.
#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <vector>

QT_BEGIN_NAMESPACE
class QDockWidget;
QT_END_NAMESPACE

#include "engine/training/session.h"

namespace bayeslab::ui {

class CompareWindow;
class Appearance;
class ClassroomMode;
class ControlPanel;
class LectureNote;
class MainActions;
class StatusIndicators;
class TrainingController;
class ViewsArea;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Loads a session file (or a Qt resource path) and starts a fresh run from
  // it. On bad input it reports the file and field and keeps the current
  // session and run untouched: false when the file cannot be read or parsed;
  // a data file it names is loaded on the training thread, and if that fails
  // the error is reported (errorReported) and the previous session restored.
  bool openSession(const QString& path);
  bool saveSession(const QString& path);
  // The session as the panels show it, with the run's painted points when it
  // still describes the same data (ui/paint/painted_session.h): what is saved and reset.
  SessionConfig session() const;

  // Opens the compare window (one per main window) with `configs` (2-6, trained
  // on the first one's data) and a note above its grid (empty title: none).
  void openComparison(const std::vector<SessionConfig>& configs, const QString& title,
                      const QString& paragraph);
  // The compare window, or null before the first comparison.
  CompareWindow* comparisonWindow() const;
  // Lecture presets (File > Lectures, ui/lectures/lecture_preset.h): a single-run
  // preset opens its session, shows its tab and its paragraph in the note above the
  // views; a comparison opens in compare mode (openComparison). A bad preset is
  // reported (file and field) and changes nothing; returns false then.
  bool openLecture(const QString& path);
  LectureNote* lectureNote() const { return m_lectureNote; }

  TrainingController* controller() const { return m_controller; }
  ControlPanel* controls() const { return m_controls; }
  ViewsArea* views() const { return m_views; }
  MainActions* mainActions() const { return m_actions; }
  Appearance* appearance() const { return m_appearance; }
  ClassroomMode* classroom() const { return m_classroom; }
  // The last error reported to the user (also in the status bar).
  const QString& lastError() const { return m_lastError; }

 signals:
  void errorReported(const QString& message);

 private:
  void connectActions();
  void populateExamples();
  void populateLectures();
  // Opens `config` as a new run; `path` names it (title bar, Save's default).
  void startSession(const SessionConfig& config, const QString& path);
  void onEdited();
  void resetRun(bool newSeed);
  void reportError(const QString& title, const QString& message);
  void refreshStatus();
  void setPresentationMode(bool on);
  // Zoom, theme, classroom mode and Edit > Copy chart (ui/appearance.h, ui/classroom_mode.h).
  void connectDisplayActions();

  TrainingController* m_controller = nullptr;
  QPointer<CompareWindow> m_compare;
  ControlPanel* m_controls = nullptr;
  QDockWidget* m_dock = nullptr;
  bool m_controlsWereVisible = true;
  ViewsArea* m_views = nullptr;
  MainActions* m_actions = nullptr;
  StatusIndicators* m_status = nullptr;
  LectureNote* m_lectureNote = nullptr;
  // The tab a lecture preset asks for, shown once its run exists.
  quint64 m_lectureRunId = 0;
  QString m_lectureView;
  Appearance* m_appearance = nullptr;
  ClassroomMode* m_classroom = nullptr;
  QString m_sessionPath;
  QString m_lastError;
  // The session being opened, until its run exists: what to restore if it fails.
  struct PendingOpen {
    quint64 runId = 0;
    SessionConfig previous;
    QString previousPath;
  };
  PendingOpen m_opening;
};

}  // namespace bayeslab::ui
