// The variational family end to end: bbb_lrt, bbb_flipout, bbvi, mc_dropout and
// ensemble are registered with complete descriptors, train from a session through
// the Trainer and improve their test log-likelihood, and give bit-identical results
// for 1 and 2 threads.
#include <QtTest>

#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

const std::vector<std::string> kNewMethods = {"bbb_lrt", "bbb_flipout", "bbvi", "mc_dropout",
                                              "ensemble"};

struct RunResult {
  std::vector<double> elbo;
  Vector mean, stdDev;
  double testLogLik;
};

RunResult runWith(SessionConfig c, int threads) {
  c.training.threads = threads;
  Trainer trainer(c);
  trainer.run();
  RunResult r;
  for (const MetricsRow& row : trainer.history()) r.elbo.push_back(row.elbo);
  const auto post = trainer.posterior();
  r.mean = post->flatMean();
  r.stdDev = post->flatStd();
  r.testLogLik = trainer.evaluateTest(16).logLikelihood;
  return r;
}

}  // namespace

class TestVariationalFamily : public QObject {
  Q_OBJECT
 private slots:
  void descriptorsAreComplete() {
    for (const std::string& id : kNewMethods) {
      const MethodDescriptor* d = findMethod(id);
      QVERIFY2(d, id.c_str());
      QCOMPARE(d->id, id);
      QVERIFY(!d->displayName.empty() && !d->summary.empty() && !d->objective.empty());
      QVERIFY(d->explanation.size() > 300);  // a paragraph a lecturer can show
      QVERIFY(!d->reference.empty() && !d->klLabel.empty());
      for (const OptionSpec& o : d->options) QVERIFY2(!o.tooltip.empty(), o.key.c_str());
      const MethodConfig config{id, {}};
      QVERIFY(!config.validate());
    }
    QVERIFY(findMethod("bbvi")->explanation.find("closed form") != std::string::npos);
    QVERIFY(!findMethod("ensemble")->traits.variational);
    QCOMPARE(findMethod("ensemble")->klLabel, std::string("-log p(w) (mean over members)"));
    OptionValues bad;
    bad.set("rate", 1.5);
    const MethodConfig badConfig{"mc_dropout", bad};
    QVERIFY(badConfig.validate().has_value());
  }

  void trainsAndImproves_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<int>("samples");
    QTest::addColumn<double>("learningRate");
    QTest::newRow("bbb_lrt regression") << "bbb_lrt"
                                        << "blundell" << 1 << 0.01;
    QTest::newRow("bbb_lrt classification") << "bbb_lrt"
                                            << "moons" << 1 << 0.01;
    QTest::newRow("bbb_flipout regression") << "bbb_flipout"
                                            << "blundell" << 1 << 0.01;
    QTest::newRow("bbb_flipout classification") << "bbb_flipout"
                                                << "moons" << 1 << 0.01;
    QTest::newRow("bbvi regression, 8 samples") << "bbvi"
                                                << "blundell" << 8 << 0.01;
    QTest::newRow("bbvi classification, 8 samples") << "bbvi"
                                                    << "moons" << 8 << 0.01;
    QTest::newRow("mc_dropout regression") << "mc_dropout"
                                           << "blundell" << 1 << 0.01;
    QTest::newRow("mc_dropout classification") << "mc_dropout"
                                               << "moons" << 1 << 0.01;
    QTest::newRow("ensemble regression") << "ensemble"
                                         << "blundell" << 1 << 0.01;
    QTest::newRow("ensemble classification") << "ensemble"
                                             << "moons" << 1 << 0.01;
  }
  void trainsAndImproves() {
    QFETCH(QString, method);
    QFETCH(QString, dataset);
    QFETCH(int, samples);
    QFETCH(double, learningRate);
    SessionConfig c = smallSession(dataset.toStdString(), method.toStdString(), {16});
    c.dataset.nTrain = 128;
    c.dataset.nTest = 128;
    c.training.steps = 300;
    c.training.batchSize = 32;
    c.training.mcSamples = samples;
    c.training.learningRate = learningRate;
    c.training.evalEvery = 300;
    Trainer trainer(c);
    const TestMetrics before = trainer.evaluateTest(16);
    trainer.run();
    QVERIFY(trainer.status() == TrainerStatus::Finished);
    const TestMetrics after = trainer.evaluateTest(16);
    qInfo("%s on %s: test log-likelihood %.3f -> %.3f", qPrintable(method), qPrintable(dataset),
          before.logLikelihood, after.logLikelihood);
    QVERIFY2(after.logLikelihood > before.logLikelihood + 0.1,
             qPrintable(QString("%1 -> %2").arg(before.logLikelihood).arg(after.logLikelihood)));
  }

  void oneVersusTwoThreads_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("samples");
    QTest::newRow("bbb_lrt regression, chunked batch") << "bbb_lrt"
                                                       << "blundell" << 16 << 100 << 1;
    QTest::newRow("bbb_lrt classification, 3 samples") << "bbb_lrt"
                                                       << "moons" << 16 << 48 << 3;
    QTest::newRow("bbb_lrt wide net, row blocks") << "bbb_lrt"
                                                  << "spiral" << 300 << 96 << 2;
    QTest::newRow("bbb_flipout regression, chunked batch") << "bbb_flipout"
                                                           << "blundell" << 16 << 100 << 1;
    QTest::newRow("bbb_flipout wide net, 2 samples") << "bbb_flipout"
                                                     << "spiral" << 300 << 96 << 2;
    QTest::newRow("bbvi, 4 samples") << "bbvi"
                                     << "moons" << 16 << 64 << 4;
    QTest::newRow("mc_dropout, 2 samples") << "mc_dropout"
                                           << "blundell" << 32 << 64 << 2;
    QTest::newRow("ensemble regression") << "ensemble"
                                         << "cubic" << 32 << 64 << 1;
    QTest::newRow("ensemble classification") << "ensemble"
                                             << "moons" << 16 << 40 << 1;
  }
  void oneVersusTwoThreads() {
    QFETCH(QString, method);
    QFETCH(QString, dataset);
    QFETCH(int, width);
    QFETCH(int, batch);
    QFETCH(int, samples);
    SessionConfig c = smallSession(dataset.toStdString(), method.toStdString(), {width, width});
    c.dataset.nTrain = 200;
    c.training.steps = 30;
    c.training.batchSize = batch;
    c.training.mcSamples = samples;
    const RunResult one = runWith(c, 1);
    const RunResult two = runWith(c, 2);
    QCOMPARE(one.elbo.size(), size_t(30));
    QVERIFY(one.elbo == two.elbo);  // bitwise
    QVERIFY(one.mean == two.mean);
    QVERIFY(one.stdDev == two.stdDev);
    QCOMPARE(one.testLogLik, two.testLogLik);
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestVariationalFamily)
#include "test_variational_family.moc"
