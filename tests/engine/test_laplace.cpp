// The Laplace method (engine/methods/laplace/) against exact answers, in double precision:
//  - on `linear` data the full Laplace posterior (last_layer_full, full, and kfac, which
//    must be exact there) equals the exact Bayesian linear regression posterior, and its
//    log marginal likelihood equals the exact log evidence (tolerance 1e-9 relative);
//    diagonal Laplace gives the mean-field variances 1 / Lambda_ii;
//  - the tuned prior precision maximises the exact evidence (MacKay's fixed point); the
//    evidence gradient in log lambda passes a finite-difference check;
//  - the probit predictive; MAP training reaches the exact posterior mean and the evidence
//    extras; training under the tuned prior; sequential learning uses the current part's
//    data; snapshots are cached; oversized `full` requests are refused.
// The curvature and covariance structures are tested in test_laplace_curvature.cpp.
#include <QtTest>
#include <cmath>
#include <numbers>

#include "engine/diagnostics/exact_reference.h"
#include "engine/methods/laplace/laplace_evidence.h"
#include "engine/predictive/predictive.h"
#include "tests/engine/laplace_fixtures.h"
#include "tests/support/test_main.h"

using namespace bayeslab;
using namespace bayeslab::test;

class TestLaplace : public QObject {
  Q_OBJECT
 private slots:
  void fullLaplaceOnLinearIsExact_data() {
    QTest::addColumn<QString>("hessian");
    QTest::newRow("last_layer_full") << "last_layer_full";
    QTest::newRow("full") << "full";
    QTest::newRow("kfac (exact: one layer, scalar Gaussian output)") << "kfac";
  }
  void fullLaplaceOnLinearIsExact() {
    QFETCH(QString, hessian);
    Trainer trainer(linearSession(hessian.toStdString()));
    const auto reference = exactReference(trainer);  // what the views draw beside q
    QVERIFY(reference);
    const auto exact = exactLinearRegression(trainer.data().train, 0.3, 0.7);
    QVERIFY(reference->mean == exact.mean && reference->covariance == exact.covariance);
    LaplaceMethod& m = laplaceOf(trainer);
    setWeights(m, exact.mean);  // the MAP of a linear-Gaussian model is the posterior mean
    const auto post = std::dynamic_pointer_cast<const LaplacePosterior>(trainer.posterior());
    QVERIFY(post);
    QVERIFY(relativeError(post->flatMean(), exact.mean) < kTight);
    QVERIFY(relativeError(post->covariance().marginalVariance(), exact.covariance.diagonal()) <
            kTight);
    // The whole covariance, through functional variances: for inputs x the linearised
    // output of a linear model is theta^T [x; 1] exactly, so its variance is
    // [x; 1]^T Sigma [x; 1]; with x = e_i, e_i + e_j, ... this gives every entry.
    const Index d = trainer.layout().inputDim();
    Matrix x = Matrix::Zero(d, d * d + 1);
    for (Index i = 0; i < d; ++i)
      for (Index j = 0; j < d; ++j) x.col(i * d + j) = (Vector::Unit(d, i) + Vector::Unit(d, j));
    Matrix mean, variance;
    post->linearisedMoments(x, 1, mean, variance);
    Eigen::VectorXd exactMean, exactVariance;
    exact.predict(x, exactMean, exactVariance);
    QVERIFY(relativeError(variance.transpose(), exactVariance) < kTight);
    QVERIFY(relativeError(mean.transpose(), exactMean) < kTight);
    const ExactComparison gap = compareWithExact(*post, exact);
    QVERIFY(gap.maxMeanError < 1e-9 && std::abs(gap.minStdRatio - 1) < 1e-9 &&
            std::abs(gap.maxStdRatio - 1) < 1e-9);
    // log p(D) of the Laplace approximation is the exact log evidence.
    const double logZ = post->evidence().logMarginalLikelihood;
    QVERIFY2(
        std::abs(logZ - exact.logEvidence) < kTight * std::abs(exact.logEvidence),
        qPrintable(QString("%1 vs %2").arg(logZ, 0, 'g', 15).arg(exact.logEvidence, 0, 'g', 15)));
    // log det H is the exact precision's.
    QVERIFY(std::abs(post->covariance().logDetPrecision() -
                     std::log(exact.precision.determinant())) < 1e-9);
  }

