#pragma once
// Autosave and crash recovery (issue 14, part 5).
//
// Every window of the application keeps its current session (the panels'
// settings with the painted points, MainWindow::session()) in an autosave
// folder, as two files named for the process and the window:
//   autosave-<pid>-<n>.json     the session, written atomically (temp file,
//                               fsync, rename: never half written)
//   autosave-<pid>-<n>.running  the marker: the pid of the process writing it
// The session is written when it changed: soon after a significant edit (a new
// run, a panel edit, painted points) and otherwise every 30 s. A clean exit
// removes both files. Files whose marker names a process that is no longer
// running were left by a crash or a kill: the next start offers them back.
// Two windows (or two processes) never share a file, so they cannot clobber
// each other's autosave.
//
// The folder is QStandardPaths::AppDataLocation/autosave, or the folder named by
// the BAYESLAB_AUTOSAVE_DIR environment variable (tests).
#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>
#include <functional>
#include <vector>

#include "engine/training/session.h"

namespace bayeslab::ui {

QString autosaveFolder();

// An autosave left by a process that is no longer running.
struct OrphanedAutosave {
  QString sessionPath;
  QString markerPath;
  qint64 pid = 0;
  QDateTime saved;  // when the session file was last written
};

// The orphaned autosaves in `folder`, newest first. A marker whose session file
// is missing (the crash came before the first save) is removed on the way.
std::vector<OrphanedAutosave> orphanedAutosaves(const QString& folder);
// Deletes an orphan's files.
void discardAutosave(const OrphanedAutosave& orphan);
// Takes an orphan over for opening: its session file is renamed to
// recovered-<date-time>.json in the same folder (so that saving the restored
// session does not write into a file the autosaver owns) and its marker is
// removed. Returns the new path; throws std::runtime_error on failure.
QString adoptAutosave(const OrphanedAutosave& orphan);

// True while a process with this id runs (and is not a zombie).
bool processIsRunning(qint64 pid);

class Autosaver : public QObject {
  Q_OBJECT

 public:
  // `session` returns the session to save (called on the UI thread).
  Autosaver(std::function<SessionConfig()> session, QString folder, QObject* parent = nullptr);
  // The clean exit: removes this window's autosave and marker.
  ~Autosaver() override;

  // A significant edit: save within about a second (coalesced).
  void noteSignificantEdit();
  // Writes the session now if it changed since the last write. False on
  // failure (lastError() says why; the previous autosave stays as it was).
  bool saveIfChanged();

  QString sessionPath() const { return m_sessionPath; }
  QString markerPath() const { return m_markerPath; }
  const QString& lastError() const { return m_lastError; }
  int saveCount() const { return m_saves; }

  static constexpr int kIntervalMs = 30000;
  static constexpr int kEditDelayMs = 1000;

 signals:
  void saved(const QString& path);
  // Once per failure streak: the message names the file and the reason.
  void saveFailed(const QString& message);

 private:
  std::function<SessionConfig()> m_session;
  QString m_folder, m_sessionPath, m_markerPath;
  QTimer m_interval, m_editDelay;
  std::string m_lastText;
  QString m_lastError;
  bool m_failing = false;
  bool m_markerWritten = false;
  int m_saves = 0;
};

// SIGTERM, SIGINT and SIGHUP quit the event loop (QCoreApplication::quit)
// instead of killing the process, so the clean-exit path runs (the autosave is
// removed only then). Call once, after the application object exists.
void quitOnTerminationSignals();

}  // namespace bayeslab::ui
