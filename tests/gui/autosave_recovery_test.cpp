// Autosave and crash recovery (issue 14, part 5). In-process: the autosaver
// writes atomically and only when the session changed, two windows keep
// separate files, a clean exit leaves nothing, orphans of dead processes are
// found, a failed save keeps the old file and says why. Across processes: the
// real `bayeslab` is started offscreen with a temporary autosave folder,
// killed with SIGKILL once it autosaved, started again: the session is offered,
// and restored with --restore-autosave; a clean exit leaves nothing to offer.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "engine/training/session_json.h"
#include "tests/gui/gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/session/autosave.h"
#include "ui/session/window_autosave.h"

using namespace bayeslab;
using namespace bayeslab::test;
using namespace bayeslab::ui;

namespace {

SessionConfig distinctiveSession() {
  SessionConfig c;
  c.dataset.name = "cubic";
  c.dataset.nTrain = 40;
  c.dataset.nTest = 20;
  c.model.hidden = {7};
  c.method.name = "bbb";
  c.training.steps = 300;
  c.training.learningRate = 0.0123;
  c.training.seed = 4242;
  return c;
}

// The settings that tell distinctiveSession() apart (the window completes the
// rest, e.g. the method's options, with defaults).
bool isDistinctive(const SessionConfig& c) {
  return c.dataset.name == "cubic" && c.dataset.nTrain == 40 &&
         c.model.hidden == std::vector<int>{7} && c.method.name == "bbb" &&
         c.training.learningRate == 0.0123 && c.training.seed == 4242;
}

bool fileIsDistinctive(const QString& path) {
  try {
    return isDistinctive(loadSession(path.toStdString()));
  } catch (const std::exception&) {
    return false;  // not there yet
  }
}

// A pid that belonged to a process that has exited (and was reaped).
qint64 deadPid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

QStringList filesIn(const QString& folder) {
  return QDir(folder).entryList(QDir::Files, QDir::Name);
}

// The application under test; CTest names it (tests/gui/CMakeLists.txt).
QString guiBinary() {
  const QString program = qEnvironmentVariable("BAYESLAB_GUI_BINARY");
  if (program.isEmpty()) qFatal("BAYESLAB_GUI_BINARY is not set: run this test through ctest");
  return program;
}

QProcessEnvironment environmentFor(const QString& folder) {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("QT_QPA_PLATFORM", "offscreen");
  env.insert("BAYESLAB_AUTOSAVE_DIR", folder);
  return env;
}

}  // namespace

class AutosaveRecoveryTest : public QObject {
  Q_OBJECT
 private slots:
  void writesWhenChangedAndCleansUpOnExit() {
    QTemporaryDir dir;
    SessionConfig config = distinctiveSession();
    QString sessionPath, markerPath;
    {
      Autosaver saver([&] { return config; }, dir.path() + "/nested");
      sessionPath = saver.sessionPath();
      markerPath = saver.markerPath();
      QVERIFY(!QFile::exists(sessionPath));  // nothing before the first save
      QVERIFY(saver.saveIfChanged());
      QCOMPARE(saver.saveCount(), 1);
      QVERIFY(QFile::exists(sessionPath) && QFile::exists(markerPath));
      QVERIFY(fileIsDistinctive(sessionPath));
      QVERIFY(saver.saveIfChanged());
      QCOMPARE(saver.saveCount(), 1);  // unchanged: not written again
      config.training.learningRate = 0.5;
      saver.noteSignificantEdit();
      QTRY_COMPARE_WITH_TIMEOUT(saver.saveCount(), 2, 5000);  // soon after an edit
      QCOMPARE(loadSession(sessionPath.toStdString()).training.learningRate, 0.5);
      // No temporary files are left beside it.
      QCOMPARE(filesIn(dir.path() + "/nested").size(), 2);
      // This process is alive: its autosave is not an orphan.
      QVERIFY(orphanedAutosaves(dir.path() + "/nested").empty());
    }
    QVERIFY(!QFile::exists(sessionPath));
    QVERIFY(!QFile::exists(markerPath));
  }

  void twoWindowsKeepSeparateFiles() {
    QTemporaryDir dir;
    SessionConfig a = distinctiveSession(), b = distinctiveSession();
    b.model.hidden = {3, 3};
    Autosaver first([&] { return a; }, dir.path()), second([&] { return b; }, dir.path());
    QVERIFY(first.sessionPath() != second.sessionPath());
    QVERIFY(first.saveIfChanged() && second.saveIfChanged());
    QVERIFY(fileIsDistinctive(first.sessionPath()));
    QCOMPARE(loadSession(second.sessionPath().toStdString()).model.hidden, b.model.hidden);
  }

