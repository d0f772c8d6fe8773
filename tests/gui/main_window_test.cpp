// The main window end to end: play trains on the worker thread and every live
// view updates; pause, step, reset and a live learning-rate change behave.
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "tests/support/test_main.h"
#include "ui/main_actions.h"
#include "ui/main_window.h"
#include "ui/panels/control_panel.h"
#include "ui/panels/data_panel.h"
#include "ui/panels/number_spin_box.h"
#include "ui/panels/option_form.h"
#include "ui/panels/training_panel.h"
#include "ui/training/divergence_banner.h"
#include "ui/training/training_controller.h"
#include "ui/views/classification_predictive_view.h"
#include "ui/views/elbo_view.h"
#include "ui/views/message_banner.h"
#include "ui/views/regression_predictive_view.h"
#include "ui/views/views_area.h"
#include "ui/views/weight_posterior_view.h"

using namespace bayeslab;
using namespace bayeslab::ui;

namespace {

constexpr int kWindowTimeoutMs = 15000;
// Throttled so the run is still going when the test pauses it.
constexpr int kStepsPerFrame = 5;

void setSpeed(MainWindow& window, int stepsPerFrame) {
  QComboBox* speed = window.mainActions()->speed;
  speed->setCurrentIndex(speed->findData(stepsPerFrame));
  QCOMPARE(window.controller()->stepsPerFrame(), stepsPerFrame);
}

}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void startsWithTheDefaultSessionReadyToPlay();
  void playUpdatesEveryViewThenPauseStepResetAndLiveKnobs();
  void classificationHeatmapUpdatesWhileTraining();
  void dataChangesBeforeTrainingApplyAtOnce();
  void importedCsvDataTrains();
  void divergenceIsShownAndKeepsTheRun();
};

void MainWindowTest::startsWithTheDefaultSessionReadyToPlay() {
  MainWindow window;
  window.show();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kWindowTimeoutMs);
  const SessionConfig& config = window.controller()->runningConfig();
  QCOMPARE(config.dataset.name, std::string("blundell"));
  QCOMPARE(config.method.name, std::string("bbb"));
  QCOMPARE(window.controller()->currentStep(), Index(0));
  QVERIFY(window.mainActions()->play->isEnabled());
  QVERIFY(!window.controller()->isPlaying());
}

