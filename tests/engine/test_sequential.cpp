// Sequential learning and KL warm-up in the trainer.
#include <QtTest>

#include "engine/diagnostics/bayesian_linear_regression.h"
#include "engine/prior/diagonal_gaussian_prior.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

class TestSequential : public QObject {
  Q_OBJECT
 private slots:
  void partsHandOverThePosterior() {
    SessionConfig c = smallSession("blundell", "bbb");
    c.dataset.nTrain = 90;
    c.training.steps = 90;
    c.sequential.parts = 3;
    Trainer t(c);
    QCOMPARE(t.partCount(), Index(3));
    QCOMPARE(t.partData(0).size() + t.partData(1).size() + t.partData(2).size(), Index(90));
    // Sorted split: part 0 holds the smallest inputs.
    QVERIFY(t.partData(0).inputs.maxCoeff() <= t.partData(1).inputs.minCoeff());
    t.run(30);
    QCOMPARE(t.currentPart(), Index(0));
    const auto afterFirst = t.posterior();
    t.run(1);
    QCOMPARE(t.currentPart(), Index(1));
    // The prior is now the posterior at the end of part 1.
    const auto* prior = dynamic_cast<const DiagonalGaussianPrior*>(&t.prior());
    QVERIFY(prior != nullptr);
    QVERIFY(prior->mean() == afterFirst->flatMean());
    QVERIFY(prior->std() == afterFirst->flatStd());
    t.run();
    QCOMPARE(t.currentPart(), Index(2));
    // The part is recorded with every row.
    const MetricsRow& last = t.history().back();
    QCOMPARE(QString(last.extras[last.extraCount - 1].first), QString("data_part"));
    QCOMPARE(last.extras[last.extraCount - 1].second, 3.0);
  }

  // For Bayesian linear regression, learning the two halves in turn with mean-field
  // VI ends close to the exact posterior of all the data (exact sequential updates
  // would land on it exactly; the mean-field hand-over loses only the correlations).
  void sequentialLinearRegressionApproachesBatchPosterior() {
    SessionConfig c;
    c.dataset.name = "linear";
    c.dataset.nTrain = 60;
    c.model.hidden = {};
    c.likelihood.noiseStd = 0.3;
    c.method.name = "bbb";
    c.method.options.set("init_rho", -2.0);
    c.training.steps = 6000;
    c.training.batchSize = 30;
    c.training.mcSamples = 8;
    c.training.learningRate = 0.005;
    c.training.evalEvery = 100000;
    c.sequential.parts = 2;
    c.sequential.split = "random";
    Trainer t(c);
    t.run();
    const auto exact = exactLinearRegression(t.data().train, 0.3, 1.0);
    const Vector mean = t.posterior()->flatMean();
    for (Index i = 0; i < mean.size(); ++i) {
      const double sd = std::sqrt(exact.covariance(i, i));
      QVERIFY2(std::abs(mean(i) - exact.mean(i)) < 0.5 * sd,
               qPrintable(QString("param %1: %2 vs exact %3 (sd %4)")
                              .arg(i)
                              .arg(mean(i))
                              .arg(exact.mean(i))
                              .arg(sd)));
    }
  }

  void needsAGaussianPosterior() {
    SessionConfig c = smallSession("blundell", "map");
    c.sequential.parts = 2;
    try {
      Trainer t(c);
      QFAIL("accepted");
    } catch (const InputError& e) {
      QCOMPARE(QString::fromStdString(e.field()), QString("sequential.parts"));
    }
    c.method.name = "bbb";
    c.prior.name = "empirical_bayes";
    QVERIFY_THROWS_EXCEPTION(InputError, Trainer{c});
  }

  void klWarmup() {
    SessionConfig c = smallSession("blundell", "bbb");
    c.training.klWeight = 0.5;
    c.training.klWarmupSteps = 10;
    Trainer t(c);
    QCOMPARE(t.klWeightAt(0), 0.05);
    QCOMPARE(t.klWeightAt(4), 0.25);
    QCOMPARE(t.klWeightAt(9), 0.5);
    QCOMPARE(t.klWeightAt(500), 0.5);
    t.run(3);
    QCOMPARE(QString(t.history()[2].extras[0].first), QString("kl_weight"));
    QCOMPARE(t.history()[2].extras[0].second, 0.15);
    // The objective uses the warmed-up weight, the ELBO column the true ELBO.
    const MetricsRow& r = t.history()[2];
    QVERIFY(std::abs(r.objective + r.expectedLogLikelihood - 0.15 * r.kl) <
            1e-6 * std::abs(r.objective));
  }
};

QTEST_APPLESS_MAIN(TestSequential)
#include "test_sequential.moc"