  void orphansOfDeadProcessesAreFound() {
    QTemporaryDir dir;
    const qint64 dead = deadPid();
    QVERIFY(!processIsRunning(dead));
    QVERIFY(processIsRunning(QCoreApplication::applicationPid()));
    const QDir d(dir.path());
    // A dead process's autosave, a live one's, and a dead marker without a session.
    saveSession(d.filePath("autosave-1-1.json").toStdString(), distinctiveSession());
    QFile marker(d.filePath("autosave-1-1.running"));
    QVERIFY(marker.open(QIODevice::WriteOnly));
    marker.write(QByteArray::number(dead) + "\n");
    marker.close();
    saveSession(d.filePath("autosave-2-1.json").toStdString(), distinctiveSession());
    QFile live(d.filePath("autosave-2-1.running"));
    QVERIFY(live.open(QIODevice::WriteOnly));
    live.write(QByteArray::number(QCoreApplication::applicationPid()) + "\n");
    live.close();
    QFile lone(d.filePath("autosave-3-1.running"));
    QVERIFY(lone.open(QIODevice::WriteOnly));
    lone.write(QByteArray::number(dead) + "\n");
    lone.close();

    const auto orphans = orphanedAutosaves(dir.path());
    QCOMPARE(orphans.size(), size_t(1));
    QCOMPARE(orphans.front().pid, dead);
    QVERIFY(!QFile::exists(d.filePath("autosave-3-1.running")));  // nothing to offer: removed
    const QString adopted = adoptAutosave(orphans.front());
    QVERIFY(QFileInfo(adopted).fileName().startsWith("recovered-"));
    QVERIFY(fileIsDistinctive(adopted));
    QVERIFY(orphanedAutosaves(dir.path()).empty());
    QVERIFY(QFile::exists(d.filePath("autosave-2-1.json")));  // the live one is left alone
  }

