// Compare mode: runs train side by side, each on its own controller, and update
// independently; play / pause all, removing a run while it trains and closing
// the window while training stop cleanly; Export all writes comparison.csv and
// every figure; duplicate-and-tweak edits a copy; the main window opens it.
#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QLineSeries>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolBar>
#include <QtTest>
#include <cmath>

#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/compare/compare_curves_view.h"
#include "ui/compare/compare_predictive_grid.h"
#include "ui/compare/compare_rotation_view.h"
#include "ui/compare/compare_window.h"
#include "ui/compare/tweak_dialog.h"
#include "ui/main_actions.h"
#include "ui/main_window.h"
#include "ui/panels/method_panel.h"
#include "ui/training/training_controller.h"

using namespace bayeslab;
using namespace bayeslab::ui;

namespace {

constexpr int kCompareTimeoutMs = 20000;

SessionConfig smallSession(const std::string& data, const std::string& method, Index steps) {
  SessionConfig c;
  c.dataset.name = data;
  c.dataset.nTrain = 128;
  c.dataset.nTest = 128;
  c.model.hidden = {16};
  c.method.name = method;
  c.training.steps = steps;
  c.training.batchSize = 32;
  c.training.evalEvery = 20;
  c.training.evalSamples = 8;
  c.training.seed = 5;
  return c;
}

bool allRunsStarted(const CompareWindow& w) {
  for (int k = 0; k < w.runCount(); ++k)
    if (!w.controller(k)->hasRun()) return false;
  return true;
}

QStringList csvLines(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
}

}  // namespace

class CompareWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void runsShareTheFirstRunsData();
  void runsUpdateIndependently();
  void playAndPauseAllStopCleanly();
  void removeRunWhileTraining();
  void exportAllWritesComparisonAndFigures();
  void imageDataShowsTheRotatedDigitOfEveryRun();
  void duplicateAndTweakEditsACopy();
  void mainWindowOpensAComparison();
  void tweakDialogScreenshot();
  void screenshots_data();
  void screenshots();
};

void CompareWindowTest::runsShareTheFirstRunsData() {
  CompareWindow w;
  w.setRuns({smallSession("gap", "bbb", 100), smallSession("cubic", "map", 100)});
  QCOMPARE(w.runCount(), 2);
  QCOMPARE(w.runConfig(1).dataset.name, std::string("gap"));
  QCOMPARE(w.runConfig(1).method.name, std::string("map"));
  QTRY_VERIFY_WITH_TIMEOUT(allRunsStarted(w), kCompareTimeoutMs);
  QVERIFY(w.controller(0)->run()->data->train.inputs.isApprox(
      w.controller(1)->run()->data->train.inputs));
  // At most six runs.
  for (int k = 0; k < 6; ++k) w.addRun(smallSession("gap", "map", 10));
  QCOMPARE(w.runCount(), CompareWindow::kMaxRuns);
}

