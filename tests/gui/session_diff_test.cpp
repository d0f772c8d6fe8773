// Which edits are live (sent to the running trainer) and which need a reset.
#include <QtTest>

#include "tests/support/test_main.h"
#include "ui/training/session_diff.h"

using namespace bayeslab;
using namespace bayeslab::ui;

class SessionDiffTest : public QObject {
  Q_OBJECT

 private slots:
  void identicalSessionsDiffer_not();
  void learningRateAndKlWeightAreLive();
  void liveKnobsOfThePriorAreLive();
  void liveMethodOptionsAreLive();
  void structuralEdits_data();
  void structuralEdits();
  void defaultsCountAsUnchanged();
};

void SessionDiffTest::identicalSessionsDiffer_not() {
  const SessionConfig a;
  QVERIFY(diffSessions(a, a).empty());
}

void SessionDiffTest::learningRateAndKlWeightAreLive() {
  const SessionConfig a;
  SessionConfig b = a;
  b.training.learningRate = 0.002;
  b.training.klWeight = 0.5;
  const SessionDiff d = diffSessions(a, b);
  QVERIFY(!d.structural);
  QCOMPARE(*d.learningRate, 0.002);
  QCOMPARE(*d.klWeight, 0.5);
  QVERIFY(!d.prior);
}

// SIVI's number of mixing draws is marked live; its mixing network's width is not.
void SessionDiffTest::liveMethodOptionsAreLive() {
  SessionConfig a;
  a.method.name = "sivi";
  const MethodDescriptor* sivi = findMethod("sivi");
  QVERIFY(sivi);
  const OptionSpec* draws = findSpec(sivi->options, "mixing_draws");
  QVERIFY(draws && draws->live);
  SessionConfig b = a;
  b.method.options.set("mixing_draws", 7.0);
  SessionDiff d = diffSessions(a, b);
  QVERIFY(!d.structural);
  QVERIFY(d.methodOptions);
  QCOMPARE(d.methodOptions->number("mixing_draws"), 7.0);
  // Every other option completed with its default, so the trainer gets a whole set.
  QCOMPARE(d.methodOptions->number("mixing_hidden"),
           findSpec(sivi->options, "mixing_hidden")->defaultNumber);
  QVERIFY(d.hasLive());
  // A live change beside a structural one: the whole edit waits for the reset.
  b.method.options.set("mixing_hidden", 3.0);
  d = diffSessions(a, b);
  QVERIFY(d.structural);
  QVERIFY(!d.methodOptions);
  // Setting the live option to its default counts as no change.
  SessionConfig c = a;
  c.method.options.set("mixing_draws", draws->defaultNumber);
  QVERIFY(diffSessions(a, c).empty());
  // A method change is structural even when the option's key is shared.
  SessionConfig e = b;
  e.method.name = "bbb";
  e.method.options = {};
  QVERIFY(diffSessions(a, e).structural);
}

void SessionDiffTest::liveKnobsOfThePriorAreLive() {
  const SessionConfig a;
  const PriorDescriptor* prior = findPrior(a.prior.name);
  QVERIFY(prior);
  const OptionSpec* live = nullptr;
  for (const OptionSpec& spec : prior->options)
    if (spec.live && spec.kind == OptionKind::Real) live = &spec;
  if (!live) QSKIP("the default prior has no live real option");
  SessionConfig b = a;
  b.prior.options.set(live->key, live->defaultNumber * 0.5);
  const SessionDiff d = diffSessions(a, b);
  QVERIFY(!d.structural);
  QVERIFY(d.prior);
  QCOMPARE(d.prior->options.number(live->key), live->defaultNumber * 0.5);
}

void SessionDiffTest::structuralEdits_data() {
  QTest::addColumn<int>("edit");
  QTest::newRow("data set") << 0;
  QTest::newRow("hidden layers") << 1;
  QTest::newRow("method") << 2;
  QTest::newRow("mc samples") << 3;
  QTest::newRow("steps") << 4;
  QTest::newRow("seed") << 5;
  QTest::newRow("noise std") << 6;
}

void SessionDiffTest::structuralEdits() {
  QFETCH(int, edit);
  const SessionConfig a;
  SessionConfig b = a;
  switch (edit) {
    case 0:
      b.dataset.name = "moons";
      break;
    case 1:
      b.model.hidden = {8};
      break;
    case 2:
      b.method.name = "map";
      break;
    case 3:
      b.training.mcSamples = 4;
      break;
    case 4:
      b.training.steps = 10;
      break;
    case 5:
      b.training.seed = 99;
      break;
    case 6:
      b.likelihood.noiseStd = 0.3;
      break;
  }
  b.training.learningRate = 0.05;  // a live edit alongside is still sent at once
  const SessionDiff d = diffSessions(a, b);
  QVERIFY(d.structural);
  QCOMPARE(*d.learningRate, 0.05);
}

void SessionDiffTest::defaultsCountAsUnchanged() {
  SessionConfig a;  // options unset: the defaults apply
  SessionConfig b = a;
  const MethodDescriptor* method = findMethod(b.method.name);
  b.method.options = withDefaults(method->options, {});
  b.prior.options = resolvedPriorOptions(b.prior);
  b.dataset.noise = findDataset(b.dataset.name)->defaultNoise;
  QVERIFY(diffSessions(a, b).empty());
}

BAYESLAB_TEST_MAIN(SessionDiffTest)
#include "session_diff_test.moc"