  void failedSaveKeepsTheOldFileAndSaysWhy() {
    QTemporaryDir dir;
    SessionConfig config = distinctiveSession();
    Autosaver saver([&] { return config; }, dir.path());
    QVERIFY(saver.saveIfChanged());
    const auto contents = [&] {
      QFile f(saver.sessionPath());
      return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    const QByteArray before = contents();
    QVERIFY(before.size() > 64);
    // A disk that fills up mid-write (even root cannot write past RLIMIT_FSIZE).
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit old{};
    QVERIFY(::getrlimit(RLIMIT_FSIZE, &old) == 0);
    rlimit small = old;
    small.rlim_cur = 64;
    QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    config.training.learningRate = 0.9;
    QSignalSpy failed(&saver, &Autosaver::saveFailed);
    const bool ok = saver.saveIfChanged();
    const bool againOk = saver.saveIfChanged();  // still failing: said once
    ::setrlimit(RLIMIT_FSIZE, &old);
    QVERIFY(!ok && !againOk);
    QCOMPARE(failed.count(), 1);
    const QString message = failed.front().front().toString();
    QVERIFY2(message.contains(saver.sessionPath()) && message.contains("write failed"),
             qPrintable(message));
    QCOMPARE(contents(), before);             // the old autosave, whole
    QCOMPARE(filesIn(dir.path()).size(), 2);  // no temporary file left behind
    QVERIFY(saver.saveIfChanged());           // and it recovers
    QCOMPARE(loadSession(saver.sessionPath().toStdString()).training.learningRate, 0.9);
  }

  // The real application, killed and started again.
  void killedProcessIsOfferedAndRestored() {
    QTemporaryDir dir;
    const QString folder = dir.filePath("autosave");
    const QString sessionFile = dir.filePath("start.json");
    saveSession(sessionFile.toStdString(), distinctiveSession());

    QProcess first;
    first.setProcessEnvironment(environmentFor(folder));
    first.start(guiBinary(), {sessionFile});
    QVERIFY(first.waitForStarted(10000));
    // The first autosave follows the run's start by about a second.
    QTRY_VERIFY_WITH_TIMEOUT(QDir(folder).entryList({"autosave-*.json"}, QDir::Files).size() == 1,
                             kGuiTimeoutMs);
    const QString saved =
        QDir(folder).filePath(QDir(folder).entryList({"autosave-*.json"}).front());
    QTRY_VERIFY_WITH_TIMEOUT(fileIsDistinctive(saved), kGuiTimeoutMs);
    first.kill();  // SIGKILL: no clean-up can run
    QVERIFY(first.waitForFinished(10000));
    QCOMPARE(first.exitStatus(), QProcess::CrashExit);
    QCOMPARE(orphanedAutosaves(folder).size(), size_t(1));

    // Started again without a flag: offered (the bar; one line on stdout), not taken.
    QProcess second;
    second.setProcessEnvironment(environmentFor(folder));
    second.start(guiBinary(), {"--write-session", dir.filePath("second.json")});
    QVERIFY(second.waitForFinished(kGuiTimeoutMs));
    const QString out2 = QString::fromLocal8Bit(second.readAllStandardOutput());
    QCOMPARE(second.exitCode(), 0);
    QVERIFY2(out2.contains("is offered"), qPrintable(out2));
    QVERIFY(!fileIsDistinctive(dir.filePath("second.json")));
    QCOMPARE(orphanedAutosaves(folder).size(), size_t(1));  // still there to restore
    // The second process exited cleanly: it left nothing of its own.
    QCOMPARE(QDir(folder).entryList({"autosave-*"}, QDir::Files).size(), 2);

    // --restore-autosave: the window opens the autosaved session.
    QProcess third;
    third.setProcessEnvironment(environmentFor(folder));
    third.start(guiBinary(),
                {"--restore-autosave", "--write-session", dir.filePath("restored.json")});
    QVERIFY(third.waitForFinished(kGuiTimeoutMs));
    const QString out3 = QString::fromLocal8Bit(third.readAllStandardOutput());
    QCOMPARE(third.exitCode(), 0);
    QVERIFY2(out3.contains("restored the autosaved session"), qPrintable(out3));
    QVERIFY(fileIsDistinctive(dir.filePath("restored.json")));
    QVERIFY(orphanedAutosaves(folder).empty());
    QCOMPARE(QDir(folder).entryList({"autosave-*"}, QDir::Files).size(), 0);
    QCOMPARE(QDir(folder).entryList({"recovered-*.json"}, QDir::Files).size(), 1);

    // A clean exit on SIGTERM removes the autosave: nothing is offered next time.
    QProcess fourth;
    fourth.setProcessEnvironment(environmentFor(folder));
    fourth.start(guiBinary(), {sessionFile});
    QVERIFY(fourth.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(QDir(folder).entryList({"autosave-*.json"}, QDir::Files).size() == 1,
                             kGuiTimeoutMs);
    fourth.terminate();
    QVERIFY(fourth.waitForFinished(10000));
    QCOMPARE(fourth.exitStatus(), QProcess::NormalExit);
    QCOMPARE(QDir(folder).entryList({"autosave-*"}, QDir::Files).size(), 0);
    QProcess fifth;
    fifth.setProcessEnvironment(environmentFor(folder));
    fifth.start(guiBinary(), {"--write-session", dir.filePath("fifth.json")});
    QVERIFY(fifth.waitForFinished(kGuiTimeoutMs));
    const QString out5 = QString::fromLocal8Bit(fifth.readAllStandardOutput());
    QVERIFY2(!out5.contains("offered"), qPrintable(out5));
  }

  // The offer bar in a window: Discard deletes the orphan.
  void offerBarDiscards() {
    QTemporaryDir dir;
    qputenv("BAYESLAB_AUTOSAVE_DIR", dir.path().toLocal8Bit());
    const QDir d(dir.path());
    saveSession(d.filePath("autosave-9-1.json").toStdString(), distinctiveSession());
    QFile marker(d.filePath("autosave-9-1.running"));
    QVERIFY(marker.open(QIODevice::WriteOnly));
    marker.write(QByteArray::number(deadPid()) + "\n");
    marker.close();
    MainWindow window;
    window.resize(1366, 768);
    window.show();
    setUpWindowAutosave(window, RecoveryChoice::Ask);
    AutosaveOfferBar* bar = autosaveOfferBar(window);
    QVERIFY(bar);
    QVERIFY(bar->isVisible());
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    QVERIFY(!bar->restoreAction()->toolTip().isEmpty());
    QVERIFY(!bar->discardAction()->toolTip().isEmpty());
    saveScreenshot(window, "autosave-offer-1366x768");
    bar->discardAction()->trigger();
    QVERIFY(orphanedAutosaves(dir.path()).empty());
    QVERIFY(!QFile::exists(d.filePath("autosave-9-1.json")));
    qunsetenv("BAYESLAB_AUTOSAVE_DIR");
  }
};

BAYESLAB_TEST_MAIN(AutosaveRecoveryTest)
#include "autosave_recovery_test.moc"