  void diagonalLaplaceOnLinearIsMeanField() {
    // Diagonal GGN + prior = diag(Lambda): variances 1 / Lambda_ii, the mean-field optimum.
    Trainer trainer(linearSession("diag_ggn"));
    const auto exact = exactLinearRegression(trainer.data().train, 0.3, 0.7);
    setWeights(laplaceOf(trainer), exact.mean);
    const Vector sd = trainer.posterior()->flatStd();
    QVERIFY(relativeError(sd, exact.meanFieldStd()) < kTight);
  }

  void tunedPriorMaximisesExactEvidence() {
    SessionConfig c = linearSession("full");
    c.method.options.set("tune_prior", 1.0);
    Trainer trainer(c);
    const auto exact = exactLinearRegression(trainer.data().train, 0.3, 0.7);
    setWeights(laplaceOf(trainer), exact.mean);
    const DataCurvature curvature = curvatureOf(trainer, HessianStructure::Full);
    // Iterate MacKay's framework to its fixed point: the mode under N(0, 1/lambda) and
    // lambda maximising the evidence at that mode.
    double lambda = 1.0 / (0.7 * 0.7);
    for (int i = 0; i < 100; ++i) {
      const auto e = exactLinearRegression(trainer.data().train, 0.3, 1.0 / std::sqrt(lambda));
      IsotropicEvidence iso;
      iso.logLikelihood = 0;  // does not change the argmax
      iso.squaredNorm = e.mean.squaredNorm();
      iso.spectrum = curvature.spectrum;  // H_data does not depend on w for a linear model
      lambda = iso.optimalPrecision();
    }
    // At the fixed point the exact evidence is maximal in the prior precision.
    const auto evidenceAt = [&](double l) {
      return exactLinearRegression(trainer.data().train, 0.3, 1.0 / std::sqrt(l)).logEvidence;
    };
    const double h = 1e-4;
    const double slope =
        (evidenceAt(lambda * std::exp(h)) - evidenceAt(lambda * std::exp(-h))) / (2 * h);
    qInfo("fixed-point lambda %.8g, d log p(D) / d log lambda = %.2e", lambda, slope);
    QVERIFY2(std::abs(slope) < 1e-6, qPrintable(QString::number(slope)));
    QVERIFY(evidenceAt(lambda) > evidenceAt(lambda * 1.1));
    QVERIFY(evidenceAt(lambda) > evidenceAt(lambda / 1.1));
    // The snapshot at that mode tunes to the same lambda and reports the exact evidence.
    const auto e = exactLinearRegression(trainer.data().train, 0.3, 1.0 / std::sqrt(lambda));
    setWeights(laplaceOf(trainer), e.mean);
    const auto post = std::dynamic_pointer_cast<const LaplacePosterior>(trainer.posterior());
    QVERIFY(std::abs(post->evidence().priorPrecision / lambda - 1) < 1e-8);
    QVERIFY(std::abs(post->evidence().logMarginalLikelihood - e.logEvidence) <
            kTight * std::abs(e.logEvidence));
    QVERIFY(relativeError(post->covariance().marginalVariance(), e.covariance.diagonal()) < 1e-8);
  }

  void evidenceGradient() {
    IsotropicEvidence iso;
    iso.logLikelihood = -12.5;
    iso.squaredNorm = 3.7;
    iso.spectrum.resize(5);
    iso.spectrum << 0.0, 0.3, 2.0, 40.0, 900.0;
    const Objective f = [&](const Vector& x, Vector* g) {
      if (g) *g = Vector::Constant(1, -iso.derivative(x(0)));
      return -iso.value(x(0));
    };
    for (double logLambda : {-3.0, 0.0, 2.5}) {
      GradientCheckOptions options;
      options.tolerance = 1e-7;
      BAYESLAB_VERIFY_GRADIENT(checkGradient(f, Vector::Constant(1, logLambda), options));
    }
    // The optimum is the root of the derivative, and gamma = lambda |w|^2 there.
    const double lambda = iso.optimalPrecision();
    QVERIFY(std::abs(iso.derivative(std::log(lambda))) < 1e-9);
    QVERIFY(std::abs(iso.effectiveParameters(lambda) - lambda * iso.squaredNorm) < 1e-8);
    QVERIFY(iso.value(std::log(lambda)) > iso.value(std::log(lambda) + 0.01));
    QVERIFY(iso.value(std::log(lambda)) > iso.value(std::log(lambda) - 0.01));
  }

