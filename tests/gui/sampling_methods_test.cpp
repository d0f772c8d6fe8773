// Laplace, SGLD and HMC in the GUI: each example session trains from the window
// without errors and reports its own quantities (Laplace's log marginal
// likelihood shown by default, with its latest value; the samplers' kept
// draws); a pinned reference run (HMC) is drawn in the regression view, stays
// through a change of method, stands in for the exact posterior in the
// reference view of a network that has none, and goes when the data change or
// on "Clear reference".
#include <QAction>
#include <QComboBox>
#include <QFileInfo>
#include <QLineSeries>
#include <QMenu>
#include <QScatterSeries>
#include <QTabWidget>
#include <QtTest>
#include <cmath>

#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/main_actions.h"
#include "ui/panels/method_panel.h"
#include "ui/views/elbo_view.h"
#include "ui/views/reference_view.h"
#include "ui/views/regression_predictive_view.h"
#include "ui/views/views_area.h"
#include "ui/views/weight_posterior_view.h"

using namespace bayeslab;
using namespace bayeslab::ui;
using bayeslab::test::kGuiTimeoutMs;

namespace {

// Starts `config` and waits for it.
bool restart(MainWindow& window, const SessionConfig& config) {
  return test::startRun(window, config);
}

// A network too small to be interesting and fast to sample: the "small network" of SPEC.md.
SessionConfig smallNetworkHmc() {
  SessionConfig c;
  c.dataset.name = "blundell";
  c.dataset.nTrain = 64;
  c.dataset.nTest = 64;
  c.model.hidden = {4};
  c.likelihood.noiseStd = 0.1;
  c.method.name = "hmc";
  c.method.options.set("chains", 2.0);
  c.method.options.set("leapfrog_steps", 8.0);
  c.method.options.set("warmup", 40.0);
  c.training.steps = 150;
  return c;
}

}  // namespace

class SamplingMethodsTest : public QObject {
  Q_OBJECT

 private slots:
  void trainsFromTheWindow_data();
  void trainsFromTheWindow();
  void pinnedReferenceOverlaysLaterRuns();
};

void SamplingMethodsTest::trainsFromTheWindow_data() {
  QTest::addColumn<QString>("session");
  QTest::addColumn<int>("steps");
  QTest::addColumn<QString>("firstExtra");
  QTest::newRow("laplace") << ":/sessions/moons_laplace.json" << 250 << "log_marginal_likelihood";
  QTest::newRow("sgld") << ":/sessions/blundell_sgld.json" << 3000 << "step_size";
  QTest::newRow("hmc") << ":/sessions/linear_hmc.json" << 300 << "accept_rate";
}

void SamplingMethodsTest::trainsFromTheWindow() {
  QFETCH(QString, session);
  QFETCH(int, steps);
  QFETCH(QString, firstExtra);
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  // The example is on the File > Examples menu.
  const QString name = QFileInfo(session).completeBaseName();
  bool listed = false;
  for (QAction* action : window.mainActions()->examples->actions())
    listed |= action->text() == name && !action->toolTip().isEmpty();
  QVERIFY2(listed, qPrintable(name));

  QVERIFY(window.openSession(session));
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(
      controller->hasRun() &&
          controller->runningConfig().method.name == controller->run()->method->id &&
          QString::fromStdString(controller->run()->method->id) == QString(QTest::currentDataTag()),
      kGuiTimeoutMs);
  controller->step(steps);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), Index(steps), kGuiTimeoutMs);
  QCOMPARE(controller->status(), TrainerStatus::Running);
  QVERIFY2(window.lastError().isEmpty(), qPrintable(window.lastError()));
  ElboView* elbo = window.views()->elboView();
  QTRY_COMPARE_WITH_TIMEOUT(elbo->rowsSeen(), qint64(steps), kGuiTimeoutMs);
  // The method's own first quantity is what the small chart shows, with its latest value.
  QCOMPARE(elbo->shownExtra(), firstExtra);
  QVERIFY(elbo->extraSeries()->count() > 0);
  QVERIFY2(elbo->extraValueText().startsWith("latest:"), qPrintable(elbo->extraValueText()));
  QVERIFY(elbo->extraNames().contains(firstExtra));
  if (firstExtra == "log_marginal_likelihood")
    QVERIFY(elbo->extraNames().contains("prior_precision"));
  else
    QVERIFY(elbo->extraNames().contains("kept_samples"));
  // The predictive and the weights were drawn from the trained posterior.
  QTRY_VERIFY_WITH_TIMEOUT(window.views()->weightView()->hasSummary(), kGuiTimeoutMs);

  // Play (the training thread's own loop) a little further, then pause.
  controller->play();
  QTRY_VERIFY_WITH_TIMEOUT(controller->currentStep() > steps + 20 || !controller->isPlaying(),
                           kGuiTimeoutMs);
  controller->pause();
  // Every step reached the chart (it keeps a bounded, thinned history of them: a fast
  // sampler passes its 4,096 rows within the play above).
  QTRY_VERIFY_WITH_TIMEOUT(elbo->rowsSeen() == qint64(controller->currentStep()), kGuiTimeoutMs);
  QVERIFY(controller->currentStep() > steps);
  QVERIFY(controller->status() != TrainerStatus::Diverged);
  QVERIFY2(window.lastError().isEmpty(), qPrintable(window.lastError()));
}

