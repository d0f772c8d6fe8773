// Opening a bad session file reports the file and the field, and keeps the
// current session and run.
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/training/session_json.h"
#include "tests/support/test_main.h"
#include "ui/main_window.h"
#include "ui/panels/control_panel.h"
#include "ui/training/training_controller.h"

using namespace bayeslab;
using namespace bayeslab::ui;

namespace {
constexpr int kOpenTimeoutMs = 15000;

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& content) {
  const QString path = dir.filePath(name);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return {};
  file.write(content);
  return path;
}
}  // namespace

class SessionOpenTest : public QObject {
  Q_OBJECT

 private slots:
  void badSessionIsReportedAndChangesNothing_data();
  void badSessionIsReportedAndChangesNothing();
  void missingDataFileRestoresThePreviousSession();
  void goodSessionRoundTripsThroughSave();
};

void SessionOpenTest::badSessionIsReportedAndChangesNothing_data() {
  QTest::addColumn<QByteArray>("content");
  QTest::addColumn<QString>("expected");  // part of the message besides the file name
  QTest::newRow("syntax") << QByteArray("{\"dataset\": {\"name\": \"moons\",}") << "invalid JSON";
  QTest::newRow("wrong type") << QByteArray("{\"training\": {\"learning_rate\": \"fast\"}}")
                              << "training.learning_rate";
  QTest::newRow("unknown method") << QByteArray("{\"method\": {\"name\": \"magic\"}}")
                                  << "method.name";
  QTest::newRow("unknown key") << QByteArray("{\"model\": {\"depth\": 3}}") << "model.depth";
}

void SessionOpenTest::badSessionIsReportedAndChangesNothing() {
  QFETCH(QByteArray, content);
  QFETCH(QString, expected);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = writeFile(dir, "broken.json", content);

  MainWindow window;
  window.show();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kOpenTimeoutMs);
  const SessionConfig before = window.controls()->session();
  const quint64 runId = window.controller()->runId();

  QSignalSpy errors(&window, &MainWindow::errorReported);
  QVERIFY(!window.openSession(path));
  QCOMPARE(errors.count(), 1);
  const QString message = errors.front().front().toString();
  QVERIFY2(message.contains("broken.json"), qPrintable(message));
  QVERIFY2(message.contains(expected), qPrintable(message));
  QCOMPARE(window.lastError(), message);
  QCOMPARE(window.statusBar()->currentMessage(), message);

  QVERIFY(window.controls()->session() == before);
  QTest::qWait(100);
  QCOMPARE(window.controller()->runId(), runId);
  QVERIFY(window.controller()->runningConfig() == before);
}

void SessionOpenTest::missingDataFileRestoresThePreviousSession() {
  QTemporaryDir dir;
  const QString path =
      writeFile(dir, "csv_session.json",
                R"({"dataset": {"name": "csv", "path": "/nonexistent/points.csv"}})");
  MainWindow window;
  window.show();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kOpenTimeoutMs);
  const SessionConfig before = window.controls()->session();
  const quint64 runId = window.controller()->runId();

  QSignalSpy errors(&window, &MainWindow::errorReported);
  // The file parses; the data it names fails on the training thread.
  QVERIFY(window.openSession(path));
  QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, kOpenTimeoutMs);
  QVERIFY2(errors.front().front().toString().contains("points.csv"),
           qPrintable(errors.front().front().toString()));
  QVERIFY(window.controls()->session() == before);
  QCOMPARE(window.controller()->runId(), runId);
  QVERIFY(!window.controller()->hasPendingChanges());
}

void SessionOpenTest::goodSessionRoundTripsThroughSave() {
  QTemporaryDir dir;
  MainWindow window;
  window.show();
  QVERIFY(window.openSession(":/sessions/moons_bbb.json"));
  QTRY_VERIFY_WITH_TIMEOUT(
      window.controller()->hasRun() && window.controller()->run()->config.dataset.name == "moons",
      kOpenTimeoutMs);
  const QString path = dir.filePath("saved.json");
  QVERIFY(window.saveSession(path));
  const SessionConfig saved = loadSession(path.toStdString());
  QVERIFY(saved == window.controls()->session());
  QVERIFY(window.openSession(path));
  QVERIFY(window.controls()->session() == saved);
}

BAYESLAB_TEST_MAIN(SessionOpenTest)
#include "session_open_test.moc"