void MainWindowTest::playUpdatesEveryViewThenPauseStepResetAndLiveKnobs() {
  MainWindow window;
  window.resize(1400, 900);
  window.show();
  TrainingController* controller = window.controller();
  ViewsArea* views = window.views();
  QTRY_VERIFY_WITH_TIMEOUT(controller->hasRun(), kWindowTimeoutMs);
  // The untrained posterior is drawn before anything is played.
  QTRY_VERIFY_WITH_TIMEOUT(views->regressionView()->hasPredictive(), kWindowTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(views->weightView()->hasSummary(), kWindowTimeoutMs);
  const QList<QPointF> initialMean = views->regressionView()->meanSeries()->points();
  const QList<QPointF> initialMeans = views->weightView()->meanHistogramSeries()->points();
  QCOMPARE(views->elboView()->elboSeries()->count(), 0);
  setSpeed(window, kStepsPerFrame);

  window.mainActions()->play->trigger();
  QVERIFY(controller->isPlaying());
  QTRY_VERIFY_WITH_TIMEOUT(views->elboView()->elboSeries()->count() > 5, kWindowTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(views->regressionView()->meanSeries()->points() != initialMean,
                           kWindowTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(views->weightView()->meanHistogramSeries()->points() != initialMeans,
                           kWindowTimeoutMs);
  QVERIFY(controller->currentStep() > 0);
  QVERIFY(controller->currentStep() < controller->totalSteps());

  // Pause: the step counter stops.
  window.mainActions()->play->trigger();
  QVERIFY(!controller->isPlaying());
  QTest::qWait(300);  // the last in-flight snapshot arrives
  const Index paused = controller->currentStep();
  QTest::qWait(200);
  QCOMPARE(controller->currentStep(), paused);

  // Step: one frame's worth of steps.
  window.mainActions()->step->trigger();
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), paused + kStepsPerFrame, kWindowTimeoutMs);
  QVERIFY(!controller->isPlaying());

  // A live learning-rate change reaches the trainer without a reset.
  const quint64 runId = controller->runId();
  auto* learningRate = qobject_cast<NumberSpinBox*>(
      window.controls()->trainingPanel()->form()->editor("learning_rate"));
  QVERIFY(learningRate);
  learningRate->setValue(0.003);
  QTRY_COMPARE_WITH_TIMEOUT(controller->appliedLearningRate(), 0.003, kWindowTimeoutMs);
  QCOMPARE(controller->runId(), runId);
  QCOMPARE(controller->currentStep(), paused + kStepsPerFrame);
  QVERIFY(!controller->hasPendingChanges());

  // A structural change after training started waits for Reset.
  auto* samples =
      qobject_cast<QSpinBox*>(window.controls()->trainingPanel()->form()->editor("mc_samples"));
  QVERIFY(samples);
  samples->setValue(2);
  QVERIFY(controller->hasPendingChanges());
  QCOMPARE(controller->runId(), runId);

  // Reset: back to step 0, the pending change applied, the live one kept.
  window.mainActions()->reset->trigger();
  QTRY_VERIFY_WITH_TIMEOUT(controller->runId() != runId, kWindowTimeoutMs);
  QCOMPARE(controller->currentStep(), Index(0));
  QCOMPARE(controller->runningConfig().training.mcSamples, 2);
  QCOMPARE(controller->runningConfig().training.learningRate, 0.003);
  QVERIFY(!controller->hasPendingChanges());
  QTRY_COMPARE_WITH_TIMEOUT(views->elboView()->elboSeries()->count(), 0, kWindowTimeoutMs);
}

void MainWindowTest::classificationHeatmapUpdatesWhileTraining() {
  MainWindow window;
  window.resize(1400, 900);
  window.show();
  QVERIFY(window.openSession(":/sessions/moons_bbb.json"));
  TrainingController* controller = window.controller();
  ClassificationPredictiveView* view = window.views()->classificationView();
  QTRY_VERIFY_WITH_TIMEOUT(
      controller->hasRun() && controller->run()->config.dataset.name == "moons", kWindowTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(view->hasPredictive(), kWindowTimeoutMs);
  QVERIFY(window.views()->panels().contains(view));
  const QImage initial = view->heatmap();
  QVERIFY(!initial.isNull());
  setSpeed(window, kStepsPerFrame);
  window.mainActions()->play->trigger();
  QTRY_VERIFY_WITH_TIMEOUT(view->heatmap() != initial, kWindowTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(!view->boundary().isEmpty(), kWindowTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(window.views()->elboView()->elboSeries()->count() > 0, kWindowTimeoutMs);
  window.mainActions()->play->trigger();
  QVERIFY(!controller->isPlaying());
}

void MainWindowTest::dataChangesBeforeTrainingApplyAtOnce() {
  MainWindow window;
  window.show();
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(controller->hasRun(), kWindowTimeoutMs);
  const quint64 runId = controller->runId();
  QComboBox* datasets = window.controls()->dataPanel()->datasetBox();
  datasets->setCurrentIndex(datasets->findData("moons"));
  // Nothing trained yet: the new data set replaces the run without asking.
  QTRY_VERIFY_WITH_TIMEOUT(controller->runId() != runId, kWindowTimeoutMs);
  QCOMPARE(controller->run()->config.dataset.name, std::string("moons"));
  QVERIFY(!controller->hasPendingChanges());
  QVERIFY(window.views()->panels().contains(window.views()->classificationView()));
  QVERIFY(!window.views()->panels().contains(window.views()->regressionView()));
}

void MainWindowTest::importedCsvDataTrains() {
  QTemporaryDir dir;
  const QString path = dir.filePath("points.csv");
  {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QTextStream out(&file);
    out << "x0,x1,y\n";
    for (int i = 0; i < 80; ++i) {
      const double a = 0.1 * i;
      out << std::cos(a) * (1 + i % 2) << "," << std::sin(a) * (1 + i % 2) << "," << i % 2 << "\n";
    }
  }
  MainWindow window;
  window.show();
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(controller->hasRun(), kWindowTimeoutMs);
  window.controls()->dataPanel()->importCsv(path);
  QTRY_VERIFY_WITH_TIMEOUT(controller->run()->config.dataset.name == "csv", kWindowTimeoutMs);
  QCOMPARE(controller->run()->task(), Task::Classification);
  QTRY_VERIFY_WITH_TIMEOUT(window.views()->classificationView()->hasPredictive(), kWindowTimeoutMs);
  controller->step(10);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), Index(10), kWindowTimeoutMs);
}

void MainWindowTest::divergenceIsShownAndKeepsTheRun() {
  QTemporaryDir dir;
  const QString path = dir.filePath("diverge.json");
  {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"method": {"name": "bbb", "init_rho": 2.5},
                   "training": {"optimizer": "sgd", "learning_rate": 50, "steps": 500}})");
  }
  MainWindow window;
  window.show();
  QVERIFY(window.openSession(path));
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(
      controller->hasRun() && controller->runningConfig().training.learningRate == 50,
      kWindowTimeoutMs);
  window.mainActions()->play->trigger();
  QTRY_COMPARE_WITH_TIMEOUT(controller->status(), TrainerStatus::Diverged, kWindowTimeoutMs);
  QVERIFY(!controller->isPlaying());
  QVERIFY(controller->statusMessage().contains("diverged"));
  QVERIFY(window.statusBar()->currentMessage().contains(controller->statusMessage()));
  // The divergence banner (ui/training/divergence_banner.h) says it, with the way back.
  DivergenceBanner* banner = window.views()->divergenceBanner();
  QVERIFY(banner && banner->isVisible());
  QVERIFY(banner->textLabel()->text().contains("learning rate"));
  QVERIFY(banner->resumeButton()->isVisible());
  QVERIFY(!window.mainActions()->play->isEnabled());
  // The steps taken before the divergence stay on the charts.
  QTRY_COMPARE_WITH_TIMEOUT(window.views()->elboView()->rowsSeen(),
                            static_cast<qint64>(controller->currentStep()), kWindowTimeoutMs);
}

BAYESLAB_TEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
