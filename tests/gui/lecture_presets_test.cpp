// Lecture presets (File > Lectures): every preset in the menu parses and each of
// its sessions validates and trains a few steps; a single-run preset opens its
// session, shows its tab and its paragraph in the note above the views; a
// comparison goes to openComparison; a malformed preset is rejected with a
// message naming the file and the field, and the running session is kept.
#include <QAbstractButton>
#include <QAction>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/core/errors.h"
#include "engine/training/trainer.h"
#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/compare/compare_window.h"
#include "ui/lectures/lecture_note.h"
#include "ui/lectures/lecture_preset.h"
#include "ui/main_actions.h"
#include "ui/views/views_area.h"

using namespace bayeslab;
using namespace bayeslab::ui;
using bayeslab::test::kGuiTimeoutMs;

namespace {

constexpr Index kSteps = 3;

QAction* menuAction(MainWindow& window, const QString& title) {
  for (QAction* action : window.mainActions()->lectures->actions())
    if (action->text() == title) return action;
  return nullptr;
}

const char* kGoodSession =
    R"({"dataset": {"name": "blundell", "n_train": 32, "n_test": 32},
        "model": {"hidden": [4]}, "method": {"name": "bbb"},
        "training": {"steps": 10, "batch_size": 16}})";

}  // namespace

class LecturePresetsTest : public QObject {
  Q_OBJECT

 private slots:
  void everyPresetInTheMenuParses();
  void everySessionValidatesAndTrains_data();
  void everySessionValidatesAndTrains();
  void singleRunPresetShowsItsParagraphAndTab_data();
  void singleRunPresetShowsItsParagraphAndTab();
  void comparisonPresetGoesToCompareMode();
  void malformedPresetIsRejected_data();
  void malformedPresetIsRejected();
};

void LecturePresetsTest::everyPresetInTheMenuParses() {
  const QStringList paths = lecturePresetPaths();
  // The issue's nine stories at least.
  QVERIFY2(paths.size() >= 9, qPrintable(QString::number(paths.size())));
  MainWindow window;
  QCOMPARE(window.mainActions()->lectures->actions().size(), paths.size());
  int comparisons = 0;
  for (const QString& path : paths) {
    LecturePreset preset;
    try {
      preset = loadLecturePreset(path);
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
    QVERIFY2(menuAction(window, preset.title), qPrintable(preset.title));
    QVERIFY(!preset.paragraph.isEmpty());
    // The tab it names exists.
    bool tabExists = preset.view == "Rotated MNIST";  // the Predictive tab's title for images
    for (int i = 0; i < window.views()->tabs()->count(); ++i)
      tabExists = tabExists || window.views()->tabs()->tabText(i) == preset.view;
    QVERIFY2(tabExists, qPrintable(path + ": " + preset.view));
    comparisons += preset.isComparison() ? 1 : 0;
  }
  QVERIFY(comparisons >= 3);
}

void LecturePresetsTest::everySessionValidatesAndTrains_data() {
  QTest::addColumn<QString>("path");
  QTest::addColumn<int>("index");
  for (const QString& path : lecturePresetPaths()) {
    const LecturePreset preset = loadLecturePreset(path);
    for (size_t i = 0; i < preset.sessions.size(); ++i)
      QTest::addRow("%s[%d]", qPrintable(QFileInfo(path).completeBaseName()), int(i))
          << path << int(i);
  }
}

void LecturePresetsTest::everySessionValidatesAndTrains() {
  QFETCH(QString, path);
  QFETCH(int, index);
  const SessionConfig config = loadLecturePreset(path).sessions.at(static_cast<size_t>(index));
  QVERIFY(!config.validate());
  // Quick to train on two cores: toy sizes.
  QVERIFY(config.training.steps <= 3000);
  QVERIFY(config.dataset.nTrain <= 2000);
  Trainer trainer(config);
  QCOMPARE(trainer.run(kSteps), kSteps);
  QVERIFY(trainer.status() == TrainerStatus::Running);
  const MetricsRow& last = trainer.history().back();
  QVERIFY(std::isfinite(last.objective));
  QVERIFY(trainer.posterior() != nullptr);
}

void LecturePresetsTest::singleRunPresetShowsItsParagraphAndTab_data() {
  QTest::addColumn<QString>("path");
  for (const QString& path : lecturePresetPaths())
    if (!loadLecturePreset(path).isComparison())
      QTest::addRow("%s", qPrintable(QFileInfo(path).completeBaseName())) << path;
}

void LecturePresetsTest::singleRunPresetShowsItsParagraphAndTab() {
  QFETCH(QString, path);
  const LecturePreset preset = loadLecturePreset(path);
  MainWindow window;
  window.resize(1366, 768);
  window.show();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kGuiTimeoutMs);
  const quint64 before = window.controller()->runId();
  QVERIFY(!window.lectureNote()->isVisible());
  QAction* action = menuAction(window, preset.title);
  QVERIFY(action);
  action->trigger();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->runId() != before, kGuiTimeoutMs);
  QVERIFY(window.controller()->runningConfig() == preset.sessions.front() ||
          window.controller()->runningConfig().method.name == preset.sessions.front().method.name);
  QVERIFY(window.lectureNote()->isVisible());
  QCOMPARE(window.lectureNote()->title(), preset.title);
  QCOMPARE(window.lectureNote()->paragraph(), preset.paragraph);
  QVERIFY(window.windowTitle().contains(preset.title));
  QTabWidget* tabs = window.views()->tabs();
  QTRY_COMPARE_WITH_TIMEOUT(tabs->tabText(tabs->currentIndex()), preset.view, kGuiTimeoutMs);
  // It trains.
  window.controller()->step(kSteps);
  QTRY_COMPARE_WITH_TIMEOUT(window.controller()->currentStep(), kSteps, kGuiTimeoutMs);
  test::saveScreenshot(window, "lecture-" + QFileInfo(path).completeBaseName());
  // The note closes, and opening an ordinary session hides it too.
  window.lectureNote()->findChild<QAbstractButton*>("lectureNoteClose")->click();
  QVERIFY(!window.lectureNote()->isVisible());
  action->trigger();
  QTRY_VERIFY(window.lectureNote()->isVisible());
  QVERIFY(window.openSession(":/sessions/blundell_bbb.json"));
  QVERIFY(!window.lectureNote()->isVisible());
}

