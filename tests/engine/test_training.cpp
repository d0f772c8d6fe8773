// The training loop: optimisers, divergence handling, live knobs, metrics.
#include <QtTest>

#include "engine/optim/adam.h"
#include "engine/optim/sgd.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

class TestTraining : public QObject {
  Q_OBJECT
 private slots:
  void adamFirstStepIsLearningRateTimesSign() {
    Adam adam(0.1);
    adam.reset(3);
    Vector p = Vector::Zero(3), g(3);
    g << 2.0, -0.001, 0.0;
    adam.beginStep();
    adam.update(p.data(), g.data(), 0, 3);
    QVERIFY(std::abs(p(0) + 0.1) < 1e-5);
    QVERIFY(std::abs(p(1) - 0.1) < 1e-3);
    QCOMPARE(p(2), Real(0));
  }
  void sgdStep() {
    Sgd sgd(0.5);
    Vector p = Vector::Ones(2), g(2);
    g << 1, -2;
    sgd.update(p.data(), g.data(), 0, 2);
    QCOMPARE(p(0), Real(0.5));
    QCOMPARE(p(1), Real(2));
  }

  void trainingImprovesTheFit() {
    SessionConfig c = smallSession("blundell", "bbb", {16, 16});
    c.dataset.nTrain = 128;
    c.training.steps = 600;
    c.training.batchSize = 32;
    Trainer t(c);
    const double before = t.evaluateTest(16).logLikelihood;
    t.run();
    QCOMPARE(t.status(), TrainerStatus::Finished);
    QCOMPARE(t.step(), Index(600));
    const double after = t.evaluateTest(16).logLikelihood;
    QVERIFY2(after > before + 1.0, qPrintable(QString("%1 -> %2").arg(before).arg(after)));
    // Test metrics appear on evaluation steps only, and on the last one.
    QVERIFY(t.history().back().evaluated());
    QVERIFY(!t.history()[3].evaluated());
    QVERIFY(std::isfinite(t.finalElbo()));
  }

  void divergenceStopsAndKeepsLastGoodParameters() {
    SessionConfig c = smallSession("cubic", "map", {32});
    c.training.optimizer = "sgd";
    c.training.learningRate = 50.0;
    c.training.steps = 500;
    Trainer t(c);
    t.run();
    QCOMPARE(t.status(), TrainerStatus::Diverged);
    QVERIFY(t.step() < 500);
    QVERIFY(QString::fromStdString(t.message()).contains("diverged"));
    QVERIFY(t.posterior()->flatMean().allFinite());
    for (const MetricsRow& row : t.history()) QVERIFY(std::isfinite(row.elbo));
  }

  void callbackCanStopAndResume() {
    Trainer t(smallSession("moons", "bbb"));
    const Index taken = t.run(1000, [](const MetricsRow& row) {
      return row.step == 7 ? CallbackResult::Stop : CallbackResult::Continue;
    });
    QCOMPARE(taken, Index(7));
    QCOMPARE(t.run(5), Index(5));
    QCOMPARE(t.step(), Index(12));
  }

  void stoppedAndResumedRunEqualsStraightRun() {
    const SessionConfig c = smallSession("blundell", "bbb");
    Trainer a(c), b(c);
    a.run();
    b.run(17);
    b.run(100);
    QVERIFY(a.posterior()->flatMean() == b.posterior()->flatMean());
  }

  void liveKnobs() {
    Trainer t(smallSession("blundell", "bbb"));
    t.run(5);
    t.setLearningRate(0.001);
    t.setKlWeight(0.0);
    PriorConfig p;
    p.options.set("scale", 0.1);
    t.setPrior(p);
    QCOMPARE(t.config().training.learningRate, 0.001);
    QCOMPARE(t.prior().describe(), std::string("N(0, 0.1\u00b2)"));
    t.run(5);
    QCOMPARE(t.step(), Index(10));
    p.options.set("scale", -1.0);
    QVERIFY_THROWS_EXCEPTION(InputError, t.setPrior(p));
  }

  void batchLargerThanDataUsesAllData() {
    SessionConfig c = smallSession("linear", "bbb", {});
    c.training.batchSize = 1000;
    Trainer t(c);
    QCOMPARE(t.run(3), Index(3));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestTraining)
#include "test_training.moc"
