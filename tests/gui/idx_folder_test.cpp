// The IDX folder picker of the data panel: a folder that is not one, or lacks
// the four MNIST files, is refused with a message naming what is missing and
// the current run untouched (trained steps included); a folder with the files
// starts an `idx` run on them; files with the right names but unreadable
// contents fail on the training thread and still leave the current run alone.
#include <QFile>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/panels/data_panel.h"
#include "ui/views/views_area.h"

using namespace bayeslab;
using namespace bayeslab::ui;
using bayeslab::test::kGuiTimeoutMs;

namespace {

const char* const kNames[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                              "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
// The repository's embedded digits, in MNIST's own file names.
const char* const kSources[] = {
    "digits-train-images-idx3-ubyte.gz", "digits-train-labels-idx1-ubyte.gz",
    "digits-test-images-idx3-ubyte.gz", "digits-test-labels-idx1-ubyte.gz"};

bool makeDigitsFolder(const QString& dir) {
  for (int i = 0; i < 4; ++i)
    if (!QFile::copy(
            qEnvironmentVariable("BAYESLAB_SOURCE_DIR") + "/resources/mnist/" + kSources[i],
            dir + "/" + kNames[i] + ".gz"))
      return false;
  return true;
}

}  // namespace

class IdxFolderTest : public QObject {
  Q_OBJECT

 private slots:
  void badFolderIsRefusedAndTheRunStays();
  void folderWithTheFilesStartsAnIdxRun();
  void unreadableFilesLeaveTheRunAlone();
};

void IdxFolderTest::badFolderIsRefusedAndTheRunStays() {
  MainWindow window;
  window.show();
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(controller->hasRun(), kGuiTimeoutMs);
  controller->step(15);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), Index(15), kGuiTimeoutMs);
  const quint64 runId = controller->runId();
  DataPanel* panel = window.controls()->dataPanel();

  QTemporaryDir dir;
  const QString missing = dir.filePath("no-such-folder");
  QVERIFY(!panel->setIdxFolder(missing));
  QVERIFY2(panel->folderError().contains("is not a folder"), qPrintable(panel->folderError()));
  QCOMPARE(window.lastError(), panel->folderError());

  // A folder, but with only one of the four files.
  QFile one(dir.filePath("train-images-idx3-ubyte"));
  QVERIFY(one.open(QIODevice::WriteOnly));
  one.close();
  QVERIFY(!panel->setIdxFolder(dir.path()));
  const QString error = panel->folderError();
  QVERIFY2(error.contains("train-labels-idx1-ubyte") && error.contains("t10k-images-idx3-ubyte") &&
               error.contains("t10k-labels-idx1-ubyte") &&
               !error.contains("train-images-idx3-ubyte,"),
           qPrintable(error));

  // Nothing was lost: the same run, its steps, its session.
  QTest::qWait(200);
  QCOMPARE(controller->runId(), runId);
  QCOMPARE(controller->currentStep(), Index(15));
  QCOMPARE(window.controls()->session().dataset.name, std::string("blundell"));
  QVERIFY(!controller->hasPendingChanges());
  controller->step(5);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), Index(20), kGuiTimeoutMs);
}

void IdxFolderTest::folderWithTheFilesStartsAnIdxRun() {
  QTemporaryDir dir;
  QVERIFY(makeDigitsFolder(dir.path()));
  MainWindow window;
  window.show();
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(controller->hasRun(), kGuiTimeoutMs);
  DataPanel* panel = window.controls()->dataPanel();
  QVERIFY(panel->setIdxFolder(dir.path()));
  QVERIFY(panel->folderError().isEmpty());
  // Nothing trained yet: the new data replace the run at once.
  QTRY_VERIFY_WITH_TIMEOUT(controller->run()->config.dataset.name == "idx", kGuiTimeoutMs);
  QCOMPARE(QString::fromStdString(controller->run()->config.dataset.options.text("path")),
           QDir::cleanPath(dir.path()));
  QCOMPARE(controller->run()->data->train.size(), Index(4000));  // all there is
  QVERIFY(controller->run()->data->train.isImage());
  QCOMPARE(window.views()->tabs()->tabText(0), QString("Rotated MNIST"));
}

void IdxFolderTest::unreadableFilesLeaveTheRunAlone() {
  QTemporaryDir dir;
  for (const char* name : kNames) {
    QFile file(dir.filePath(name));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not an IDX file");
  }
  MainWindow window;
  window.show();
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(controller->hasRun(), kGuiTimeoutMs);
  const quint64 runId = controller->runId();
  QSignalSpy errors(&window, &MainWindow::errorReported);
  // The names are right, so the panel takes the folder; reading it fails on the training thread.
  QVERIFY(window.controls()->dataPanel()->setIdxFolder(dir.path()));
  QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, kGuiTimeoutMs);
  QVERIFY2(window.lastError().contains("not an IDX file"), qPrintable(window.lastError()));
  QCOMPARE(controller->runId(), runId);
  QCOMPARE(controller->run()->config.dataset.name, std::string("blundell"));
  controller->step(3);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), Index(3), kGuiTimeoutMs);
}

BAYESLAB_TEST_MAIN(IdxFolderTest)
#include "idx_folder_test.moc"
