// The rotated-MNIST view end to end on the embedded digits: it replaces the
// predictive plot for image data, starts on the first "1" of the test set,
// shows 19 angles (0..180 in 10-degree steps) with the rotated digits, updates
// while a small MLP trains, stops computing while hidden, follows the digit
// and angle-step controls, and keeps an earlier method's curves as an overlay
// until they are cleared. The status bar shows the progress through the epoch.
#include <QElapsedTimer>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

#include "engine/predictive/rotation.h"
#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/export/figure_export.h"
#include "ui/views/rotated_mnist_view.h"
#include "ui/views/views_area.h"

using namespace bayeslab;
using namespace bayeslab::ui;
using bayeslab::test::kGuiTimeoutMs;

class RotatedMnistViewTest : public QObject {
  Q_OBJECT

 private slots:
  void updatesWhileTrainingOnTheFirstOne();
  void followsTheControlsAndKeepsOverlays();
};

void RotatedMnistViewTest::updatesWhileTrainingOnTheFirstOne() {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  QVERIFY(test::startRun(window, test::smallDigitsSession("0-9", "bbb")));
  ViewsArea* views = window.views();
  RotatedMnistView* view = views->rotationView();
  QCOMPARE(views->tabs()->tabText(0), QString("Rotated MNIST"));
  QTRY_VERIFY(view->isVisible());
  QTRY_VERIFY_WITH_TIMEOUT(view->hasFrame(), kGuiTimeoutMs);

  // The default digit: the first "1" of the test set (Gal & Ghahramani 2016).
  const Dataset& test = window.controller()->run()->data->test;
  const Index one = firstOfClass(test.labels, 1);
  QVERIFY(one >= 0);
  QCOMPARE(view->digit(), one);
  QCOMPARE(view->frame()->digit, one);
  QCOMPARE(view->shownLabel(), 1);
  QCOMPARE(view->angleCount(), 19);
  QCOMPARE(view->frame()->sweep->angles.front(), 0.0);
  QCOMPARE(view->frame()->sweep->angles.back(), 180.0);
  QCOMPARE(view->entropySeries()->count(), 19);
  QCOMPARE(view->stripImageCount(), 19);
  QVERIFY(view->stripShownCount() >= 7);  // every one, or every k-th at a readable size
  QVERIFY(!view->leadingClasses().empty());
  QVERIFY(views->panels().contains(view));

  // Training moves the curves.
  const Index firstStep = view->frame()->step;
  const Matrix firstProbabilities = view->frame()->sweep->probabilities;
  window.controller()->setStepsPerFrame(2);
  window.controller()->play();
  QTRY_VERIFY_WITH_TIMEOUT(view->frame()->step > firstStep + 20, kGuiTimeoutMs);
  QVERIFY(!view->frame()->sweep->probabilities.isApprox(firstProbabilities));
  // The epoch progress of an image run is in the status bar.
  auto* epoch = window.findChild<QProgressBar*>("epochProgress");
  QVERIFY(epoch && epoch->isVisible());
  QVERIFY2(epoch->text().startsWith("epoch "), qPrintable(epoch->text()));

  // Hidden, it computes nothing, even while training goes on; shown again, it catches up.
  views->showTab(ViewsArea::Tab::GradientVariance);
  QTRY_VERIFY(!view->isVisible());
  QTRY_VERIFY_WITH_TIMEOUT(!views->rotationService().isBusy(), kGuiTimeoutMs);
  QTest::qWait(100);  // a frame already on its way may still land
  const Index hiddenStep = view->frame()->step;
  const Index trainedBefore = window.controller()->currentStep();
  QTest::qWait(800);
  QVERIFY(window.controller()->currentStep() > trainedBefore + 10);
  QCOMPARE(view->frame()->step, hiddenStep);
  window.controller()->pause();
  QTest::qWait(200);
  views->showTab(ViewsArea::Tab::Predictive);
  QTRY_COMPARE_WITH_TIMEOUT(view->frame()->step, window.controller()->currentStep(), kGuiTimeoutMs);
  test::saveScreenshot(window, "rotated_mnist_window");

  // What a frame costs the UI thread: replacing the curves and the strip, and the repaint.
  const RotationFramePtr last = view->frame();
  auto other = std::make_shared<RotationFrame>(*last);
  auto sweep = std::make_shared<RotationSweep>(*last->sweep);
  sweep->probabilities = sweep->probabilities.rowwise().reverse().eval();
  other->sweep = sweep;
  QElapsedTimer clock;
  std::vector<double> ms;
  for (int i = 0; i < 30; ++i) {
    clock.start();
    view->setFrame(i % 2 ? last : RotationFramePtr(other));
    view->repaint();
    QApplication::processEvents();
    ms.push_back(static_cast<double>(clock.nsecsElapsed()) * 1e-6);
  }
  std::sort(ms.begin(), ms.end());
  qInfo(
      "rotation view frame on the UI thread: median %.1f ms, max %.1f ms (sweep on its thread: "
      "%.1f ms)",
      ms[ms.size() / 2], ms.back(), last->milliseconds);
  QVERIFY2(ms[ms.size() / 2] < 50.0, "a frame of the rotation view should cost a few ms");
}

