#include "ui/session/autosave.h"

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <stdexcept>

#include "engine/io/atomic_file.h"
#include "engine/training/session_json.h"

namespace bayeslab::ui {

namespace {

const char* kEnvironmentVariable = "BAYESLAB_AUTOSAVE_DIR";

QString markerText(qint64 pid) {
  return QString::number(pid) + "\n";
}

qint64 readMarkerPid(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return 0;
  bool ok = false;
  const qint64 pid = file.read(64).trimmed().toLongLong(&ok);
  return ok && pid > 0 ? pid : 0;
}

}  // namespace

QString autosaveFolder() {
  const QString fromEnvironment = qEnvironmentVariable(kEnvironmentVariable);
  if (!fromEnvironment.isEmpty()) return fromEnvironment;
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
      .filePath("autosave");
}

bool processIsRunning(qint64 pid) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
  // A killed child not yet reaped is a zombie: it runs no more.
  QFile stat(QString("/proc/%1/stat").arg(pid));
  if (stat.open(QIODevice::ReadOnly)) {
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    if (close >= 0 && close + 2 < text.size() && text[close + 2] == 'Z') return false;
  }
  return true;
}

std::vector<OrphanedAutosave> orphanedAutosaves(const QString& folder) {
  std::vector<OrphanedAutosave> found;
  const QDir dir(folder);
  for (const QFileInfo& marker : dir.entryInfoList({"autosave-*.running"}, QDir::Files)) {
    const qint64 pid = readMarkerPid(marker.filePath());
    if (pid != 0 && processIsRunning(pid)) continue;  // that window is still open
    const QString session = dir.filePath(marker.completeBaseName() + ".json");
    const QFileInfo info(session);
    if (!info.exists()) {
      QFile::remove(marker.filePath());  // crashed before its first save: nothing to offer
      continue;
    }
    found.push_back({session, marker.filePath(), pid, info.lastModified()});
  }
  std::sort(found.begin(), found.end(),
            [](const OrphanedAutosave& a, const OrphanedAutosave& b) { return a.saved > b.saved; });
  return found;
}

void discardAutosave(const OrphanedAutosave& orphan) {
  QFile::remove(orphan.sessionPath);
  QFile::remove(orphan.markerPath);
}

QString adoptAutosave(const OrphanedAutosave& orphan) {
  const QDir dir = QFileInfo(orphan.sessionPath).dir();
  const QString stamp = orphan.saved.toString("yyyy-MM-dd-HHmmss");
  QString target = dir.filePath("recovered-" + stamp + ".json");
  for (int k = 2; QFile::exists(target); ++k)
    target = dir.filePath(QString("recovered-%1-%2.json").arg(stamp).arg(k));
  if (!QFile::rename(orphan.sessionPath, target))
    throw std::runtime_error(QDir::toNativeSeparators(orphan.sessionPath).toStdString() +
                             ": cannot move the autosave to " +
                             QDir::toNativeSeparators(target).toStdString());
  QFile::remove(orphan.markerPath);
  return target;
}

Autosaver::Autosaver(std::function<SessionConfig()> session, QString folder, QObject* parent)
    : QObject(parent), m_session(std::move(session)), m_folder(std::move(folder)) {
  static std::atomic<int> windows{0};
  const QString base =
      QString("autosave-%1-%2").arg(QCoreApplication::applicationPid()).arg(++windows);
  const QDir dir(m_folder);
  m_sessionPath = dir.filePath(base + ".json");
  m_markerPath = dir.filePath(base + ".running");
  m_interval.setInterval(kIntervalMs);
  connect(&m_interval, &QTimer::timeout, this, &Autosaver::saveIfChanged);
  m_interval.start();
  m_editDelay.setSingleShot(true);
  m_editDelay.setInterval(kEditDelayMs);
  connect(&m_editDelay, &QTimer::timeout, this, &Autosaver::saveIfChanged);
}

Autosaver::~Autosaver() {
  QFile::remove(m_sessionPath);
  QFile::remove(m_markerPath);
}

void Autosaver::noteSignificantEdit() {
  if (!m_editDelay.isActive()) m_editDelay.start();
}

bool Autosaver::saveIfChanged() {
  std::string text;
  try {
    text = sessionToJson(m_session());
  } catch (const std::exception& e) {
    m_lastError = QString::fromStdString(e.what());
    return false;
  }
  if (text == m_lastText && m_markerWritten) return true;
  try {
    if (!QDir().mkpath(m_folder))
      throw std::runtime_error(QDir::toNativeSeparators(m_folder).toStdString() +
                               ": cannot create the folder");
    // The marker first: a session file is never there without its marker.
    if (!m_markerWritten) {
      writeFileAtomically(m_markerPath.toStdString(),
                          markerText(QCoreApplication::applicationPid()).toStdString());
      m_markerWritten = true;
    }
    writeFileAtomically(m_sessionPath.toStdString(), text);
  } catch (const std::exception& e) {
    m_lastError = QString::fromStdString(e.what());
    if (!m_failing) emit saveFailed(tr("Autosave failed: %1").arg(m_lastError));
    m_failing = true;
    return false;
  }
  m_lastText = std::move(text);
  m_failing = false;
  m_lastError.clear();
  ++m_saves;
  emit saved(m_sessionPath);
  return true;
}

namespace {
int g_signalPipe[2] = {-1, -1};

void onTerminationSignal(int) {
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[0], &byte, 1);
}
}  // namespace

void quitOnTerminationSignals() {
  if (g_signalPipe[0] >= 0) return;
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0) return;
  auto* notifier = new QSocketNotifier(g_signalPipe[1], QSocketNotifier::Read, qApp);
  QObject::connect(notifier, &QSocketNotifier::activated, qApp, [notifier] {
    notifier->setEnabled(false);
    char byte = 0;
    [[maybe_unused]] const ssize_t n = ::read(g_signalPipe[1], &byte, 1);
    QCoreApplication::quit();
  });
  struct sigaction action {};
  action.sa_handler = onTerminationSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int signal : {SIGTERM, SIGINT, SIGHUP}) ::sigaction(signal, &action, nullptr);
}

}  // namespace bayeslab::ui
