// Predictive summaries against hand-worked values: moments, entropy, mutual
// information, ECE, the test log-likelihood as a log-mean-exp over draws.
#include <QtTest>

#include "engine/likelihood/gaussian_likelihood.h"
#include "engine/likelihood/softmax_likelihood.h"
#include "engine/methods/common/mean_field_posterior.h"
#include "engine/methods/common/point_posterior.h"
#include "engine/predictive/calibration.h"
#include "engine/predictive/evaluation.h"
#include "engine/predictive/grid.h"
#include "engine/predictive/predictive.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

namespace {
Matrix logits(std::initializer_list<double> values) {
  Matrix m(static_cast<Index>(values.size()), 1);
  Index i = 0;
  for (double v : values) m(i++, 0) = static_cast<Real>(v);
  return m;
}
}  // namespace

class TestPredictive : public QObject {
  Q_OBJECT
 private slots:
  void regressionMoments() {
    // Three draws at two inputs: f = [1, 2, 3] and [0, 0, 0]; noise variance 0.25.
    std::vector<Matrix> draws(3, Matrix(1, 2));
    draws[0] << 1, 0;
    draws[1] << 2, 0;
    draws[2] << 3, 0;
    const RegressionPredictive r = summariseRegression(draws, 0.25, 2);
    QVERIFY(std::abs(r.mean(0) - 2.0) < 1e-6);
    QVERIFY(std::abs(r.stdEpistemic(0) - std::sqrt(2.0 / 3.0)) < 1e-6);
    QVERIFY(std::abs(r.stdTotal(0) - std::sqrt(2.0 / 3.0 + 0.25)) < 1e-6);
    QVERIFY(std::abs(r.stdEpistemic(1)) < 1e-6);
    QVERIFY(std::abs(r.stdTotal(1) - 0.5) < 1e-6);
    QCOMPARE(r.functions.rows(), Index(2));
  }

  void entropyAndMutualInformation() {
    SoftmaxLikelihood lik(2);
    // Two confident draws that disagree: the mean is uniform (entropy log 2), each
    // draw has ~0 entropy, so the mutual information is ~log 2 (all epistemic).
    std::vector<Matrix> disagree = {logits({30, -30}), logits({-30, 30})};
    const ClassificationPredictive a = summariseClassification(disagree, lik);
    QVERIFY(std::abs(a.entropy(0) - std::log(2.0)) < 1e-5);
    QVERIFY(std::abs(a.mutualInformation(0) - std::log(2.0)) < 1e-5);
    QVERIFY(std::abs(a.probabilityStd(0, 0) - 0.5) < 1e-5);
    // Identical uncertain draws: entropy log 2, no mutual information (all aleatoric).
    std::vector<Matrix> agree = {logits({0, 0}), logits({0, 0})};
    const ClassificationPredictive b = summariseClassification(agree, lik);
    QVERIFY(std::abs(b.entropy(0) - std::log(2.0)) < 1e-6);
    QVERIFY(std::abs(b.mutualInformation(0)) < 1e-6);
    SoftmaxLikelihood four(4);
    std::vector<Matrix> uniform = {logits({1, 1, 1, 1})};
    QVERIFY(std::abs(summariseClassification(uniform, four).entropy(0) - std::log(4.0)) < 1e-6);
  }

  void expectedCalibrationErrorHandWorked() {
    // Four points, two bins used with 10 bins: confidences 0.95, 0.95 (bin 9), 0.6, 0.6 (bin 6).
    // Bin 9: both correct -> |1 - 0.95| = 0.05, weight 1/2. Bin 6: one correct ->
    // |0.5 - 0.6| = 0.1, weight 1/2. ECE = 0.025 + 0.05 = 0.075.
    Matrix p(2, 4);
    p << 0.95, 0.05, 0.6, 0.4,  //
        0.05, 0.95, 0.4, 0.6;
    IndexVector labels(4);
    labels << 0, 1, 0, 0;
    QVERIFY(std::abs(expectedCalibrationError(p, labels) - 0.075) < 1e-6);
  }

