// The variational family in the GUI: every method's explanation and formula
// render (no raw HTML entities), the prior panel says whether the KL is closed
// form or Monte Carlo, the training panel states the per-minibatch KL scaling
// and the warm-up, empirical Bayes' learned prior scale is plotted live from
// the metrics' extras, and sequential learning runs end to end with its part
// boundaries marked.
#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QSpinBox>
#include <QTextDocument>
#include <QtTest>
#include <cmath>

#include "engine/methods/method_registry.h"
#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/panels/formula_panel.h"
#include "ui/panels/method_panel.h"
#include "ui/panels/option_form.h"
#include "ui/panels/prior_panel.h"
#include "ui/panels/sequential_panel.h"
#include "ui/panels/training_panel.h"
#include "ui/views/elbo_view.h"
#include "ui/views/views_area.h"

using namespace bayeslab;
using namespace bayeslab::ui;
using bayeslab::test::kGuiTimeoutMs;

namespace {

QString plainText(const QString& html) {
  QTextDocument document;
  document.setHtml(html);
  return document.toPlainText();
}

}  // namespace

class VariationalFamilyTest : public QObject {
  Q_OBJECT

 private slots:
  void everyMethodShowsItsFormula_data();
  void everyMethodShowsItsFormula();
  void priorPanelSaysHowTheKlIsComputed_data();
  void priorPanelSaysHowTheKlIsComputed();
  void trainingPanelStatesTheKlScaling();
  void empiricalBayesScaleIsPlottedLive();
  void sequentialLearningRunsEndToEnd();
};

void VariationalFamilyTest::everyMethodShowsItsFormula_data() {
  QTest::addColumn<QString>("method");
  for (const MethodDescriptor& m : methodRegistry())
    QTest::newRow(m.id.c_str()) << QString::fromStdString(m.id);
}

void VariationalFamilyTest::everyMethodShowsItsFormula() {
  QFETCH(QString, method);
  ControlPanel controls;
  controls.resize(380, 900);
  controls.show();
  QComboBox* box = controls.methodPanel()->methodBox();
  box->setCurrentIndex(box->findData(method));
  const MethodDescriptor* d = controls.methodPanel()->method();
  QVERIFY(d && d->id == method.toStdString());
  FormulaPanel* formula = controls.methodPanel()->formulaPanel();
  const QString text = plainText(formula->text());
  QVERIFY(text.contains(QString::fromStdString(d->displayName)));
  QVERIFY(!d->objective.empty() && !d->explanation.empty() && !d->reference.empty());
  QVERIFY(text.contains(plainText(QString::fromStdString(d->objective)).left(20)));
  // Every entity is one Qt knows: none is left as "&name;" in what the reader sees.
  static const QRegularExpression entity("&[a-zA-Z#0-9]+;");
  QVERIFY2(!entity.match(text).hasMatch(), qPrintable(entity.match(text).captured()));
  // The method's box tooltip and a readable panel.
  QVERIFY(!box->itemData(box->currentIndex(), Qt::ToolTipRole).toString().isEmpty());
  QVERIFY(formula->heightForWidth(340) > 120);
}

void VariationalFamilyTest::priorPanelSaysHowTheKlIsComputed_data() {
  QTest::addColumn<QString>("method");
  QTest::addColumn<QString>("prior");
  QTest::addColumn<QString>("says");
  QTest::newRow("bbb gaussian") << "bbb"
                                << "gaussian"
                                << "closed form";
  QTest::newRow("bbb laplace") << "bbb"
                               << "laplace"
                               << "closed form";
  QTest::newRow("bbb empirical bayes") << "bbb"
                                       << "empirical_bayes"
                                       << "closed form";
  QTest::newRow("bbb scale mixture") << "bbb"
                                     << "scale_mixture"
                                     << "Monte Carlo";
  QTest::newRow("bbb student-t") << "bbb"
                                 << "student_t"
                                 << "Monte Carlo";
  QTest::newRow("flipout student-t") << "bbb_flipout"
                                     << "student_t"
                                     << "Monte Carlo";
  QTest::newRow("map gaussian") << "map"
                                << "gaussian"
                                << "-log p(w)";
}

void VariationalFamilyTest::priorPanelSaysHowTheKlIsComputed() {
  QFETCH(QString, method);
  QFETCH(QString, prior);
  QFETCH(QString, says);
  ControlPanel controls;
  QComboBox* methods = controls.methodPanel()->methodBox();
  methods->setCurrentIndex(methods->findData(method));
  auto* priors = controls.priorPanel()->findChild<QComboBox*>("priorBox");
  QVERIFY(priors);
  priors->setCurrentIndex(priors->findData(prior));
  const QString text = plainText(controls.priorPanel()->klText());
  QVERIFY2(text.contains(says), qPrintable(text));
}

