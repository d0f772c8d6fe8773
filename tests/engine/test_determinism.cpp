// A fixed seed gives bit-identical results for 1 and 2 threads: work is cut
// into units that do not depend on the thread count, and reductions run in a
// fixed order.
#include <QtTest>
#include <cmath>

#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {
struct ThreadedRun {
  std::vector<double> elbo;
  Vector mean, stdDev;
  double testLogLik;
};

ThreadedRun runOnThreads(SessionConfig c, int threads) {
  c.training.threads = threads;
  Trainer trainer(c);
  trainer.run();
  ThreadedRun r;
  for (const MetricsRow& row : trainer.history()) r.elbo.push_back(row.elbo);
  const auto post = trainer.posterior();
  r.mean = post->flatMean();
  r.stdDev = post->flatStd();
  r.testLogLik = trainer.evaluateTest(16).logLikelihood;
  return r;
}
}  // namespace

class TestDeterminism : public QObject {
  Q_OBJECT
 private slots:
  void oneVersusTwoThreads_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("samples");
    QTest::newRow("bbb regression, chunked batch") << "bbb"
                                                   << "blundell" << 16 << 64 << 1;
    QTest::newRow("bbb classification, 3 MC samples") << "bbb"
                                                      << "moons" << 16 << 48 << 3;
    QTest::newRow("bbb wide net, parameter blocks") << "bbb"
                                                    << "spiral" << 160 << 96 << 2;
    QTest::newRow("map regression") << "map"
                                    << "cubic" << 32 << 64 << 1;
  }
  void oneVersusTwoThreads() {
    QFETCH(QString, method);
    QFETCH(QString, dataset);
    QFETCH(int, width);
    QFETCH(int, batch);
    QFETCH(int, samples);
    SessionConfig c = smallSession(dataset.toStdString(), method.toStdString(), {width, width});
    c.dataset.nTrain = 200;
    c.training.steps = 60;
    c.training.batchSize = batch;
    c.training.mcSamples = samples;
    const ThreadedRun one = runOnThreads(c, 1);
    const ThreadedRun two = runOnThreads(c, 2);
    QCOMPARE(one.elbo.size(), size_t(60));
    QVERIFY(one.elbo == two.elbo);  // bitwise
    QVERIFY(one.mean == two.mean);
    QVERIFY(one.stdDev == two.stdDev);
    QCOMPARE(one.testLogLik, two.testLogLik);
  }

  // bbb_lrt runs the KL's finish pass inside its weight-gradient jobs: a prior
  // whose KL is sampled (its noise drawn per job) and one with learned
  // hyperparameters (their gradient summed over the jobs) must not depend on the
  // thread count either. The wide net splits its layers into many jobs.
  void lrtPriorsOneVersusTwoThreads_data() {
    QTest::addColumn<QString>("prior");
    QTest::newRow("scale mixture (sampled KL)") << "scale_mixture";
    QTest::newRow("empirical Bayes (hyperparameters)") << "empirical_bayes";
  }
  void lrtPriorsOneVersusTwoThreads() {
    QFETCH(QString, prior);
    SessionConfig c = smallSession("spiral", "bbb_lrt", {160, 160});
    c.prior.name = prior.toStdString();
    c.dataset.nTrain = 200;
    c.training.steps = 30;
    c.training.batchSize = 96;
    c.training.mcSamples = 2;
    const ThreadedRun one = runOnThreads(c, 1);
    const ThreadedRun two = runOnThreads(c, 2);
    QCOMPARE(one.elbo.size(), size_t(30));
    QVERIFY(std::isfinite(one.elbo.back()));
    QVERIFY(one.elbo == two.elbo);  // bitwise
    QVERIFY(one.mean == two.mean);
    QVERIFY(one.stdDev == two.stdDev);
    QCOMPARE(one.testLogLik, two.testLogLik);
  }

  // The mean-field methods apply a step's optimiser update inside the next
  // step's first pass (GradientMethod::defersUpdate). Reading the posterior
  // after every step applies it at once instead, as a plain update at the end
  // of the step would: the runs must agree bit for bit.
  void deferredUpdateMatchesImmediateUpdate_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("prior");
    QTest::newRow("bbb") << "bbb"
                         << "gaussian";
    QTest::newRow("bbb_lrt") << "bbb_lrt"
                             << "gaussian";
    QTest::newRow("bbb, empirical Bayes prior") << "bbb"
                                                << "empirical_bayes";
  }
  void deferredUpdateMatchesImmediateUpdate() {
    QFETCH(QString, method);
    QFETCH(QString, prior);
    SessionConfig c = smallSession("blundell", method.toStdString(), {16, 16});
    c.prior.name = prior.toStdString();
    c.training.steps = 25;
    c.training.threads = 2;
    Trainer deferred(c), immediate(c);
    deferred.run();
    std::vector<Vector> means;
    while (immediate.status() == TrainerStatus::Running) {
      immediate.run(1);
      means.push_back(immediate.posterior()->flatMean());
    }
    QCOMPARE(means.size(), size_t(25));
    QVERIFY(!(means.front() == means.back()));  // training moved the parameters
    QCOMPARE(deferred.history().size(), immediate.history().size());
    for (size_t i = 0; i < deferred.history().size(); ++i)
      QCOMPARE(deferred.history()[i].elbo, immediate.history()[i].elbo);
    QVERIFY(deferred.posterior()->flatMean() == means.back());
    QVERIFY(deferred.posterior()->flatStd() == immediate.posterior()->flatStd());
  }

  void sameSeedSameRunDifferentSeedDifferentRun() {
    SessionConfig c = smallSession("blundell", "bbb");
    const ThreadedRun a = runOnThreads(c, 1), b = runOnThreads(c, 1);
    QVERIFY(a.mean == b.mean);
    c.training.seed = 1;
    const ThreadedRun d = runOnThreads(c, 1);
    QVERIFY(!(a.mean == d.mean));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestDeterminism)
#include "test_determinism.moc"
