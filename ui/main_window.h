#pragma once
// The BayesLab main window: the control dock on the left, the live views in
// the middle, the training tool bar and the status bar. It only wires the
// pieces together: training lives in TrainingController, settings in
// ControlPanel, drawing in ViewsArea and its views.
#include <QMainWindow>
#include <QString>

QT_BEGIN_NAMESPACE
class QDockWidget;
QT_END_NAMESPACE

#include "engine/training/session.h"

namespace bayeslab::ui {

class ControlPanel;
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

  TrainingController* controller() const { return m_controller; }
  ControlPanel* controls() const { return m_controls; }
  ViewsArea* views() const { return m_views; }
  MainActions* mainActions() const { return m_actions; }
  // The last error reported to the user (also in the status bar).
  const QString& lastError() const { return m_lastError; }

 signals:
  void errorReported(const QString& message);

 private:
  void connectActions();
  void populateExamples();
  void onEdited();
  void resetRun(bool newSeed);
  void reportError(const QString& title, const QString& message);
  void refreshStatus();
  void setPresentationMode(bool on);

  TrainingController* m_controller = nullptr;
  ControlPanel* m_controls = nullptr;
  QDockWidget* m_dock = nullptr;
  bool m_controlsWereVisible = true;
  ViewsArea* m_views = nullptr;
  MainActions* m_actions = nullptr;
  StatusIndicators* m_status = nullptr;
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