void VariationalFamilyTest::trainingPanelStatesTheKlScaling() {
  ControlPanel controls;
  SessionConfig config;
  config.training.batchSize = 32;
  config.training.klWarmupSteps = 250;
  controls.setSession(config);
  controls.setTrainingDataSize(256);
  auto* note = controls.trainingPanel()->findChild<QLabel*>("klScalingNote");
  QVERIFY(note);
  QString text = plainText(note->text());
  QVERIFY2(text.contains("N/B") && text.contains("whole KL") && text.contains("N = 256, B = 32") &&
               text.contains("scaled by 8"),
           qPrintable(text));
  QVERIFY2(text.contains("Warm-up") && text.contains("250 steps"), qPrintable(text));
  // No warm-up: no sentence about it.
  auto* warmup =
      qobject_cast<QSpinBox*>(controls.trainingPanel()->form()->editor("kl_warmup_steps"));
  QVERIFY(warmup);
  warmup->setValue(0);
  QVERIFY(!plainText(note->text()).contains("Warm-up"));
  // A point method has a prior term, not a KL.
  QComboBox* methods = controls.methodPanel()->methodBox();
  methods->setCurrentIndex(methods->findData("map"));
  text = plainText(note->text());
  QVERIFY2(!text.contains("KL(q") && text.contains("prior term"), qPrintable(text));
}

void VariationalFamilyTest::empiricalBayesScaleIsPlottedLive() {
  SessionConfig config;
  config.dataset.name = "blundell";
  config.model.hidden = {16};
  config.prior.name = "empirical_bayes";
  config.training.steps = 400;
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  QVERIFY(test::startRun(window, config));
  window.controller()->step(60);
  QTRY_COMPARE_WITH_TIMEOUT(window.controller()->currentStep(), Index(60), kGuiTimeoutMs);
  ElboView* elbo = window.views()->elboView();
  QTRY_COMPARE_WITH_TIMEOUT(elbo->rowCount(), qsizetype(60), kGuiTimeoutMs);

  // The prior names its learned hyperparameter; the view shows it by that name.
  const std::string name = makePrior(config.prior)->hyperparameterName(0);
  QVERIFY(!name.empty());
  QVERIFY(elbo->extraNames().contains(QString::fromStdString(name)));
  QCOMPARE(elbo->shownExtra(), QString::fromStdString(name));
  QCOMPARE(elbo->extraSeries()->count(), 60);
  // The same numbers as the engine's own run of the session (seeded: identical).
  Trainer reference(window.controller()->run()->config);
  reference.run(60);
  for (int i : {0, 29, 59}) {
    const MetricsRow& row = reference.history()[static_cast<size_t>(i)];
    QCOMPARE(QString(row.extras[0].first), QString::fromStdString(name));
    QCOMPARE(elbo->extraSeries()->at(i).y(), row.extras[0].second);
  }
  // Learned: it moved away from where it started.
  QVERIFY(elbo->extraSeries()->at(59).y() != elbo->extraSeries()->at(0).y());
  test::saveScreenshot(window, "empirical_bayes_window");
}

void VariationalFamilyTest::sequentialLearningRunsEndToEnd() {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  TrainingController* controller = window.controller();
  QTRY_VERIFY_WITH_TIMEOUT(controller->hasRun(), kGuiTimeoutMs);
  const quint64 first = controller->runId();
  auto* steps =
      qobject_cast<QSpinBox*>(window.controls()->trainingPanel()->form()->editor("steps"));
  QVERIFY(steps);
  steps->setValue(150);
  // The user's way in: the sequential panel's "parts" knob (nothing trained: applies at once).
  auto* parts =
      qobject_cast<QSpinBox*>(window.controls()->sequentialPanel()->form()->editor("parts"));
  QVERIFY(parts);
  parts->setValue(3);
  QTRY_VERIFY_WITH_TIMEOUT(
      controller->runId() != first && controller->run()->config.sequential.parts == 3,
      kGuiTimeoutMs);
  QCOMPARE(controller->partCount(), Index(3));
  ElboView* elbo = window.views()->elboView();
  QCOMPARE(elbo->partBoundaryCount(), 2);

  controller->play();
  QTRY_COMPARE_WITH_TIMEOUT(controller->status(), TrainerStatus::Finished, kGuiTimeoutMs);
  QCOMPARE(controller->currentStep(), Index(150));
  QCOMPARE(controller->currentPart(), Index(2));
  auto* stepLabel = window.findChild<QLabel*>("stepLabel");
  QVERIFY(stepLabel && stepLabel->text().contains("data part 3 / 3"));
  // The trainer reports the part in use at every step; the view can plot it.
  QTRY_COMPARE_WITH_TIMEOUT(elbo->rowCount(), qsizetype(150), kGuiTimeoutMs);
  QVERIFY(elbo->extraNames().contains("data_part"));
  elbo->showExtra("data_part");
  QCOMPARE(elbo->extraSeries()->at(0).y(), 1.0);
  QCOMPARE(elbo->extraSeries()->at(149).y(), 3.0);
}

BAYESLAB_TEST_MAIN(VariationalFamilyTest)
#include "variational_family_test.moc"