void LecturePresetsTest::comparisonPresetGoesToCompareMode() {
  LecturePreset preset;
  for (const QString& path : lecturePresetPaths())
    if ((preset = loadLecturePreset(path)).isComparison()) break;
  QVERIFY(preset.isComparison());
  MainWindow window;
  window.show();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kGuiTimeoutMs);
  const quint64 before = window.controller()->runId();
  QVERIFY(!window.comparisonWindow());
  menuAction(window, preset.title)->trigger();
  // The compare window opens with every session of the preset and its paragraph;
  // the main window's run is left alone.
  CompareWindow* compare = window.comparisonWindow();
  QVERIFY(compare);
  QVERIFY(compare->isVisible());
  QCOMPARE(compare->runCount(), static_cast<int>(preset.sessions.size()));
  for (int i = 0; i < compare->runCount(); ++i)
    QCOMPARE(compare->runConfig(i).method.name,
             preset.sessions[static_cast<size_t>(i)].method.name);
  QVERIFY(compare->noteLabel()->text().contains(preset.title.toHtmlEscaped()));
  QCOMPARE(window.controller()->runId(), before);
  compare->close();
}

void LecturePresetsTest::malformedPresetIsRejected_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::addColumn<QString>("field");
  const QByteArray good = kGoodSession;
  QTest::newRow("not json") << QByteArray("{\"title\": ") << QString();
  QTest::newRow("array") << QByteArray("[1, 2]") << QString();
  QTest::newRow("no title") << ("{\"paragraph\": \"p\", \"sessions\": [" + good + "]}")
                            << QString("title");
  QTest::newRow("empty paragraph")
      << ("{\"title\": \"t\", \"paragraph\": \" \", \"sessions\": [" + good + "]}")
      << QString("paragraph");
  QTest::newRow("no sessions") << QByteArray(R"({"title": "t", "paragraph": "p"})")
                               << QString("sessions");
  QTest::newRow("empty sessions") << QByteArray(
                                         R"({"title": "t", "paragraph": "p", "sessions": []})")
                                  << QString("sessions");
  QByteArray seven = "{\"title\": \"t\", \"paragraph\": \"p\", \"sessions\": [" + good;
  for (int i = 1; i < 7; ++i) seven += "," + good;
  QTest::newRow("seven sessions") << (seven + "]}") << QString("sessions");
  QTest::newRow("unknown key")
      << ("{\"title\": \"t\", \"paragraph\": \"p\", \"colour\": 1, \"sessions\": [" + good + "]}")
      << QString("colour");
  QTest::newRow("bad method") << ("{\"title\": \"t\", \"paragraph\": \"p\", \"sessions\": [" +
                                  good + R"(, {"method": {"name": "magic"}}]})")
                              << QString("sessions[1].method.name");
  QTest::newRow("session not an object")
      << QByteArray(R"({"title": "t", "paragraph": "p", "sessions": [3]})")
      << QString("sessions[0]");
}

void LecturePresetsTest::malformedPresetIsRejected() {
  QFETCH(QByteArray, text);
  QFETCH(QString, field);
  try {
    parseLecturePreset(text, "bad.json");
    QFAIL("accepted a malformed preset");
  } catch (const InputError& e) {
    QCOMPARE(QString::fromStdString(e.file()), QString("bad.json"));
    QCOMPARE(QString::fromStdString(e.field()), field);
    QVERIFY(!e.message().empty());
  }
  // Through the window: reported, and the running session is kept.
  QTemporaryDir dir;
  const QString path = dir.filePath("bad.json");
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write(text);
  file.close();
  MainWindow window;
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kGuiTimeoutMs);
  const quint64 before = window.controller()->runId();
  QVERIFY(!window.openLecture(path));
  QVERIFY2(window.lastError().contains("bad.json"), qPrintable(window.lastError()));
  if (!field.isEmpty())
    QVERIFY2(window.lastError().contains(field), qPrintable(window.lastError()));
  QTest::qWait(50);
  QCOMPARE(window.controller()->runId(), before);
  QVERIFY(!window.lectureNote()->isVisible());
}

BAYESLAB_TEST_MAIN(LecturePresetsTest)
#include "lecture_presets_test.moc"