  void probitClassification() {
    SessionConfig c = networkSession("moons", "kfac");
    c.likelihood.name = "bernoulli";
    Trainer trainer(c);
    trainer.run();
    const auto post = std::dynamic_pointer_cast<const LaplacePosterior>(trainer.posterior());
    const Matrix& x = trainer.data().test.inputs;
    Matrix p, mean, variance;
    QVERIFY(post->classProbabilities(x, trainer.likelihood(), 2, p));
    post->linearisedMoments(x, 1, mean, variance);
    for (Index i = 0; i < x.cols(); ++i) {
      const double z = mean(0, i) / std::sqrt(1 + std::numbers::pi / 8 * variance(0, i));
      QVERIFY(std::abs(p(1, i) - 1 / (1 + std::exp(-z))) < 1e-12);
      // The probit approximation to E[sigmoid(f)], f ~ N(mean, variance), is within 0.02 of
      // the integral (computed by quadrature on a fine grid).
      double integral = 0, mass = 0;
      const double sd = std::sqrt(variance(0, i));
      for (int k = -4000; k <= 4000; ++k) {
        const double t = k / 500.0, weight = std::exp(-0.5 * t * t);
        integral += weight / (1 + std::exp(-(mean(0, i) + sd * t)));
        mass += weight;
      }
      QVERIFY(std::abs(p(1, i) - integral / mass) < 0.02);
    }
    // The predictive summaries and test metrics use it.
    const ClassificationPredictive summary =
        predictClassification(*post, trainer.likelihood(), x, 16, RandomStream(3), 1);
    QVERIFY(relativeError(summary.probabilities, p) < 1e-12);
    // mc does not offer closed-form probabilities.
    c.method.options.set("predictive", "mc");
    Trainer mc(c);
    Matrix unused;
    QVERIFY(!mc.posterior()->classProbabilities(x, mc.likelihood(), 1, unused));
  }

  void mapTrainingReachesPosteriorMean() {
    SessionConfig c = linearSession("kfac");
    c.training.steps = 4000;
    c.training.batchSize = 30;
    c.training.learningRate = 0.02;
    c.method.options.set("refresh_every", 1000.0);
    Trainer trainer(c);
    trainer.run();
    const auto exact = exactLinearRegression(trainer.data().train, 0.3, 0.7);
    const Vector mean = trainer.posterior()->flatMean();
    const Eigen::VectorXd sd = exact.covariance.diagonal().cwiseSqrt();
    qInfo("MAP vs exact mean: %.2e posterior sd",
          ((mean - exact.mean).cwiseQuotient(sd)).cwiseAbs().maxCoeff());
    QVERIFY2(
        ((mean - exact.mean).cwiseQuotient(sd)).cwiseAbs().maxCoeff() < 1e-3,
        qPrintable(QString::number(((mean - exact.mean).cwiseQuotient(sd)).cwiseAbs().maxCoeff())));
    // The evidence extras, refreshed at steps 1000, 2000, 3000.
    const MetricsRow& row = trainer.history().back();
    qInfo("log marginal likelihood %.10g, exact log evidence %.10g", row.extras[0].second,
          exact.logEvidence);
    QCOMPARE(QString(row.extras[0].first), QString("log_marginal_likelihood"));
    QVERIFY(std::abs(row.extras[0].second - exact.logEvidence) < 1e-3);
    QVERIFY(std::abs(row.extras[1].second - 1 / 0.49) < 1e-9);      // prior_precision
    QVERIFY(row.extras[2].second > 0 && row.extras[2].second < 3);  // effective parameters
    QVERIFY(std::isnan(trainer.history().front().extras[0].second));
  }

