// Semi-implicit VI in the window: the training chart draws the two K-sample
// bounds in place of the ELBO, with the exact log evidence of the Bayesian
// linear regression session as a level; the bounds sandwich the ELBO and sit
// below the evidence as they should; K is a live knob (no reset, the next
// steps use it); and the exact-reference readout explains the gap with the
// bounds.
#include <QAbstractSpinBox>
#include <QLineSeries>
#include <QSpinBox>
#include <QtTest>
#include <cmath>

#include "tests/gui/gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/panels/method_panel.h"
#include "ui/panels/option_form.h"
#include "ui/views/elbo_view.h"
#include "ui/views/reference_view.h"
#include "ui/views/views_area.h"

using namespace bayeslab;
using namespace bayeslab::ui;
using namespace bayeslab::test;

namespace {

// Bayesian linear regression (linear data, no hidden layer, fixed noise): the
// exact log evidence exists.
SessionConfig siviSession(Index steps) {
  SessionConfig c;
  c.dataset.name = "linear";
  c.dataset.nTrain = 64;
  c.dataset.nTest = 64;
  c.dataset.noise = 0.3;
  c.model.hidden = {};
  c.likelihood.noiseStd = 0.3;
  c.method.name = "sivi";
  c.method.options.set("mixing_draws", 20.0);
  c.method.options.set("init_sigma", 0.05);
  c.training.steps = steps;
  c.training.batchSize = 64;
  c.training.mcSamples = 4;
  c.training.evalEvery = 50;
  c.training.evalSamples = 8;
  return c;
}

// Mean of the y values of a series over its points with x above `from`.
double meanAfter(const QLineSeries* s, double from) {
  double sum = 0.0;
  int n = 0;
  for (const QPointF& p : s->points())
    if (p.x() > from) {
      sum += p.y();
      ++n;
    }
  return n > 0 ? sum / n : std::nan("");
}

}  // namespace

class SiviSandwichTest : public QObject {
  Q_OBJECT

 private slots:
  void boundsAndEvidenceAreDrawn();
  void mixingDrawsChangeLive();
};

void SiviSandwichTest::boundsAndEvidenceAreDrawn() {
  MainWindow window;
  window.resize(1366, 768);
  window.show();
  QVERIFY(startRun(window, siviSession(1500)));
  ElboView* elbo = window.views()->elboView();
  QVERIFY2(std::isfinite(elbo->logEvidence()), "the exact log evidence is shown");
  window.controller()->play();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->status() == TrainerStatus::Finished, kGuiTimeoutMs);
  QTRY_COMPARE_WITH_TIMEOUT(elbo->rowCount(), qsizetype(1500), kGuiTimeoutMs);
  QVERIFY(elbo->showsBounds());
  QVERIFY(elbo->lowerBoundSeries()->isVisible() && elbo->upperBoundSeries()->isVisible());
  QVERIFY(!elbo->elboSeries()->isVisible());
  // The bounds are curves, not extras of the small chart.
  QVERIFY(!elbo->extraNames().contains("elbo_lower"));
  QVERIFY(!elbo->extraNames().contains("elbo_upper"));
  QVERIFY(elbo->extraNames().contains("mixing_draws"));
  QVERIFY(elbo->lowerBoundSeries()->count() > 100);
  // Over the second half: L_K <= L^K, and L_K (a lower bound on the ELBO) below log p(D).
  // Each point is the mean of several steps' minibatch estimates; the margins are
  // many times the noise of those means on this data (a few hundredths of a nat).
  const double lower = meanAfter(elbo->lowerBoundSeries(), 750.0);
  const double upper = meanAfter(elbo->upperBoundSeries(), 750.0);
  QVERIFY2(lower < upper, qPrintable(QString("L_K %1, L^K %2").arg(lower).arg(upper)));
  QVERIFY2(lower < elbo->logEvidence() + 0.05,
           qPrintable(QString("L_K %1, log p(D) %2").arg(lower).arg(elbo->logEvidence())));
  // Trained to near the exact posterior: within a nat of the evidence.
  QVERIFY2(lower > elbo->logEvidence() - 1.0,
           qPrintable(QString("L_K %1, log p(D) %2").arg(lower).arg(elbo->logEvidence())));

  // The reference readout reads the gap with the bounds.
  window.views()->showTab(ViewsArea::Tab::Reference);
  ReferenceView* reference = window.views()->referenceView();
  QTRY_VERIFY_WITH_TIMEOUT(reference->readoutText().contains("Upper bound"), kGuiTimeoutMs);
  QVERIFY(reference->readoutText().contains("how loose"));
  saveScreenshot(window, "sivi_sandwich");
}

void SiviSandwichTest::mixingDrawsChangeLive() {
  MainWindow window;
  window.resize(1366, 768);
  window.show();
  QVERIFY(startRun(window, siviSession(100000)));
  const quint64 run = window.controller()->runId();
  window.controller()->play();
  ElboView* elbo = window.views()->elboView();
  QTRY_VERIFY_WITH_TIMEOUT(elbo->rowCount() > 50, kGuiTimeoutMs);
  QTRY_COMPARE_WITH_TIMEOUT(elbo->extraValueText().isEmpty(), false, kGuiTimeoutMs);
  elbo->showExtra("mixing_draws");
  QVERIFY(elbo->extraValueText().contains("20"));
  // The knob in the method panel: K = 20 -> 3 while training.
  auto* spin = window.controls()->methodPanel()->findChild<QSpinBox*>("mixing_draws");
  QVERIFY(spin);
  spin->setValue(3);
  QTRY_VERIFY_WITH_TIMEOUT(elbo->extraValueText().startsWith("latest: 3 "), kGuiTimeoutMs);
  QCOMPARE(window.controller()->runId(), run);  // no reset
  QVERIFY(!window.controller()->hasPendingChanges());
  QCOMPARE(window.controller()->runningConfig().method.options.number("mixing_draws"), 3.0);
  window.controller()->pause();
}

BAYESLAB_TEST_MAIN(SiviSandwichTest)
#include "sivi_sandwich_test.moc"