  void reliabilityDiagramBins() {
    Matrix p(2, 4);
    p << 0.95, 0.05, 0.6, 0.4,  //
        0.05, 0.95, 0.4, 0.6;
    IndexVector labels(4);
    labels << 0, 1, 0, 0;
    const ReliabilityDiagram d = reliabilityDiagram(p, labels, 10);
    QCOMPARE(d.bins.size(), size_t(10));
    QCOMPARE(d.bins[9].count, Index(2));
    QVERIFY(std::abs(d.bins[9].accuracy - 1.0) < 1e-12);
    QVERIFY(std::abs(d.bins[9].confidence - 0.95) < 1e-6);
    QCOMPARE(d.bins[6].count, Index(2));
    QVERIFY(std::abs(d.bins[6].accuracy - 0.5) < 1e-12);
    QCOMPARE(d.bins[0].count, Index(0));
    QVERIFY(std::abs(d.ece - 0.075) < 1e-6);
  }

  void areaUnderRocHandWorked() {
    // Out-of-distribution scores {0.5, 0.9}, in-distribution {0.1, 0.5, 0.7}:
    // 0.5 beats 0.1 and ties 0.5 (1.5); 0.9 beats all three (3): AUROC = 4.5 / 6.
    QVERIFY(std::abs(areaUnderRoc({0.1, 0.5, 0.7}, {0.5, 0.9}) - 0.75) < 1e-12);
    QCOMPARE(areaUnderRoc({0.0, 0.1}, {0.5, 0.6}), 1.0);
    QCOMPARE(areaUnderRoc({0.5, 0.6}, {0.0, 0.1}), 0.0);
    QVERIFY(std::isnan(areaUnderRoc({}, {1.0})));
    const std::vector<Index> h = histogram({0.0, 0.05, 0.5, 0.99, 1.0, 7.0}, 0.0, 1.0, 4);
    QVERIFY((h == std::vector<Index>{2, 0, 1, 3}));
  }

  void testLogLikelihoodOfPointPosterior() {
    // A linear map f(x) = 2x + 1 with noise sd 0.5: the test log-likelihood is the
    // Gaussian log density averaged over points.
    const MlpLayout layout(1, {}, 1);
    Vector w(2);
    w << 2, 1;
    PointPosterior post(MlpKernel(layout, Activation::Relu), Vector(), w);
    GaussianLikelihood lik(0.5, false);
    Dataset test;
    test.task = Task::Regression;
    test.inputs.resize(1, 2);
    test.inputs << 0, 1;
    test.targets.resize(1, 2);
    test.targets << 1.5, 3.0;  // residuals 0.5 and 0
    const TestMetrics m = evaluatePredictive(post, lik, test, 10, RandomStream(1), 1);
    const double c = -std::log(0.5) - 0.5 * std::log(2 * M_PI);
    QVERIFY(std::abs(m.logLikelihood - (c - 0.5 + c) / 2) < 1e-5);
    QVERIFY(std::abs(m.rmse - std::sqrt(0.125)) < 1e-6);
    QVERIFY(m.ece >= 0 && m.ece <= 1);
  }

