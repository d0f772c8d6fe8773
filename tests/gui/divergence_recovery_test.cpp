// Divergence in the window (issue 14, part 3): a run whose loss goes
// non-finite pauses, the step is marked on the objective chart, a non-modal
// banner says what happened and what to try, and its button goes back to the
// last good checkpoint and continues at a tenth of the learning rate.
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QStatusBar>
#include <QTest>

#include "tests/gui/gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/training/divergence_banner.h"
#include "ui/views/elbo_view.h"
#include "ui/views/views_area.h"

using namespace bayeslab;
using namespace bayeslab::test;
using namespace bayeslab::ui;

namespace {

// MAP with plain SGD at a step far too large: diverges within a few steps.
SessionConfig divergingSession() {
  SessionConfig c;
  c.dataset.name = "cubic";
  c.dataset.nTrain = 48;
  c.dataset.nTest = 32;
  c.model.hidden = {32};
  c.method.name = "map";
  c.training.optimizer = "sgd";
  c.training.learningRate = 50.0;
  c.training.steps = 3000;
  c.training.batchSize = 16;
  c.training.evalEvery = 50;
  c.training.evalSamples = 8;
  c.training.seed = 7;
  c.likelihood.noiseStd = 3.0;  // the data's noise: a well-conditioned loss
  return c;
}

}  // namespace

