// The "Chains" view end to end: for HMC on linear regression it shows one trace
// per chain, growing while training, with the warm-up marked, and split R-hat,
// ESS and the kept-draw count in its header, equal to the engine's diagnostics
// of the same draws; another parameter is one click away; for a method
// without chains (Bayes by Backprop) the tab is disabled; nothing is computed
// while hidden.
#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineSeries>
#include <QTabWidget>
#include <QtTest>
#include <cmath>

#include "engine/diagnostics/mcmc_diagnostics.h"
#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/views/chains_view.h"
#include "ui/views/views_area.h"

using namespace bayeslab;
using namespace bayeslab::ui;
using bayeslab::test::kGuiTimeoutMs;

class ChainsViewTest : public QObject {
  Q_OBJECT

 private slots:
  void showsEveryChainOfHmcGrowingWhileTraining();
  void disabledForMethodsWithoutChains();
};

void ChainsViewTest::showsEveryChainOfHmcGrowingWhileTraining() {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  QVERIFY(window.openSession(":/sessions/linear_hmc.json"));
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(controller->hasRun() && controller->run()->method->id == "hmc",
                           kGuiTimeoutMs);
  ViewsArea* views = window.views();
  ChainsView* view = views->chainsView();
  QVERIFY(views->isTabEnabled(ViewsArea::Tab::Chains));
  const int chains = controller->runningConfig().method.options.integer("chains");
  const Index warmup = controller->runningConfig().method.options.integer("warmup");
  QCOMPARE(chains, 4);

  // Hidden: nothing computed.
  controller->step(warmup / 2);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), warmup / 2, kGuiTimeoutMs);
  QTest::qWait(200);
  QVERIFY(!view->hasFrame());

  // Shown during warm-up: the chains' current states, nothing kept yet.
  views->showTab(ViewsArea::Tab::Chains);
  QTRY_VERIFY_WITH_TIMEOUT(view->hasFrame() && view->frame()->step == warmup / 2, kGuiTimeoutMs);
  QCOMPARE(view->warmupEnd(), Index(-1));
  QVERIFY2(view->headerText().contains("warming up"), qPrintable(view->headerText()));
  QCOMPARE(view->frame()->trace.values.size(), size_t(chains));
  test::saveScreenshot(window, "chains_warmup_window");

  controller->step(warmup + 50 - warmup / 2);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), warmup + 50, kGuiTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(view->frame()->step == warmup + 50, kGuiTimeoutMs);
  QCOMPARE(view->chainLineCount(), chains);
  QCOMPARE(view->frame()->trace.values.size(), size_t(chains));
  const Index firstDraws = view->frame()->draws;
  QCOMPARE(firstDraws, Index(50 * chains));  // thinning 1: one draw per chain per step
  QCOMPARE(view->chainSeries(0)->count(), 50);
  // The warm-up is marked: draws are kept from the first step after it.
  QCOMPARE(view->warmupEnd(), warmup + 1);
  QCOMPARE(view->chainSeries(0)->points().front().x(), static_cast<double>(warmup + 1));

  // The diagnostics are the engine's for these draws.
  const SampleTrace trace = controller->latestPosterior()->trace(view->parameter());
  QVERIFY(std::abs(view->frame()->rhat - splitRhat(trace.values)) < 1e-12);
  QVERIFY(std::abs(view->frame()->ess - effectiveSampleSize(trace.values)) < 1e-9);
  QVERIFY(!view->frame()->autocorrelation.empty());
  QCOMPARE(view->frame()->autocorrelation.front(), 1.0);
  QVERIFY(!view->frame()->runningRhat.empty());

  // Training on: the traces grow.
  controller->step(100);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), warmup + 150, kGuiTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(view->frame()->step == warmup + 150, kGuiTimeoutMs);
  QCOMPARE(view->frame()->draws, Index(150 * chains));
  QCOMPARE(view->chainSeries(chains - 1)->count(), 150);
  const QString header = view->headerText();
  QVERIFY2(header.contains(QString("<b>%1</b> kept draws").arg(150 * chains)), qPrintable(header));
  QVERIFY2(header.contains(QString("R\u0302 <b>%1</b>").arg(view->frame()->rhat, 0, 'g', 4)),
           qPrintable(header));
  QVERIFY2(header.contains("ESS <b>"), qPrintable(header));
  QVERIFY2(header.contains("accept rate") && header.contains("step size"), qPrintable(header));
  QVERIFY(view->traceTitle().contains(QString("%1 chains").arg(chains)));
  // On a 2-parameter Gaussian posterior, HMC's chains agree.
  QVERIFY2(view->frame()->rhat < 1.05, qPrintable(QString::number(view->frame()->rhat)));

  // Another parameter (the bias).
  view->setParameter(1);
  QTRY_VERIFY_WITH_TIMEOUT(view->frame()->parameter == 1, kGuiTimeoutMs);
  QCOMPARE(view->chainLineCount(), chains);
  QCOMPARE(view->csvTables().size(), size_t(3));
  QVERIFY(views->panels().contains(view));
  test::saveScreenshot(window, "chains_window");

  // What a frame costs the UI thread (the diagnostics come from the background).
  const ChainFramePtr frame = view->frame();
  const double ms = test::uiMillisecondsPerFrame(*view, frame);
  qInfo("chains view, %lld draws: %.2f ms per frame on the UI thread (%.2f ms in the background)",
        static_cast<long long>(frame->draws), ms, frame->milliseconds);
  QVERIFY2(ms < 100.0, qPrintable(QString::number(ms)));
}

void ChainsViewTest::disabledForMethodsWithoutChains() {
  MainWindow window;
  window.show();
  QVERIFY(window.openSession(":/sessions/linear_bbb.json"));
  QTRY_VERIFY_WITH_TIMEOUT(
      window.controller()->hasRun() && window.controller()->run()->method->id == "bbb",
      kGuiTimeoutMs);
  ViewsArea* views = window.views();
  QVERIFY(!views->isTabEnabled(ViewsArea::Tab::Chains));
  QVERIFY(!views->showTabNamed("Chains"));
  QVERIFY(!views->panels().contains(views->chainsView()));
  QVERIFY(views->tabs()->tabToolTip(static_cast<int>(ViewsArea::Tab::Chains)).contains("sampling"));
}

BAYESLAB_TEST_MAIN(ChainsViewTest)
#include "chains_view_test.moc"