void RotatedMnistViewTest::followsTheControlsAndKeepsOverlays() {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  QVERIFY(test::startRun(window, test::smallDigitsSession("0-9", "bbb")));
  ViewsArea* views = window.views();
  RotatedMnistView* view = views->rotationView();
  TrainingController* controller = window.controller();
  controller->step(120);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), Index(120), kGuiTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(view->hasFrame() && view->frame()->step == 120, kGuiTimeoutMs);

  // Another digit, another angle step.
  const Dataset& test = controller->run()->data->test;
  const Index seven = firstOfClass(test.labels, 7);
  view->selectDigit(seven);
  QCOMPARE(view->shownLabel(), 7);
  QTRY_VERIFY_WITH_TIMEOUT(view->frame()->digit == seven, kGuiTimeoutMs);
  view->setAngleStep(30.0);
  QTRY_COMPARE_WITH_TIMEOUT(view->angleCount(), 7, kGuiTimeoutMs);
  QCOMPARE(view->frame()->digit, seven);
  view->setAngleStep(10.0);
  QTRY_COMPARE_WITH_TIMEOUT(view->angleCount(), 19, kGuiTimeoutMs);
  QCOMPARE(view->overlayCurveCount(), 0);

  // A run with another method on the same images: Bayes by Backprop stays, dashed.
  QVERIFY(test::startRun(window, test::smallDigitsSession("0-9", "mc_dropout")));
  QCOMPARE(views->rotationService().overlayCount(), 1);
  controller->step(20);
  QTRY_VERIFY_WITH_TIMEOUT(view->hasFrame() && view->frame()->step == 20, kGuiTimeoutMs);
  QCOMPARE(view->overlayCurveCount(), 1);
  QCOMPARE(view->frame()->overlays.front().label, QString("Bayes by Backprop"));
  QCOMPARE(view->frame()->overlays.front().sweep->angles.size(), size_t(19));
  QVERIFY(view->legendNames().contains("Bayes by Backprop (dashed)"));
  // The overlay is the old run's final state, not the new run's.
  QVERIFY(!view->frame()->overlays.front().sweep->probabilities.isApprox(
      view->frame()->sweep->probabilities));
  // The chosen digit stays chosen for a run on the same images.
  QCOMPARE(view->frame()->digit, seven);
  QVERIFY(view->clearOverlaysButton()->isEnabled());
  // The CSV export: the live sweep (as the CLI's rotation.csv), its spread, and the overlay.
  QTemporaryDir dir;
  const QStringList csv = exportPanel(*view, ExportFormat::Csv, dir.filePath("rotation.csv"));
  QCOMPARE(csv.size(), 3);
  QFile main(dir.filePath("rotation.csv"));
  QVERIFY(main.open(QIODevice::ReadOnly));
  QVERIFY(main.readLine().startsWith("angle,p0,p1"));
  test::saveScreenshot(window, "rotated_mnist_overlay");
  view->clearOverlaysButton()->click();
  QTRY_COMPARE_WITH_TIMEOUT(view->overlayCurveCount(), 0, kGuiTimeoutMs);
  QVERIFY(!view->legendNames().contains("Bayes by Backprop (dashed)"));
}

BAYESLAB_TEST_MAIN(RotatedMnistViewTest)
#include "rotated_mnist_view_test.moc"