class DivergenceRecoveryTest : public QObject {
  Q_OBJECT
 private slots:
  void pausesMarksExplainsAndGoesBack_data() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("1366x768") << QSize(1366, 768);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
  }
  void pausesMarksExplainsAndGoesBack() {
    QFETCH(QSize, size);
    MainWindow window;
    window.resize(size);
    window.show();
    TrainingController* controller = window.controller();
    QVERIFY(startRun(window, divergingSession()));
    controller->setStepsPerFrame(10);  // ~300 steps/s: the run is still going when checked
    DivergenceBanner* banner = window.views()->divergenceBanner();
    QVERIFY(banner);
    QVERIFY(!banner->isVisible());

    // It trains at a sensible rate for a while, then the rate is raised far too
    // high in the training panel (a live knob): the next steps diverge.
    SessionConfig edited = window.controls()->session();
    edited.training.learningRate = 1e-4;
    window.controls()->setSession(edited);
    controller->applyEdits(window.session());
    controller->play();
    QTRY_VERIFY_WITH_TIMEOUT(controller->currentStep() >= 400, kGuiTimeoutMs);
    QCOMPARE(controller->status(), TrainerStatus::Running);
    edited.training.learningRate = 50.0;
    window.controls()->setSession(edited);
    controller->applyEdits(window.session());
    QTRY_COMPARE_WITH_TIMEOUT(controller->status(), TrainerStatus::Diverged, kGuiTimeoutMs);
    QVERIFY(!controller->isPlaying());  // paused, not stopped for good
    const DivergenceInfo d = controller->divergence();
    QVERIFY(d.step >= 1);
    QCOMPARE(controller->currentStep(), d.step - 1);
    QVERIFY(d.restoreStep >= 0 && d.restoreStep < d.step);
    QVERIFY(d.step > 400);
    QVERIFY(d.step - 1 - d.restoreStep <= 2 * Trainer::kCheckpointEvery);
    QVERIFY(window.statusBar()->currentMessage().contains("diverged"));

    // The banner: visible, non-modal, says the step and the quantity, and what to try.
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kGuiTimeoutMs);
    QVERIFY(!banner->isWindow());
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    const QString text = banner->textLabel()->text();
    QVERIFY2(text.contains(QString("step %1").arg(d.step)), qPrintable(text));
    QVERIFY2(text.contains(QString::fromStdString(d.quantity)), qPrintable(text));
    QVERIFY2(text.contains("learning rate"), qPrintable(text));
    QVERIFY(!banner->textLabel()->toolTip().isEmpty());
    // The button names the new rate and the step it goes back to.
    QPushButton* resume = banner->resumeButton();
    QVERIFY(resume->isVisible() && resume->isEnabled());
    QCOMPARE(banner->proposedLearningRate(), 5.0);
    QVERIFY2(resume->text().contains("lr = 5"), qPrintable(resume->text()));
    QVERIFY2(resume->text().contains(QString("step %1").arg(d.restoreStep)),
             qPrintable(resume->text()));
    QVERIFY(!resume->toolTip().isEmpty());

    // The step is marked on the objective chart.
    ElboView* elbo = window.views()->elboView();
    QCOMPARE(elbo->divergenceSteps().size(), size_t(1));
    QCOMPARE(elbo->divergenceSteps().front(), d.step);

    // The kept posterior is finite.
    QVERIFY(controller->latestPosterior());
    QTRY_VERIFY_WITH_TIMEOUT(controller->latestPosterior()->flatMean().allFinite(), kGuiTimeoutMs);
    saveScreenshot(window, QString("divergence-banner-%1x%2").arg(size.width()).arg(size.height()));

    // Go back and continue at lr/10, until the run trains (each click divides by 10).
    double lr = 50.0;
    for (int click = 0; click < 8 && controller->status() == TrainerStatus::Diverged; ++click) {
      const Index before = controller->currentStep();
      const Index divergedAt = controller->divergence().step;
      QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kGuiTimeoutMs);
      lr = banner->proposedLearningRate();
      QTest::mouseClick(resume, Qt::LeftButton);
      // The panel and the trainer take the new rate, and the run plays on.
      QTRY_COMPARE_WITH_TIMEOUT(controller->appliedLearningRate(), lr, kGuiTimeoutMs);
      QCOMPARE(window.controls()->session().training.learningRate, lr);
      QCOMPARE(window.session().training.learningRate, lr);
      QTRY_VERIFY_WITH_TIMEOUT(controller->currentStep() > before + 100 ||
                                   (controller->status() == TrainerStatus::Diverged &&
                                    controller->divergence().step != divergedAt),
                               kGuiTimeoutMs);
    }
    QCOMPARE(controller->status(), TrainerStatus::Running);
    QVERIFY(controller->isPlaying());
    QVERIFY(!banner->isVisible());
    QVERIFY(lr < 50.0);
    QVERIFY(!window.statusBar()->currentMessage().contains("diverged"));
    QVERIFY(controller->latestPosterior()->flatMean().allFinite());
    controller->pause();
    QVERIFY(!elbo->divergenceSteps().empty());
    saveScreenshot(window,
                   QString("divergence-resumed-%1x%2").arg(size.width()).arg(size.height()));
  }

  void dismissHidesUntilTheNextDivergence() {
    MainWindow window;
    window.resize(1366, 768);
    window.show();
    TrainingController* controller = window.controller();
    QVERIFY(startRun(window, divergingSession()));
    controller->play();
    QTRY_COMPARE_WITH_TIMEOUT(controller->status(), TrainerStatus::Diverged, kGuiTimeoutMs);
    DivergenceBanner* banner = window.views()->divergenceBanner();
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kGuiTimeoutMs);
    QList<QPushButton*> buttons = banner->findChildren<QPushButton*>();
    QCOMPARE(buttons.size(), 2);
    QPushButton* dismissButton = buttons[0] == banner->resumeButton() ? buttons[1] : buttons[0];
    QVERIFY(!dismissButton->toolTip().isEmpty());
    QTest::mouseClick(dismissButton, Qt::LeftButton);
    QVERIFY(!banner->isVisible());
    // Other state changes keep it hidden; the status bar still says diverged.
    controller->setStepsPerFrame(3);
    emit controller->stateChanged();
    QVERIFY(!banner->isVisible());
    QCOMPARE(controller->status(), TrainerStatus::Diverged);
  }
};

BAYESLAB_TEST_MAIN(DivergenceRecoveryTest)
#include "divergence_recovery_test.moc"