void CompareWindowTest::runsUpdateIndependently() {
  CompareWindow w;
  w.show();
  w.setRuns({smallSession("gap", "bbb", 100000), smallSession("gap", "map", 100000),
             smallSession("gap", "mc_dropout", 100000)});
  QTRY_VERIFY_WITH_TIMEOUT(allRunsStarted(w), kCompareTimeoutMs);
  // Only the second run plays: the others stay at step 0 and draw nothing new.
  w.controller(1)->play();
  QTRY_VERIFY_WITH_TIMEOUT(w.controller(1)->currentStep() > 50, kCompareTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(w.elboView()->series(1)->count() > 5, kCompareTimeoutMs);
  QCOMPARE(w.controller(0)->currentStep(), Index(0));
  QCOMPARE(w.controller(2)->currentStep(), Index(0));
  QCOMPARE(w.elboView()->series(0)->count(), 0);
  QVERIFY(w.testView()->series(1, 0)->count() > 0);
  QTRY_VERIFY_WITH_TIMEOUT(w.predictiveGrid()->cellHasPredictive(1), kCompareTimeoutMs);
  // The table: the running run has numbers, parameters for all.
  QTRY_VERIFY_WITH_TIMEOUT(std::isfinite(w.metrics(1).test.logLikelihood), kCompareTimeoutMs);
  QVERIFY(std::isfinite(w.metrics(1).finalElbo));
  QVERIFY(w.metrics(1).msPerStep > 0.0);
  QVERIFY(!std::isfinite(w.metrics(0).finalElbo));
  for (int k = 0; k < 3; ++k) QVERIFY(w.metrics(k).parameters > 0);
  QCOMPARE(w.metricsTable()->rowCount(), 3);
  QCOMPARE(w.metricsTable()->item(1, 1)->text(), QString("map"));
  w.controller(1)->pause();
  // Then all together: every run moves.
  w.playAll();
  QTRY_VERIFY_WITH_TIMEOUT(
      w.controller(0)->currentStep() > 20 && w.controller(2)->currentStep() > 20,
      kCompareTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(
      w.elboView()->series(0)->count() > 2 && w.elboView()->series(2)->count() > 2,
      kCompareTimeoutMs);
  w.pauseAll();
}

void CompareWindowTest::playAndPauseAllStopCleanly() {
  auto w = std::make_unique<CompareWindow>();
  w->show();
  w->setRuns({smallSession("moons", "bbb", 100000), smallSession("moons", "bbb_lrt", 100000)});
  QTRY_VERIFY_WITH_TIMEOUT(allRunsStarted(*w), kCompareTimeoutMs);
  w->playAction()->trigger();  // Play all
  QVERIFY(w->anyPlaying());
  QCOMPARE(w->playAction()->text(), QString("Pause all"));
  QTRY_VERIFY_WITH_TIMEOUT(
      w->controller(0)->currentStep() > 10 && w->controller(1)->currentStep() > 10,
      kCompareTimeoutMs);
  w->playAction()->trigger();  // Pause all
  QVERIFY(!w->anyPlaying());
  QCOMPARE(w->playAction()->text(), QString("Play all"));
  QTest::qWait(300);  // the last slices finish
  const Index a = w->controller(0)->currentStep(), b = w->controller(1)->currentStep();
  QTest::qWait(300);
  QCOMPARE(w->controller(0)->currentStep(), a);
  QCOMPARE(w->controller(1)->currentStep(), b);
  // Closing the window pauses every run (a hidden comparison would only take the cores).
  w->playAll();
  QVERIFY(w->anyPlaying());
  QVERIFY(w->close());
  QVERIFY(!w->anyPlaying());
  // Destroying it while training: the workers stop within a step.
  w->show();
  w->playAll();
  QTest::qWait(200);
  QElapsedTimer clock;
  clock.start();
  w.reset();
  QVERIFY2(clock.elapsed() < 3000, "closing the window waits for the runs too long");
}

void CompareWindowTest::removeRunWhileTraining() {
  CompareWindow w;
  w.show();
  w.setRuns({smallSession("gap", "bbb", 100000), smallSession("gap", "map", 100000),
             smallSession("gap", "bbb_lrt", 100000)});
  QTRY_VERIFY_WITH_TIMEOUT(allRunsStarted(w), kCompareTimeoutMs);
  w.playAll();
  QTRY_VERIFY_WITH_TIMEOUT(w.controller(1)->currentStep() > 10, kCompareTimeoutMs);
  QSignalSpy changed(&w, &CompareWindow::runsChanged);
  w.selectRun(1);
  QCOMPARE(w.selectedRun(), 1);
  w.findChild<QToolBar*>("compareToolBar")->actions().at(2)->trigger();  // Remove
  QCOMPARE(changed.count(), 1);
  QCOMPARE(w.runCount(), 2);
  QCOMPARE(w.elboView()->runCount(), 2);
  QCOMPARE(w.testView()->runCount(), 2);
  QCOMPARE(w.predictiveGrid()->runCount(), 2);
  QCOMPARE(w.metricsTable()->rowCount(), 2);
  QCOMPARE(w.runConfig(1).method.name, std::string("bbb_lrt"));
  QCOMPARE(w.metricsTable()->item(1, 1)->text(), QString("bbb_lrt"));
  // The others go on training and drawing.
  const Index before = w.controller(1)->currentStep();
  const int points = w.elboView()->series(1)->count();
  QTRY_VERIFY_WITH_TIMEOUT(w.controller(1)->currentStep() > before + 20, kCompareTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(
      w.elboView()->series(1)->count() != points || w.elboView()->series(1)->count() >= 400,
      kCompareTimeoutMs);
  w.removeRun(0);
  w.removeRun(0);
  QCOMPARE(w.runCount(), 0);
  QVERIFY(!w.playAction()->isEnabled());
}

void CompareWindowTest::exportAllWritesComparisonAndFigures() {
  CompareWindow w;
  w.show();
  w.setRuns({smallSession("moons", "bbb", 120), smallSession("moons", "map", 120)});
  QTRY_VERIFY_WITH_TIMEOUT(allRunsStarted(w), kCompareTimeoutMs);
  w.playAll();
  QTRY_VERIFY_WITH_TIMEOUT(
      w.controller(0)->currentStep() == 120 && w.controller(1)->currentStep() == 120,
      kCompareTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(
      w.predictiveGrid()->cellHasPredictive(0) && w.predictiveGrid()->cellHasPredictive(1),
      kCompareTimeoutMs);
  QTemporaryDir tmp;
  const QString dir = tmp.filePath("comparison");
  QString error;
  QVERIFY2(w.exportAll(dir, &error), qPrintable(error));
  const QStringList lines = csvLines(dir + "/comparison.csv");
  QCOMPARE(lines.size(), 3);
  QCOMPARE(lines[0], QString("run,method,prior,final_elbo,test_log_likelihood,test_accuracy,"
                             "test_ece,ms_per_step,parameters"));
  for (int k = 1; k <= 2; ++k) {
    const QStringList cells = lines[k].split(',');
    QCOMPARE(cells.size(), 9);
    for (int c = 3; c < 9; ++c) {
      bool ok = false;
      QVERIFY2(std::isfinite(cells[c].toDouble(&ok)) && ok, qPrintable(lines[k]));
    }
  }
  QCOMPARE(lines[1].split(',')[1], QString("bbb"));
  QCOMPARE(lines[2].split(',')[1], QString("map"));
  for (const QString stem : {"comparison_predictive", "comparison_elbo", "comparison_test"}) {
    QVERIFY2(!QImage(dir + "/" + stem + ".png").isNull(), qPrintable(stem));
    QVERIFY2(QFile::exists(dir + "/" + stem + ".svg"), qPrintable(stem));
  }
  QVERIFY(csvLines(dir + "/comparison_elbo.csv").size() > 10);
  QVERIFY(csvLines(dir + "/comparison_test.csv").size() > 2);
  // A folder that cannot be made: false and a message naming it.
  QVERIFY(!w.exportAll("/proc/no/such/folder", &error));
  QVERIFY(error.contains("folder"));
}

void CompareWindowTest::imageDataShowsTheRotatedDigitOfEveryRun() {
  CompareWindow w;
  w.show();
  SessionConfig a = test::smallDigitsSession("0-4", "bbb_lrt");
  SessionConfig b = test::smallDigitsSession("0-4", "mc_dropout");
  a.training.steps = b.training.steps = 60;
  w.setRuns({a, b});
  QTRY_VERIFY_WITH_TIMEOUT(allRunsStarted(w), kCompareTimeoutMs);
  QVERIFY(w.rotationView()->isVisibleTo(&w));
  QVERIFY(!w.predictiveGrid()->isVisibleTo(&w));
  w.playAll();
  QTRY_VERIFY_WITH_TIMEOUT(!w.anyPlaying(), kCompareTimeoutMs);
  // 0..180 degrees in 10-degree steps, for both runs; probabilities are probabilities.
  QTRY_VERIFY_WITH_TIMEOUT(w.rotationView()->probabilitySeries(0)->count() == 19 &&
                               w.rotationView()->probabilitySeries(1)->count() == 19,
                           kCompareTimeoutMs);
  for (const QPointF& p : w.rotationView()->probabilitySeries(1)->points())
    QVERIFY(p.y() >= 0.0 && p.y() <= 1.0);
  QTemporaryDir tmp;
  QString error;
  QVERIFY2(w.exportAll(tmp.path(), &error), qPrintable(error));
  QVERIFY(QFile::exists(tmp.filePath("comparison_rotation.png")));
  QVERIFY(!QFile::exists(tmp.filePath("comparison_predictive.png")));
  QCOMPARE(csvLines(tmp.filePath("comparison.csv")).size(), 3);
}

void CompareWindowTest::duplicateAndTweakEditsACopy() {
  const SessionConfig original = smallSession("gap", "bbb", 100);
  TweakDialog dialog(original);
  QComboBox* methods = dialog.methodPanel()->methodBox();
  const int map = methods->findData(QString("map"));
  QVERIFY(map >= 0);
  methods->setCurrentIndex(map);
  const SessionConfig copy = dialog.config();
  QCOMPARE(copy.method.name, std::string("map"));
  QCOMPARE(copy.dataset, original.dataset);
  QCOMPARE(copy.model, original.model);
  QCOMPARE(copy.training.seed, original.training.seed);
  QCOMPARE(copy.training.learningRate, original.training.learningRate);

  CompareWindow w;
  w.setRuns({original});
  w.addRun(copy);
  QCOMPARE(w.runCount(), 2);
  QCOMPARE(w.runConfig(1).method.name, std::string("map"));
}

void CompareWindowTest::mainWindowOpensAComparison() {
  MainWindow main;
  QTRY_VERIFY_WITH_TIMEOUT(main.controller()->hasRun(), kCompareTimeoutMs);
  QVERIFY(main.comparisonWindow() == nullptr);
  main.mainActions()->compare->trigger();
  CompareWindow* w = main.comparisonWindow();
  QVERIFY(w != nullptr);
  QCOMPARE(w->runCount(), 2);
  QVERIFY(w->runConfig(0).method.name != w->runConfig(1).method.name);
  QCOMPARE(main.mainActions()->compare->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  main.openComparison({smallSession("gap", "bbb", 50), smallSession("gap", "map", 50),
                       smallSession("gap", "mc_dropout", 50)},
                      "Priors matter", "The same network with three methods.");
  QCOMPARE(main.comparisonWindow(), w);  // one compare window, its runs replaced
  QCOMPARE(w->runCount(), 3);
  QVERIFY(w->noteLabel()->isVisible());
  QVERIFY(w->noteLabel()->text().contains("three methods"));
  QVERIFY(w->windowTitle().contains("Priors matter"));
}

void CompareWindowTest::tweakDialogScreenshot() {
  if (qEnvironmentVariableIsEmpty("BAYESLAB_SCREENSHOT_DIR")) QSKIP("no BAYESLAB_SCREENSHOT_DIR");
  TweakDialog dialog(smallSession("gap", "bbb", 1000));
  dialog.show();
  test::saveScreenshot(dialog, "compare-tweak-dialog");
}

void CompareWindowTest::screenshots_data() {
  QTest::addColumn<QString>("data");
  QTest::addColumn<QSize>("size");
  for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
    const QString suffix = QString("%1x%2").arg(size.width()).arg(size.height());
    QTest::newRow(qPrintable("gap " + suffix)) << "gap" << size;
    QTest::newRow(qPrintable("moons " + suffix)) << "moons" << size;
  }
}

void CompareWindowTest::screenshots() {
  QFETCH(QString, data);
  QFETCH(QSize, size);
  if (qEnvironmentVariableIsEmpty("BAYESLAB_SCREENSHOT_DIR")) QSKIP("no BAYESLAB_SCREENSHOT_DIR");
  const std::string name = data.toStdString();
  const Index steps = 1500;
  std::vector<SessionConfig> runs;
  for (const char* method : {"bbb", "map", "mc_dropout", "bbb_lrt"}) {
    SessionConfig c = smallSession(name, method, steps);
    c.model.hidden = {32, 32};
    c.dataset.nTrain = 256;
    runs.push_back(c);
  }
  CompareWindow w;
  w.resize(size);
  w.show();
  w.setRuns(runs);
  w.setNote("Four methods, one data set.",
            "The same network and seed; only the inference method differs. Watch the "
            "uncertainty away from the data.");
  QTRY_VERIFY_WITH_TIMEOUT(allRunsStarted(w), kCompareTimeoutMs);
  w.playAll();
  QTRY_VERIFY_WITH_TIMEOUT(!w.anyPlaying(), 120000);
  QTest::qWait(2500);  // the last predictive frames and table metrics
  test::saveScreenshot(w,
                       QString("compare-%1-%2x%3").arg(data).arg(size.width()).arg(size.height()));
}

BAYESLAB_TEST_MAIN(CompareWindowTest)
#include "compare_window_test.moc"
