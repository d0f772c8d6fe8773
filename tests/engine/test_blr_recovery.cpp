// Bayes by Backprop with no hidden layers on linear data is mean-field
// variational Bayesian linear regression, whose optimum is known exactly: the
// means equal the exact posterior mean and the variances are 1 / diag of the
// posterior precision. BBB, trained with Adam, many MC samples and the full data
// as one batch, must land there.
//
// Tolerance (stated): every mean within 0.05 exact posterior standard deviations
// (sd_i = sqrt(Sigma_ii)) and every standard deviation within 4% of
// 1 / sqrt(Lambda_ii), both averaged over the last 500 iterates (observed: means
// within 0.01 sd, standard deviations within 2%).
#include <QtTest>

#include "engine/diagnostics/bayesian_linear_regression.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

class TestBlrRecovery : public QObject {
  Q_OBJECT
 private slots:
  void exactPosteriorSanity() {
    // Evidence from the closed form equals a brute-force Gaussian log density.
    SessionConfig c;
    c.dataset.name = "linear";
    c.dataset.nTrain = 12;
    const DataSplit split = makeDataSplit(c.dataset);
    const auto post = exactLinearRegression(split.train, 0.3, 1.5);
    Eigen::MatrixXd phi(12, 2);
    phi.col(0) = split.train.inputs.row(0).transpose().cast<double>();
    phi.col(1).setOnes();
    const Eigen::MatrixXd C =
        1.5 * 1.5 * phi * phi.transpose() + 0.09 * Eigen::MatrixXd::Identity(12, 12);
    const Eigen::VectorXd y = split.train.targets.row(0).transpose().cast<double>();
    const Eigen::LLT<Eigen::MatrixXd> llt(C);
    const double logDet = 2.0 * Eigen::MatrixXd(llt.matrixL()).diagonal().array().log().sum();
    const double direct = -0.5 * (12 * std::log(2 * M_PI) + logDet + y.dot(llt.solve(y)));
    QVERIFY(std::abs(direct - post.logEvidence) < 1e-8 * std::abs(direct));
    QVERIFY((post.precision * post.covariance - Eigen::MatrixXd::Identity(2, 2)).norm() < 1e-10);
  }

  void bbbRecoversMeanFieldOptimum_data() {
    QTest::addColumn<int>("inputDim");
    QTest::addColumn<double>("priorScale");
    QTest::addColumn<int>("points");
    QTest::newRow("1-D, prior 1") << 1 << 1.0 << 40;
    QTest::newRow("3-D, prior 0.5") << 3 << 0.5 << 40;
    // Few points and a tight prior: the prior term carries as much weight as the data.
    QTest::newRow("2-D, prior 0.1, 10 points") << 2 << 0.1 << 10;
  }
  void bbbRecoversMeanFieldOptimum() {
    QFETCH(int, inputDim);
    QFETCH(double, priorScale);
    QFETCH(int, points);
    SessionConfig c;
    c.dataset.name = "linear";
    c.dataset.nTrain = points;
    c.dataset.nTest = 10;
    c.dataset.noise = 0.3;
    c.dataset.options.set("input_dim", static_cast<double>(inputDim));
    c.model.hidden = {};
    c.likelihood.noiseStd = 0.3;
    c.method.name = "bbb";
    c.method.options.set("init_rho", -2.0);
    c.prior.options.set("scale", priorScale);
    c.training.steps = 6000;
    c.training.batchSize = points;  // the whole data set: no minibatch noise
    c.training.mcSamples = 16;
    c.training.learningRate = 0.005;
    c.training.evalEvery = 100000;
    Trainer trainer(c);
    trainer.run(4000);
    // Average the last iterates of the stochastic optimisation.
    const Index P = trainer.layout().parameterCount();
    Eigen::VectorXd meanSum = Eigen::VectorXd::Zero(P), stdSum = Eigen::VectorXd::Zero(P);
    int count = 0;
    trainer.run(2000, [&](const MetricsRow& row) {
      if (row.step > 5500) {
        const auto post = trainer.posterior();
        meanSum += post->flatMean().cast<double>();
        stdSum += post->flatStd().cast<double>();
        ++count;
      }
      return CallbackResult::Continue;
    });
    const Eigen::VectorXd mean = meanSum / count, sd = stdSum / count;
    const auto exact = exactLinearRegression(trainer.data().train, 0.3, priorScale);
    const Eigen::VectorXd exactSd = exact.covariance.diagonal().cwiseSqrt();
    const Eigen::VectorXd mfSd = exact.meanFieldStd();
    for (Index i = 0; i < P; ++i) {
      const double meanError = std::abs(mean(i) - exact.mean(i)) / exactSd(i);
      const double sdError = std::abs(sd(i) / mfSd(i) - 1.0);
      QVERIFY2(meanError < 0.05, qPrintable(QString("param %1: mean %2 vs exact %3 (%4 sd off)")
                                                .arg(i)
                                                .arg(mean(i))
                                                .arg(exact.mean(i))
                                                .arg(meanError)));
      QVERIFY2(
          sdError < 0.04,
          qPrintable(
              QString("param %1: sd %2 vs mean-field optimum %3").arg(i).arg(sd(i)).arg(mfSd(i))));
    }
    // Mean field under-estimates the marginal spread whenever the posterior is correlated.
    QVERIFY(mfSd(P - 1) < exactSd(P - 1));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestBlrRecovery)
#include "test_blr_recovery.moc"
