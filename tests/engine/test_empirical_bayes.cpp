// Empirical Bayes through the ELBO: on linear data the learned prior scale
// moves from a poor start towards the scale that maximises the exact evidence
// of Bayesian linear regression.
#include <QtTest>

#include "engine/diagnostics/bayesian_linear_regression.h"
#include "engine/prior/gaussian_prior.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

namespace {
// The scale s maximising log p(y | s) on a log grid.
double evidenceOptimalScale(const Dataset& data, double noise) {
  double best = 0, bestScale = 1;
  for (double logS = -4; logS <= 4; logS += 0.001) {
    const double e = exactLinearRegression(data, noise, std::exp(logS)).logEvidence;
    if (bestScale == 1 && best == 0 ? true : e > best) {
      best = e;
      bestScale = std::exp(logS);
    }
  }
  return bestScale;
}
}  // namespace

class TestEmpiricalBayes : public QObject {
  Q_OBJECT
 private slots:
  void scaleMovesTowardsEvidenceOptimum_data() {
    QTest::addColumn<double>("start");
    QTest::newRow("starts too wide") << 20.0;
    QTest::newRow("starts too narrow") << 0.05;
  }
  void scaleMovesTowardsEvidenceOptimum() {
    QFETCH(double, start);
    SessionConfig c;
    c.dataset.name = "linear";
    c.dataset.nTrain = 30;
    c.dataset.noise = 0.3;
    c.dataset.options.set("input_dim", 4.0);
    c.model.hidden = {};
    c.likelihood.noiseStd = 0.3;
    c.method.name = "bbb";
    c.method.options.set("init_rho", -2.0);
    c.prior.name = "empirical_bayes";
    c.prior.options.set("scale", start);
    c.training.steps = 5000;
    c.training.batchSize = 30;
    c.training.mcSamples = 8;
    c.training.learningRate = 0.01;
    c.training.evalEvery = 100000;
    Trainer trainer(c);
    trainer.run();
    const MetricsRow& last = trainer.history().back();
    QCOMPARE(QString(last.extras[0].first), QString("prior_scale"));
    const double learned = last.extras[0].second;
    const double target = evidenceOptimalScale(trainer.data().train, 0.3);
    const double startGap = std::abs(std::log(start / target));
    const double endGap = std::abs(std::log(learned / target));
    QVERIFY2(endGap < 0.25 * startGap,
             qPrintable(QString("learned %1, evidence optimum %2, start %3")
                            .arg(learned)
                            .arg(target)
                            .arg(start)));
    // The snapshot carries the learned prior for the views (the metrics row was
    // recorded before the step's update, hence the tolerance).
    const auto posterior = trainer.posterior();
    const auto learnedPrior = posterior->learnedPrior();
    const auto* prior = dynamic_cast<const GaussianPrior*>(learnedPrior.get());
    QVERIFY(prior != nullptr);
    QVERIFY(std::abs(prior->scale() / learned - 1.0) < 1e-2);
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestEmpiricalBayes)
#include "test_empirical_bayes.moc"
