// The uncertainty-quality view end to end: for digits trained on 0-4 it shows
// the reliability diagram with its ECE and the entropy histograms of the
// trained and held-out classes with an AUROC well above chance; for toy 2-D
// classification the reliability diagram and a hint how to get an
// out-of-distribution set; for regression its tab is disabled. It computes
// only while shown.
#include <QProgressBar>
#include <QTabWidget>
#include <QtTest>
#include <cmath>

#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/views/uncertainty_view.h"
#include "ui/views/views_area.h"

using namespace bayeslab;
using namespace bayeslab::ui;
using bayeslab::test::kGuiTimeoutMs;

class UncertaintyViewTest : public QObject {
  Q_OBJECT

 private slots:
  void showsEceAndAurocForDigitsTrainedOnZeroToFour();
  void toyClassificationHasAReliabilityDiagramAndAHint();
  void regressionDisablesTheTab();
};

void UncertaintyViewTest::showsEceAndAurocForDigitsTrainedOnZeroToFour() {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  QVERIFY(test::startRun(window, test::smallDigitsSession("0-4", "bbb")));
  TrainingController* controller = window.controller();
  ViewsArea* views = window.views();
  UncertaintyView* view = views->uncertaintyView();
  QVERIFY(views->isTabEnabled(ViewsArea::Tab::Uncertainty));
  const DataSplit& data = *controller->run()->data;
  QVERIFY(data.outOfDistribution.size() > 0);
  for (Index i = 0; i < data.test.size(); ++i) QVERIFY(data.test.labels(i) <= 4);

  // Hidden: nothing computed, however far training goes.
  controller->step(300);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), Index(300), kGuiTimeoutMs);
  QTest::qWait(200);
  QVERIFY(!view->hasFrame());

  views->showTab(ViewsArea::Tab::Uncertainty);
  QTRY_VERIFY_WITH_TIMEOUT(view->hasFrame(), kGuiTimeoutMs);
  const UncertaintyFrame& f = *view->frame();
  QCOMPARE(f.step, Index(300));
  QCOMPARE(f.testPoints, std::min(UncertaintyService::kMaxPoints, data.test.size()));
  QCOMPARE(f.reliability.bins.size(), size_t(10));
  Index counted = 0;
  double ece = 0.0;
  for (const ReliabilityBin& b : f.reliability.bins) {
    counted += b.count;
    ece += static_cast<double>(b.count) * std::abs(b.accuracy - b.confidence);
  }
  QCOMPARE(counted, f.testPoints);
  QVERIFY(std::abs(ece / static_cast<double>(counted) - f.reliability.ece) < 1e-9);
  QVERIFY(f.accuracy > 0.8);  // five digits, 300 steps: the classifier works
  qInfo("ECE %.4f, accuracy %.3f, AUROC %.3f, computed in %.0f ms", f.reliability.ece, f.accuracy,
        f.auroc.value_or(-1.0), f.milliseconds);
  QVERIFY2(view->reliabilityTitle().contains(QString("ECE %1").arg(f.reliability.ece, 0, 'f', 3)),
           qPrintable(view->reliabilityTitle()));
  QVERIFY(view->countLabelCount() > 0);

  // Held-out digits: a separate histogram and the AUROC of telling them apart.
  QVERIFY(f.auroc.has_value());
  QCOMPARE(
      f.outOfDistributionEntropy.size(),
      static_cast<size_t>(std::min(UncertaintyService::kMaxPoints, data.outOfDistribution.size())));
  QVERIFY2(*f.auroc > 0.6, "digits never seen should be more uncertain than the trained ones");
  QVERIFY2(view->entropyTitle().contains(QString("AUROC %1").arg(*f.auroc, 0, 'f', 3)),
           qPrintable(view->entropyTitle()));
  QVERIFY(view->entropyNote().isEmpty());
  QCOMPARE(view->csvTables().size(), size_t(3));
  QVERIFY(views->panels().contains(view));
  test::saveScreenshot(window, "uncertainty_window");
}

void UncertaintyViewTest::toyClassificationHasAReliabilityDiagramAndAHint() {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  SessionConfig config;
  config.dataset.name = "moons";
  config.model.hidden = {16};
  config.training.steps = 500;
  QVERIFY(test::startRun(window, config));
  ViewsArea* views = window.views();
  UncertaintyView* view = views->uncertaintyView();
  QVERIFY(views->isTabEnabled(ViewsArea::Tab::Uncertainty));
  window.controller()->step(150);
  QTRY_COMPARE_WITH_TIMEOUT(window.controller()->currentStep(), Index(150), kGuiTimeoutMs);
  views->showTab(ViewsArea::Tab::Uncertainty);
  QTRY_VERIFY_WITH_TIMEOUT(view->hasFrame() && view->frame()->step == 150, kGuiTimeoutMs);
  QCOMPARE(view->frame()->testPoints, Index(256));
  QVERIFY(view->reliabilityTitle().contains("ECE"));
  QVERIFY(!view->frame()->auroc.has_value());
  QVERIFY(view->frame()->outOfDistributionEntropy.empty());
  QCOMPARE(view->frame()->inDistributionEntropy.size(), size_t(256));
  QVERIFY2(view->entropyNote().contains("MNIST digits 0-4"), qPrintable(view->entropyNote()));
  // Toy data: no epoch bar in the status bar.
  auto* epoch = window.findChild<QProgressBar*>("epochProgress");
  QVERIFY(epoch && !epoch->isVisible());
}

void UncertaintyViewTest::regressionDisablesTheTab() {
  MainWindow window;
  window.show();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kGuiTimeoutMs);
  QCOMPARE(window.controller()->run()->task(), Task::Regression);
  QVERIFY(!window.views()->isTabEnabled(ViewsArea::Tab::Uncertainty));
  QVERIFY(window.views()->isTabEnabled(ViewsArea::Tab::GradientVariance));
  QVERIFY(!window.views()->panels().contains(window.views()->uncertaintyView()));
}

BAYESLAB_TEST_MAIN(UncertaintyViewTest)
#include "uncertainty_view_test.moc"
