// The "Exact reference" view end to end: it is offered for Bayesian linear
// regression (linear_bbb) and not for a network (blundell); the exact posterior
// it draws is the engine's (each marginal's sd is sqrt(Sigma_ii), the 1-sigma
// ellipse lies at Mahalanobis distance 1); after training Bayes by Backprop the
// readout shows log p(D) - ELBO >= 0 up to Monte Carlo noise, agreeing with the
// closed-form KL(q || p(w | D)), and the mean-field sds below the exact ones;
// nothing is computed while the tab is hidden.
#include <QApplication>
#include <QChartView>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTabWidget>
#include <QtTest>
#include <cmath>
#include <numbers>

#include "engine/diagnostics/bayesian_linear_regression.h"
#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/views/reference_view.h"
#include "ui/views/views_area.h"

using namespace bayeslab;
using namespace bayeslab::ui;
using bayeslab::test::kGuiTimeoutMs;

namespace {

// The exact posterior of the window's run, computed here from its data.
LinearRegressionPosterior exactOf(const TrainingController& controller) {
  const RunInfo& run = *controller.run();
  return exactLinearRegression(run.data->train, run.config.likelihood.noiseStd,
                               run.config.prior.options.number("scale"));
}

double peak(const QLineSeries* series) {
  double top = 0.0;
  for (const QPointF& p : series->points()) top = std::max(top, p.y());
  return top;
}

}  // namespace

class ReferenceViewTest : public QObject {
  Q_OBJECT

 private slots:
  void offeredForLinearRegressionOnly();
  void drawsTheEnginesExactPosterior();
  void gapBetweenElboAndEvidenceAfterTraining();
};

void ReferenceViewTest::offeredForLinearRegressionOnly() {
  MainWindow window;
  window.show();
  ViewsArea* views = window.views();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kGuiTimeoutMs);
  QCOMPARE(window.controller()->runningConfig().dataset.name, std::string("blundell"));
  QVERIFY(!views->isTabEnabled(ViewsArea::Tab::Reference));
  QVERIFY(!views->showTabNamed("Exact reference"));
  QVERIFY(!views->panels().contains(views->referenceView()));

  const quint64 before = window.controller()->runId();
  QVERIFY(window.openSession(":/sessions/linear_bbb.json"));
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->runId() != before, kGuiTimeoutMs);
  QVERIFY(window.controller()->run()->exact);
  QVERIFY(views->isTabEnabled(ViewsArea::Tab::Reference));
  QCOMPARE(views->tabs()->tabText(static_cast<int>(ViewsArea::Tab::Reference)),
           QString("Exact reference"));
  QVERIFY(views->showTabNamed("exact reference"));
  QTRY_VERIFY_WITH_TIMEOUT(views->referenceView()->hasFrame(), kGuiTimeoutMs);
  QVERIFY(views->panels().contains(views->referenceView()));
  // Hard to miss: every control carries a tooltip.
  const QList<QComboBox*> controls = views->referenceView()->findChildren<QComboBox*>();
  QCOMPARE(controls.size(), 2);
  for (QComboBox* box : controls)
    QVERIFY2(!box->toolTip().isEmpty(), qPrintable(box->objectName()));
  for (QChartView* chart : views->referenceView()->findChildren<QChartView*>())
    QVERIFY(!chart->toolTip().isEmpty());
}