  void tunedPriorTrainsUnderEvidence() {
    SessionConfig c = linearSession("full");
    c.method.options.set("tune_prior", 1.0);
    c.method.options.set("refresh_every", 200.0);
    c.training.steps = 4000;
    c.training.batchSize = 30;
    c.training.learningRate = 0.02;
    Trainer trainer(c);
    trainer.run();
    const LaplaceMethod& m = laplaceOf(trainer);
    const double lambda = m.tunedPrecision();
    QVERIFY(lambda > 0 && std::isfinite(lambda));
    // The mode is the exact posterior mean under N(0, 1/lambda), and lambda is the
    // evidence-maximising precision for that mode (MacKay's fixed point), to optimiser accuracy.
    const auto e = exactLinearRegression(trainer.data().train, 0.3, 1.0 / std::sqrt(lambda));
    const Vector mean = trainer.posterior()->flatMean();
    QVERIFY(
        ((mean - e.mean).cwiseQuotient(e.covariance.diagonal().cwiseSqrt())).cwiseAbs().maxCoeff() <
        1e-2);
    const auto post = std::dynamic_pointer_cast<const LaplacePosterior>(trainer.posterior());
    qInfo(
        "tuned lambda %.6g (objective), %.6g (snapshot); mode error %.2e sd", lambda,
        post->evidence().priorPrecision,
        ((mean - e.mean).cwiseQuotient(e.covariance.diagonal().cwiseSqrt())).cwiseAbs().maxCoeff());
    QVERIFY(std::abs(post->evidence().priorPrecision / lambda - 1) < 1e-2);
  }

  void sequentialUsesTheCurrentPart() {
    // Two parts: during part 1 the curvature and the evidence are those of part 1's data
    // (StepInput::data), so after MAP training the snapshot is the exact posterior of part 1.
    SessionConfig c = linearSession("full", 1);
    c.sequential.parts = 2;
    c.training.steps = 4000;
    c.training.batchSize = 30;
    c.training.learningRate = 0.02;
    Trainer trainer(c);
    trainer.run(2000);
    QCOMPARE(trainer.currentPart(), Index(0));
    const auto exact = exactLinearRegression(trainer.partData(0), 0.3, 0.7);
    const auto post = std::dynamic_pointer_cast<const LaplacePosterior>(trainer.posterior());
    QCOMPARE(post->covariance().curvature().examples, trainer.partData(0).size());
    QVERIFY(relativeError(post->flatMean(), exact.mean) < 1e-6);
    QVERIFY(relativeError(post->covariance().marginalVariance(), exact.covariance.diagonal()) <
            1e-6);
    // Part 2 trains under the diagonal Gaussian of part 1 and uses part 2's data.
    trainer.run();
    QCOMPARE(trainer.currentPart(), Index(1));
    const auto second = std::dynamic_pointer_cast<const LaplacePosterior>(trainer.posterior());
    QCOMPARE(second->covariance().curvature().examples, trainer.partData(1).size());
  }

  void exactReferenceOnlyWhereItExists() {
    SessionConfig c = linearSession("kfac");
    QVERIFY(exactReference(Trainer(c)));
    c.model.hidden = {3};
    QVERIFY(!exactReference(Trainer(c)));
    c = linearSession("kfac");
    c.likelihood.learnNoise = true;
    QVERIFY(!exactReference(Trainer(c)));
    c = linearSession("kfac");
    c.prior.name = "laplace";
    c.prior.options = {};
    QVERIFY(!exactReference(Trainer(c)));
    // Sequential learning: still the posterior of all the data under the session's prior.
    c = linearSession("kfac");
    c.sequential.parts = 2;
    c.training.steps = 10;
    Trainer sequential(c);
    sequential.run();
    const auto reference = exactReference(sequential);
    QVERIFY(reference);
    QVERIFY(reference->mean == exactLinearRegression(sequential.data().train, 0.3, 0.7).mean);
  }

  void rejectsTooLargeFullLaplace() {
    SessionConfig c = networkSession("blundell", "full");
    c.model.hidden = {64, 64};
    QCOMPARE(trainerInputErrorField(c), QString("method.hessian"));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestLaplace)
#include "test_laplace.moc"