void SamplingMethodsTest::pinnedReferenceOverlaysLaterRuns() {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  ViewsArea* views = window.views();
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(controller->hasRun(), kGuiTimeoutMs);
  QVERIFY(!window.mainActions()->clearReference->isEnabled());
  QVERIFY(!window.mainActions()->pinReference->toolTip().isEmpty());

  // A small network: no closed form, so no reference tab yet.
  const SessionConfig hmc = smallNetworkHmc();
  QVERIFY(restart(window, hmc));
  QVERIFY(!views->isTabEnabled(ViewsArea::Tab::Reference));
  controller->step(hmc.training.steps);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), hmc.training.steps, kGuiTimeoutMs);

  QSignalSpy pinned(views, &ViewsArea::pinnedChanged);
  window.mainActions()->pinReference->trigger();
  QTRY_VERIFY_WITH_TIMEOUT(views->pinnedReference() != nullptr, kGuiTimeoutMs);
  QCOMPARE(pinned.count(), 1);
  const PinnedReferencePtr reference = views->pinnedReference();
  QCOMPARE(reference->label, QString("HMC reference"));
  QCOMPARE(reference->step, hmc.training.steps);
  QVERIFY(!reference->samples.empty());
  QVERIFY(window.mainActions()->clearReference->isEnabled());
  RegressionPredictiveView* regression = views->regressionView();
  QVERIFY(regression->hasReference());
  QCOMPARE(regression->referenceMeanSeries()->count(),
           static_cast<int>(reference->grid->points.cols()));
  QCOMPARE(regression->referenceMeanSeries()->points()[7].y(),
           static_cast<double>(reference->regression->mean(7)));
  bool exported = false;
  for (const CsvTable& table : regression->csvTables())
    exported |= table.suffix == "reference" && table.text.startsWith("x0,mean,std_epistemic");
  QVERIFY(exported);
  // The same network: the reference view now compares with the pinned run.
  QVERIFY(views->isTabEnabled(ViewsArea::Tab::Reference));
  QCOMPARE(views->tabs()->tabText(static_cast<int>(ViewsArea::Tab::Reference)),
           QString("Reference"));

  // A change of method keeps it: Bayes by Backprop on the same data.
  SessionConfig bbb = hmc;
  bbb.method.name = "bbb";
  bbb.method.options = {};
  bbb.training.steps = 300;
  QVERIFY(restart(window, bbb));
  QCOMPARE(controller->run()->method->id, std::string("bbb"));
  QVERIFY(regression->hasReference());
  QCOMPARE(views->pinnedReference(), reference);
  QCOMPARE(regression->referenceMeanSeries()->count(),
           static_cast<int>(reference->grid->points.cols()));
  controller->step(300);
  QTRY_COMPARE_WITH_TIMEOUT(controller->currentStep(), Index(300), kGuiTimeoutMs);
  QVERIFY(views->isTabEnabled(ViewsArea::Tab::Reference));
  QVERIFY(views->showTabNamed("Reference"));
  ReferenceView* view = views->referenceView();
  QTRY_VERIFY_WITH_TIMEOUT(view->hasFrame() && view->frame()->step == 300, kGuiTimeoutMs);
  const ReferenceFrame& f = *view->frame();
  QVERIFY(!std::isfinite(f.logEvidence));  // no closed form
  QVERIFY(f.pinned.present && !f.pinned.draws.empty());
  QVERIFY(view->pairChart().pinnedDraws()->count() > 0);
  QVERIFY(f.vsPinned.has_value());
  QVERIFY(view->readoutText().contains("HMC reference"));
  test::saveScreenshot(window, "pinned_reference_window");

  // Other data (another data seed): the reference no longer applies.
  SessionConfig other = bbb;
  other.dataset.seed = hmc.dataset.seed + 1;
  QVERIFY(restart(window, other));
  QVERIFY(views->pinnedReference() == nullptr);
  QVERIFY(!regression->hasReference());
  QCOMPARE(regression->referenceMeanSeries()->count(), 0);
  QVERIFY(!views->isTabEnabled(ViewsArea::Tab::Reference));
  QVERIFY(!window.mainActions()->clearReference->isEnabled());

  // Pin again, then clear it by the action.
  window.mainActions()->pinReference->trigger();
  QTRY_VERIFY_WITH_TIMEOUT(regression->hasReference(), kGuiTimeoutMs);
  QCOMPARE(views->pinnedReference()->label, QString("BBB reference"));
  window.mainActions()->clearReference->trigger();
  QVERIFY(!regression->hasReference());
  QVERIFY(views->pinnedReference() == nullptr);
}

BAYESLAB_TEST_MAIN(SamplingMethodsTest)
#include "sampling_methods_test.moc"