void ReferenceViewTest::drawsTheEnginesExactPosterior() {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  QVERIFY(window.openSession(":/sessions/linear_bbb.json"));
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(controller->hasRun() && controller->run()->exact, kGuiTimeoutMs);
  ViewsArea* views = window.views();
  ReferenceView* view = views->referenceView();

  // Hidden: nothing computed however far training goes.
  controller->step(200);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), Index(200), kGuiTimeoutMs);
  QTest::qWait(200);
  QVERIFY(!view->hasFrame());

  views->showTab(ViewsArea::Tab::Reference);
  QTRY_VERIFY_WITH_TIMEOUT(view->hasFrame() && view->frame()->step == 200, kGuiTimeoutMs);
  const LinearRegressionPosterior exact = exactOf(*controller);
  QCOMPARE(exact.mean.size(), Eigen::Index(2));  // w and b
  const ReferenceFrame& f = *view->frame();
  QCOMPARE(f.a, Index(0));
  QCOMPARE(f.b, Index(1));
  QVERIFY(std::abs(f.logEvidence - exact.logEvidence) < 1e-9 * std::abs(exact.logEvidence));
  for (int k = 0; k < 2; ++k) {
    const double sd = std::sqrt(exact.covariance(k, k));
    const double drawnSd = k == 0 ? f.exact.sdA : f.exact.sdB;
    const double drawnMean = k == 0 ? f.exact.meanA : f.exact.meanB;
    QVERIFY(std::abs(drawnSd - sd) < 1e-9 * sd);
    QVERIFY(std::abs(drawnMean - exact.mean(k)) < 1e-9);
    // The curve on screen is that Gaussian: its peak is 1 / (sqrt(2 pi) sd) ...
    const QLineSeries* curve = view->marginalChart(k).exactSeries();
    QVERIFY(curve->count() >= 100);
    const double height = 1.0 / (std::sqrt(2.0 * std::numbers::pi) * sd);
    QVERIFY2(std::abs(peak(curve) / height - 1.0) < 1e-3,
             qPrintable(QString("peak %1, expected %2").arg(peak(curve)).arg(height)));
    // ... and it sits at the exact mean.
    for (const QPointF& p : curve->points())
      if (p.y() == peak(curve)) QVERIFY(std::abs(p.x() - exact.mean(k)) < 0.05 * sd);
  }
  // The exact 1-sigma ellipse: every point at Mahalanobis distance 1.
  const Eigen::Matrix2d inverse = exact.covariance.topLeftCorner(2, 2).inverse();
  const QLineSeries* ellipse = view->pairChart().exactEllipse(1);
  QVERIFY(ellipse->count() > 50);
  for (const QPointF& p : ellipse->points()) {
    const Eigen::Vector2d d(p.x() - exact.mean(0), p.y() - exact.mean(1));
    QVERIFY(std::abs(d.dot(inverse * d) - 1.0) < 1e-6);
  }
  // The method's draws: none (a Gaussian q), its density and ellipse are drawn instead.
  QVERIFY(view->marginalChart(0).methodSeries()->count() > 0);
  QVERIFY(view->pairChart().methodEllipse(2)->count() > 0);
  QCOMPARE(view->pairChart().methodDraws()->count(), 0);
  // The predictive: the exact band is the engine's predict() on the same inputs.
  QVERIFY(!f.x.empty());
  Eigen::VectorXd mean, variance;
  exact.predict(Eigen::MatrixXd::Constant(1, 1, f.x[10]), mean, variance);
  QVERIFY(std::abs(f.exactBand.mean[10] - mean(0)) < 1e-9);
  QVERIFY(std::abs(f.exactBand.sdEpistemic[10] - std::sqrt(variance(0))) < 1e-9);
  QVERIFY(view->bandChart().exactUpper()->count() == static_cast<int>(f.x.size()));

  // Another pair: the view asks again and draws it.
  view->setPair(1, 0);
  QTRY_VERIFY_WITH_TIMEOUT(view->frame()->a == 1 && view->frame()->b == 0, kGuiTimeoutMs);
  QVERIFY(std::abs(view->frame()->exact.sdA - std::sqrt(exact.covariance(1, 1))) < 1e-9);
  QVERIFY(!view->csvTables().empty());
}

void ReferenceViewTest::gapBetweenElboAndEvidenceAfterTraining() {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  QVERIFY(window.openSession(":/sessions/linear_bbb.json"));
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(controller->hasRun() && controller->run()->exact, kGuiTimeoutMs);
  ViewsArea* views = window.views();
  ReferenceView* view = views->referenceView();
  views->showTab(ViewsArea::Tab::Reference);
  const Index steps = controller->totalSteps();
  controller->step(steps);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), steps, kGuiTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(view->hasFrame() && view->frame()->step == steps, kGuiTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(view->readoutText().contains("Gap"), kGuiTimeoutMs);

  const ReferenceFrame& f = *view->frame();
  const double gap = view->evidenceGap(), se = view->elboStandardError();
  qInfo(
      "log p(D) %.4f, ELBO %.4f +- %.4f, gap %.4f, closed-form KL %.4f, sd ratio %.3f..%.3f, "
      "frame computed in %.1f ms",
      f.logEvidence, view->elboMean(), se, gap, f.closedFormKl, f.vsExact->minStdRatio,
      f.vsExact->maxStdRatio, f.milliseconds);
  QVERIFY(std::isfinite(gap) && se > 0.0 && se < 0.5);
  // The ELBO is a lower bound on log p(D): the gap is >= 0 up to Monte Carlo noise ...
  QVERIFY2(gap > -3.0 * se, qPrintable(QString("gap %1, se %2").arg(gap).arg(se)));
  // ... and it is KL(q || exact), which for the trained mean-field q is also known in closed form.
  QVERIFY(f.closedFormKl > 0.0);
  QVERIFY2(std::abs(gap - f.closedFormKl) < 4.0 * se + 0.05,
           qPrintable(QString("gap %1, KL %2").arg(gap).arg(f.closedFormKl)));
  // Mean-field BBB on correlated weights: right means, too small sds (MacKay 2003, ch. 33).
  QVERIFY(f.vsExact && f.vsExact->maxMeanError < 0.5);
  QVERIFY(f.vsExact->maxStdRatio < 0.9);
  // The readout says so, with the numbers.
  const QString text = view->readoutText();
  QVERIFY2(text.contains(QString::number(gap, 'f', 2).replace('-', QChar(0x2212))),
           qPrintable(text));
  QVERIFY(text.contains("KL(q"));
  QVERIFY(text.contains("log p(D)"));
  QVERIFY(text.contains("over-confident"));
  test::saveScreenshot(window, "reference_window");

  // What a frame costs the UI thread (its numbers come from the background).
  const ReferenceFramePtr frame = view->frame();
  const double ms = test::uiMillisecondsPerFrame(*view, frame);
  qInfo("reference view: %.2f ms per frame on the UI thread (%.2f ms in the background)", ms,
        frame->milliseconds);
  QVERIFY2(ms < 100.0, qPrintable(QString::number(ms)));
}

BAYESLAB_TEST_MAIN(ReferenceViewTest)
#include "reference_view_test.moc"