  // Marginal draws of a mean-field posterior (local reparameterisation) have, at
  // each input, the distribution of a whole-function draw there. Linear model:
  // the output is exactly N(mu_W x + mu_b, sigma_W^2 x^2 + sigma_b^2); mean and
  // variance within 4 standard errors. Network: marginal draws against function
  // draws, mean and sd within 5 standard errors of the difference.
  void marginalDrawsMatchFunctionDraws() {
    constexpr int S = 20000;
    {
      const MlpLayout layout(3, {}, 1);
      Vector mu(4), sd(4);
      mu << 0.5, -1.0, 2.0, 0.3;
      sd << 0.2, 0.4, 0.1, 0.3;
      MeanFieldPosterior post(MlpKernel(layout, Activation::Relu), Vector(), mu, sd);
      Matrix x(3, 2);
      x << 1, -2, 0.5, 1, 2, 0;
      std::vector<Matrix> draws;
      post.sampleMarginalOutputs(x, S, RandomStream(11), 2, draws);
      for (Index i = 0; i < 2; ++i) {
        Eigen::ArrayXd f(S);
        for (int s = 0; s < S; ++s) f(s) = draws[static_cast<size_t>(s)](0, i);
        const double mean = f.mean(), var = (f - mean).square().mean();
        const double exactMean = mu.head(3).dot(x.col(i)) + mu(3);
        const double exactVar =
            (sd.head(3).array().square() * x.col(i).array().square()).sum() + sd(3) * sd(3);
        QVERIFY2(std::abs(mean - exactMean) < 4 * std::sqrt(exactVar / S),
                 qPrintable(QString("mean %1 vs %2").arg(mean).arg(exactMean)));
        QVERIFY2(std::abs(var - exactVar) < 4 * exactVar * std::sqrt(2.0 / S),
                 qPrintable(QString("var %1 vs %2").arg(var).arg(exactVar)));
      }
    }
    const MlpLayout layout(2, {16, 16}, 3);
    const Index P = layout.parameterCount();
    Vector mu(P), sd(P);
    RandomStream(5).fillNormal(mu);
    sd.setConstant(Real(0.3));
    MeanFieldPosterior post(MlpKernel(layout, Activation::Relu), Vector(), mu, sd);
    Matrix x(2, 4);
    x << 0.5, -1, 1.5, 0, -0.5, 2, 0.3, 0;
    std::vector<Matrix> marginal, functions;
    post.sampleMarginalOutputs(x, S, RandomStream(12), 2, marginal);
    post.sampleOutputs(x, S, RandomStream(13), 2, functions);
    for (Index i = 0; i < x.cols(); ++i)
      for (Index k = 0; k < 3; ++k) {
        Eigen::ArrayXd a(S), b(S);
        for (int s = 0; s < S; ++s) {
          a(s) = marginal[static_cast<size_t>(s)](k, i);
          b(s) = functions[static_cast<size_t>(s)](k, i);
        }
        const double ma = a.mean(), mb = b.mean();
        const double va = (a - ma).square().mean(), vb = (b - mb).square().mean();
        QVERIFY2(
            std::abs(ma - mb) < 5 * std::sqrt((va + vb) / S),
            qPrintable(QString("input %1 output %2: mean %3 vs %4").arg(i).arg(k).arg(ma).arg(mb)));
        // sd of a sample variance ~ var sqrt(2 / S) (a little more for heavy tails).
        QVERIFY2(
            std::abs(va - vb) < 5 * std::sqrt(2.0 / S) * (va + vb),
            qPrintable(QString("input %1 output %2: var %3 vs %4").arg(i).arg(k).arg(va).arg(vb)));
      }
  }

  void gridsSpanTheDataAndBeyond() {
    Dataset d;
    d.task = Task::Regression;
    d.inputs.resize(1, 3);
    d.inputs << 0, 0.25, 0.5;
    const Grid1D g = regressionGrid(d, 11, 0.5);
    QVERIFY(std::abs(g.lower + 0.25) < 1e-9 && std::abs(g.upper - 0.75) < 1e-9);
    QCOMPARE(g.points.cols(), Index(11));
    d.inputs.resize(2, 2);
    d.inputs << 0, 1, 0, 2;
    const Grid2D g2 = classificationGrid(d, 5, 0.0);
    QCOMPARE(g2.points.cols(), Index(25));
    QCOMPARE(g2.points(0, 4), Real(1));   // row 0, last column: x0 = max
    QCOMPARE(g2.points(1, 20), Real(2));  // last row: x1 = max
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestPredictive)
#include "test_predictive.moc"
