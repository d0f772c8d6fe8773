// Finite-difference checks of whole method objectives (double precision, the
// step's noise held fixed): MAP and Bayes by Backprop, for regression with
// fixed and learned noise and for classification, with closed-form and Monte
// Carlo KL, and several MC samples.
#include <QtTest>

#include "engine/prior/gaussian_prior.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

class TestObjectives : public QObject {
  Q_OBJECT
 private slots:
  void gradient_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<bool>("learnNoise");
    QTest::addColumn<int>("samples");
    QTest::addColumn<bool>("monteCarloKl");
    QTest::addColumn<int>("batch");
    QTest::newRow("map regression") << "map"
                                    << "blundell" << false << 1 << false << 16;
    QTest::newRow("map learned noise") << "map"
                                       << "cubic" << true << 1 << false << 16;
    QTest::newRow("map softmax") << "map"
                                 << "blobs" << false << 1 << false << 16;
    QTest::newRow("bbb regression") << "bbb"
                                    << "blundell" << false << 1 << false << 16;
    QTest::newRow("bbb learned noise, 3 samples") << "bbb"
                                                  << "heteroscedastic" << true << 3 << false << 16;
    QTest::newRow("bbb softmax") << "bbb"
                                 << "spiral" << false << 2 << false << 16;
    QTest::newRow("bbb bernoulli") << "bbb"
                                   << "moons" << false << 1 << false << 16;
    QTest::newRow("bbb monte carlo KL") << "bbb"
                                        << "blundell" << false << 2 << true << 16;
    QTest::newRow("bbb chunked batch") << "bbb"
                                       << "blundell" << false << 2 << false << 40;
  }
  void gradient() {
    QFETCH(QString, method);
    QFETCH(QString, dataset);
    QFETCH(bool, learnNoise);
    QFETCH(int, samples);
    QFETCH(bool, monteCarloKl);
    QFETCH(int, batch);
    SessionConfig c = smallSession(dataset.toStdString(), method.toStdString(), {6, 5});
    c.model.activation = "tanh";  // smooth, so finite differences are accurate everywhere
    c.likelihood.learnNoise = learnNoise;
    if (dataset == "moons") c.likelihood.name = "bernoulli";
    Trainer trainer(c);
    auto& m = dynamic_cast<GradientMethod&>(trainer.methodState());
    if (monteCarloKl) m.setPrior(std::make_shared<MonteCarloOnlyGaussian>(1.0));
    // Move away from the initialisation so sigma is not tiny and all terms matter.
    Vector params = m.parameters();
    RandomStream rng(17);
    Vector jitter(params.size());
    rng.fillNormal(jitter);
    params += 0.3 * jitter;
    if (method == "bbb") {
      const Index P = trainer.layout().parameterCount();
      params.segment(P, P).array() = -1.0 + 0.2 * jitter.segment(P, P).array();
    }
    const Batch b = firstBatch(trainer.data().train, batch);
    const StepInput input = stepInput(trainer, b, samples);
    GradientCheckOptions o;
    o.tolerance = 2e-5;
    const auto r = checkGradient(methodObjective(m, input), params, o);
    BAYESLAB_VERIFY_GRADIENT(r);
  }

  void objectiveTermsAreConsistent() {
    Trainer trainer(smallSession("blundell", "bbb"));
    auto& m = dynamic_cast<GradientMethod&>(trainer.methodState());
    const Batch b = firstBatch(trainer.data().train, 16);
    StepInput input;
    input.batch = &b;
    input.datasetSize = trainer.data().train.size();
    input.klWeight = 0.25;
    StepStats stats;
    const double objective = m.evaluate(input, m.parameters(), nullptr, stats);
    QVERIFY(std::abs(stats.elbo - (stats.expectedLogLikelihood - stats.kl)) <
            1e-9 * std::abs(stats.elbo));
    QVERIFY(std::abs(objective + stats.expectedLogLikelihood - 0.25 * stats.kl) <
            1e-9 * std::abs(objective));
    QVERIFY(stats.kl > 0);
  }

  // The Monte Carlo KL of bbb averages to the closed form.
  void monteCarloKlIsUnbiased() {
    SessionConfig c = smallSession("blundell", "bbb", {4});
    Trainer trainer(c);
    auto& m = dynamic_cast<GradientMethod&>(trainer.methodState());
    Vector params = m.parameters();
    const Index P = trainer.layout().parameterCount();
    params.segment(P, P).setConstant(-1.0);
    const Batch b = firstBatch(trainer.data().train, 8);
    StepInput input;
    input.batch = &b;
    input.datasetSize = trainer.data().train.size();
    StepStats closed;
    m.evaluate(input, params, nullptr, closed);
    m.setPrior(std::make_shared<MonteCarloOnlyGaussian>(1.0));
    const int n = 4000;
    double sum = 0, sumSq = 0;
    for (int i = 0; i < n; ++i) {
      input.rng = RandomStream(static_cast<std::uint64_t>(i));
      StepStats mc;
      m.evaluate(input, params, nullptr, mc);
      sum += mc.kl;
      sumSq += mc.kl * mc.kl;
    }
    const double mean = sum / n, se = std::sqrt((sumSq / n - mean * mean) / n);
    QVERIFY2(
        std::abs(mean - closed.kl) < 4 * se,
        qPrintable(QString("MC KL %1 vs closed form %2 (se %3)").arg(mean).arg(closed.kl).arg(se)));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestObjectives)
#include "test_objectives.moc"
