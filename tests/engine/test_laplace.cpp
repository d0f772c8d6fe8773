// The Laplace approximation (engine/methods/laplace/), in double precision:
//  - on `linear` data the full Laplace posterior (last_layer_full, full, and kfac, which
//    must be exact there) equals the exact Bayesian linear regression posterior, and its
//    log marginal likelihood equals the exact log evidence (tolerance 1e-9 relative);
//  - the tuned prior precision maximises the exact evidence; the evidence gradient in
//    log lambda passes a finite-difference check;
//  - the curvatures against brute force from explicit per-example Jacobians (the kernel's
//    own backward pass, one output at a time): full GGN for Gaussian, Bernoulli and softmax
//    likelihoods, its diagonal, the empirical Fisher, and KFAC = GGN for one layer with a
//    scalar Gaussian output (and not otherwise);
//  - the covariance structures: marginal variances, functional variances J Sigma J^T and
//    log det H against dense matrices built from them, and draws with covariance Sigma
//    (within 5 Monte Carlo standard errors per entry);
//  - the linearised network's J v against finite differences; the probit predictive;
//  - finite-difference checks of the MAP objective (also with a learned noise and under the
//    evidence-tuned prior) and of the samplers' log joint (SGLD, HMC);
//  - MAP training reaches the exact posterior mean; with sequential learning the curvature
//    uses the current part's data; snapshots are cached; results do not depend on the
//    thread count.
#include <QtTest>
#include <cmath>
#include <numbers>

#include "engine/diagnostics/bayesian_linear_regression.h"
#include "engine/likelihood/likelihood.h"
#include "engine/methods/common/log_joint.h"
#include "engine/methods/laplace/laplace_evidence.h"
#include "engine/methods/laplace/laplace_method.h"
#include "engine/methods/laplace/linearised_network.h"
#include "engine/methods/laplace/prior_curvature.h"
#include "engine/predictive/predictive.h"
#include "engine/prior/gaussian_prior.h"
#include "engine/prior/laplace_prior.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

constexpr double kTight = 1e-9;
constexpr std::uint64_t kSeedDraws = 31;

SessionConfig linearSession(const std::string& hessian, int inputDim = 2) {
  SessionConfig c;
  c.dataset.name = "linear";
  c.dataset.nTrain = 30;
  c.dataset.nTest = 10;
  c.dataset.noise = 0.3;
  c.dataset.options.set("input_dim", static_cast<double>(inputDim));
  c.model.hidden = {};
  c.likelihood.noiseStd = 0.3;
  c.prior.options.set("scale", 0.7);
  c.method.name = "laplace";
  c.method.options.set("hessian", hessian);
  c.method.options.set("tune_prior", 0.0);
  c.training.steps = 0;
  c.training.seed = 2;
  return c;
}

// A small network on `dataset` (tanh, so the curvature is not piecewise constant).
SessionConfig networkSession(const std::string& dataset, const std::string& hessian) {
  SessionConfig c = smallSession(dataset, "laplace", {4, 3});
  c.model.activation = "tanh";
  c.dataset.nTrain = 20;
  c.method.options.set("hessian", hessian);
  c.method.options.set("tune_prior", 0.0);
  c.training.steps = 30;
  c.training.batchSize = 20;
  return c;
}

LaplaceMethod& laplaceOf(Trainer& trainer) {
  return dynamic_cast<LaplaceMethod&>(trainer.methodState());
}

// Moves the weights to `w` (likelihood parameters unchanged).
void setWeights(LaplaceMethod& m, const Eigen::VectorXd& w) {
  Vector params = m.parameters();
  params.head(w.size()) = w;
  m.setParameters(params);
}

// Per-example Jacobians of the outputs, from the kernel's backward pass: rows n K + k.
Eigen::MatrixXd jacobian(const MlpKernel& kernel, const Vector& w, const Matrix& x) {
  const Index K = kernel.layout().outputDim(), P = kernel.layout().parameterCount();
  Eigen::MatrixXd J(x.cols() * K, P);
  MlpWorkspace ws;
  Vector g(P);
  for (Index n = 0; n < x.cols(); ++n)
    for (Index k = 0; k < K; ++k) {
      const Matrix xn = x.col(n);
      kernel.forward(w.data(), xn, ws);
      ws.outputGradient().setZero();
      ws.outputGradient()(k, 0) = 1;
      kernel.backward(w.data(), xn, ws, g.data());
      J.row(n * K + k) = g.transpose();
    }
  return J;
}

// The output Hessian -d^2 log p / df^2 of example n, by the likelihood's definition.
Eigen::MatrixXd outputHessian(const Likelihood& likelihood, const Vector& params, const Matrix& f) {
  const Index K = f.rows();
  if (likelihood.task() == Task::Regression)
    return Eigen::MatrixXd::Identity(K, K) / likelihood.noiseVariance(params.data());
  Matrix p;
  likelihood.predictiveMean(f, p);
  if (K == 1) return Eigen::MatrixXd::Constant(1, 1, p(0, 0) * p(1, 0));
  const Eigen::VectorXd q = p.col(0);
  return Eigen::MatrixXd(q.asDiagonal()) - q * q.transpose();
}

Eigen::MatrixXd bruteForceGgn(const Trainer& trainer, const Vector& w, const Vector& phi) {
  const Dataset& data = trainer.data().train;
  const MlpKernel kernel(trainer.layout(), trainer.posterior()->kernel().activation());
  const Index K = trainer.layout().outputDim(), P = trainer.layout().parameterCount();
  const Eigen::MatrixXd J = jacobian(kernel, w, data.inputs);
  Eigen::MatrixXd G = Eigen::MatrixXd::Zero(P, P);
  MlpWorkspace ws;
  for (Index n = 0; n < data.size(); ++n) {
    const Matrix f = kernel.forward(w.data(), data.inputs.col(n), ws);
    const Eigen::MatrixXd Jn = J.middleRows(n * K, K);
    G += Jn.transpose() * outputHessian(trainer.likelihood(), phi, f) * Jn;
  }
  return G;
}

DataCurvature curvatureOf(Trainer& trainer, HessianStructure s, int threads = 1) {
  const LaplaceMethod& m = laplaceOf(trainer);
  const Index P = trainer.layout().parameterCount();
  return computeCurvature(s, trainer.posterior()->kernel(), trainer.likelihood(),
                          m.parameters().data() + P, m.parameters().data(), trainer.data().train,
                          threads);
}

double relativeError(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).norm() / std::max(b.norm(), 1e-300);
}

// Sigma as a dense matrix, column by column from functional variances of unit seeds
// would be circular; instead rebuild it from the structure's definition.
Eigen::MatrixXd kronecker(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  Eigen::MatrixXd k(a.rows() * b.rows(), a.cols() * b.cols());
  for (Index i = 0; i < a.rows(); ++i)
    for (Index j = 0; j < a.cols(); ++j)
      k.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return k;
}

Eigen::MatrixXd densePrecision(const DataCurvature& c, const MlpLayout& layout,
                               const Eigen::VectorXd& prior) {
  const Index P = c.parameters;
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(P, P);
  if (c.structure == HessianStructure::Kfac) {
    for (Index l = 0; l < layout.layerCount(); ++l) {
      const LayerShape& s = layout.layer(l);
      const auto& k = c.kronecker[static_cast<size_t>(l)];
      const Index n = s.parameterCount();
      H.block(s.weightOffset, s.weightOffset, n, n) = kronecker(k.A, k.G);
      H.block(s.weightOffset, s.weightOffset, n, n).diagonal().array() +=
          prior.segment(s.weightOffset, n).mean();
    }
    return H;
  }
  if (c.diagonal.size() > 0)
    H.diagonal() = c.diagonal;
  else
    H.bottomRightCorner(c.coveredCount(), c.coveredCount()) = c.dense;
  H.diagonal() += prior;
  return H;
}

}  // namespace

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
    const auto exact = exactLinearRegression(trainer.data().train, 0.3, 0.7);
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

  void objectiveGradient_data() {
    QTest::addColumn<bool>("learnNoise");
    QTest::addColumn<bool>("tunedPrior");
    QTest::newRow("MAP objective") << false << false;
    QTest::newRow("learned noise") << true << false;
    QTest::newRow("under the evidence-tuned prior") << false << true;
  }
  void objectiveGradient() {
    QFETCH(bool, learnNoise);
    QFETCH(bool, tunedPrior);
    SessionConfig c = networkSession("blundell", "kfac");
    c.likelihood.learnNoise = learnNoise;
    c.method.options.set("tune_prior", tunedPrior ? 1.0 : 0.0);
    c.method.options.set("refresh_every", 5.0);
    c.training.steps = 12;
    Trainer trainer(c);
    trainer.run();  // refreshed at steps 5 and 10: the tuned prior is in use
    auto& m = laplaceOf(trainer);
    if (tunedPrior) QVERIFY(m.tunedPrecision() > 0 && m.tunedPrecision() != 1.0);
    const Batch b = firstBatch(trainer.data().train, 12);
    StepInput input;
    input.batch = &b;
    input.datasetSize = trainer.data().train.size();
    input.step = 11;  // not a refresh step
    GradientCheckOptions o;
    o.tolerance = 2e-5;
    BAYESLAB_VERIFY_GRADIENT(checkGradient(methodObjective(m, input), m.parameters(), o));
  }

  void samplerLogJointGradient() {
    // The target of SGLD and HMC: log p(w) + scale sum_batch log p(y | x, w).
    SessionConfig c = networkSession("blobs", "kfac");
    Trainer trainer(c);
    Problem problem;
    problem.train = std::shared_ptr<const Dataset>(trainer.sharedData(), &trainer.data().train);
    problem.layout = trainer.layout();
    problem.activation = Activation::Tanh;
    problem.likelihood = trainer.sharedLikelihood();
    problem.prior = trainer.sharedPrior();
    LogJoint target(problem);
    const Batch b = firstBatch(trainer.data().train, 7);
    // evaluate() gives the gradient of +log joint; the checker takes a minimised objective.
    const Objective negativeLogJoint = [&](const Vector& w, Vector* g) {
      const double value = target.evaluate(b, 2.5, w.data(), g ? g->data() : nullptr, 1).total();
      if (g) *g = -*g;
      return -value;
    };
    Vector w(trainer.layout().parameterCount());
    RandomStream(4).fillNormal(w);
    BAYESLAB_VERIFY_GRADIENT(checkGradient(negativeLogJoint, w, {}));
  }

  void curvaturesAgainstBruteForce_data() {
    QTest::addColumn<QString>("dataset");
    QTest::newRow("Gaussian") << "blundell";
    QTest::newRow("softmax, 3 classes") << "blobs";
  }
  void curvaturesAgainstBruteForce() {
    QFETCH(QString, dataset);
    Trainer trainer(networkSession(dataset.toStdString(), "full"));
    trainer.run();
    const LaplaceMethod& m = laplaceOf(trainer);
    const Index P = trainer.layout().parameterCount();
    const Vector w = m.parameters().head(P), phi = m.parameters().tail(m.parameters().size() - P);
    const Eigen::MatrixXd ggn = bruteForceGgn(trainer, w, phi);
    QVERIFY(ggn.norm() > 0);
    const DataCurvature full = curvatureOf(trainer, HessianStructure::Full);
    QVERIFY(relativeError(full.dense, ggn) < kTight);
    const DataCurvature diag = curvatureOf(trainer, HessianStructure::DiagonalGgn);
    QVERIFY(relativeError(diag.diagonal, ggn.diagonal()) < kTight);
    const DataCurvature last = curvatureOf(trainer, HessianStructure::LastLayerFull);
    const Index n = last.coveredCount();
    QCOMPARE(n, trainer.layout().layer(2).parameterCount());
    QVERIFY(relativeError(last.dense, ggn.bottomRightCorner(n, n)) < kTight);
    // Spectrum of the dense block = its eigenvalues.
    const Eigen::VectorXd eig = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(ggn).eigenvalues();
    QVERIFY(relativeError(full.spectrum, eig.cwiseMax(0.0)) < 1e-8);
    // Empirical Fisher: sum of squared per-example gradients of log p(y_n | x_n, w).
    const Dataset& data = trainer.data().train;
    BatchEvaluator evaluator(trainer.posterior()->kernel(), trainer.sharedLikelihood());
    Eigen::VectorXd ef = Eigen::VectorXd::Zero(P);
    Vector g(P);
    for (Index i = 0; i < data.size(); ++i) {
      const Index idx[] = {i};
      Batch one;
      one.gather(data, idx, 1);
      evaluator.evaluate(one, 1, w.data(), phi.data(), 1, g.data(), nullptr, 1);
      ef += g.cwiseAbs2();
    }
    const DataCurvature efCurvature = curvatureOf(trainer, HessianStructure::DiagonalEf);
    QVERIFY(relativeError(efCurvature.diagonal, ef) < kTight);
    QVERIFY(relativeError(efCurvature.diagonal, ggn.diagonal()) > 1e-3);  // EF is not the GGN
    // The log-likelihood the evidence uses.
    QVERIFY(std::abs(full.logLikelihood - evaluator.evaluate(fullBatch(data), 1, w.data(),
                                                             phi.data(), 0, nullptr, nullptr, 1)) <
            1e-9 * std::abs(full.logLikelihood));
  }

  void bernoulliGgn() {
    SessionConfig c = networkSession("moons", "full");
    c.likelihood.name = "bernoulli";
    Trainer trainer(c);
    trainer.run();
    const LaplaceMethod& m = laplaceOf(trainer);
    const Index P = trainer.layout().parameterCount();
    const Eigen::MatrixXd ggn = bruteForceGgn(trainer, m.parameters().head(P), Vector());
    QVERIFY(relativeError(curvatureOf(trainer, HessianStructure::Full).dense, ggn) < kTight);
  }

  void kfacExactForOneLayerScalarGaussian() {
    // One layer, one Gaussian output: every example has G_n = 1 / sigma^2, so
    // sum_n A_n (x) G_n = (sum_n A_n) (x) (1/N) sum_n G_n.
    Trainer trainer(linearSession("kfac", 3));
    const DataCurvature kfac = curvatureOf(trainer, HessianStructure::Kfac);
    const DataCurvature full = curvatureOf(trainer, HessianStructure::Full);
    const auto& k = kfac.kronecker.front();
    QVERIFY(relativeError(kronecker(k.A, k.G), full.dense) < kTight);
    // Its eigen-decomposition is consistent with the factors.
    QVERIFY(relativeError(k.UA * k.a.asDiagonal() * k.UA.transpose(), k.A) < kTight);
    Eigen::VectorXd sortedKfac = kfac.spectrum, sortedFull = full.spectrum;
    std::sort(sortedKfac.data(), sortedKfac.data() + sortedKfac.size());
    std::sort(sortedFull.data(), sortedFull.data() + sortedFull.size());
    QVERIFY(relativeError(sortedKfac, sortedFull) < 1e-8);
  }

  void kfacApproximatesOtherwise() {
    // Three softmax outputs (one layer): G_n depends on the example, KFAC is an approximation.
    SessionConfig c = networkSession("blobs", "kfac");
    c.model.hidden = {};
    Trainer trainer(c);
    trainer.run();
    const DataCurvature kfac = curvatureOf(trainer, HessianStructure::Kfac);
    const DataCurvature full = curvatureOf(trainer, HessianStructure::Full);
    const auto& k = kfac.kronecker.front();
    const double error = relativeError(kronecker(k.A, k.G), full.dense);
    QVERIFY2(error > 1e-3 && error < 1.0, qPrintable(QString::number(error)));
  }

  void covarianceStructures_data() {
    QTest::addColumn<QString>("hessian");
    for (const std::string& id : hessianStructureIds())
      QTest::newRow(id.c_str()) << QString::fromStdString(id);
  }
  void covarianceStructures() {
    QFETCH(QString, hessian);
    Trainer trainer(networkSession("blundell", hessian.toStdString()));
    trainer.run();
    const auto post = std::dynamic_pointer_cast<const LaplacePosterior>(trainer.posterior());
    const LaplaceCovariance& cov = post->covariance();
    const DataCurvature& curvature = cov.curvature();
    const MlpLayout& layout = trainer.layout();
    const Index P = layout.parameterCount();
    const Eigen::VectorXd prior = priorCurvature(trainer.prior(), post->flatMean().data(), 0, P);
    QVERIFY(std::abs(prior(0) - 1.0) < 1e-9);  // N(0, 1): precision 1
    // Sigma from the dense precision of the same structure (zero outside the covered block).
    const Eigen::MatrixXd H = densePrecision(curvature, layout, prior);
    const Index off = curvature.coveredOffset, n = curvature.coveredCount();
    Eigen::MatrixXd sigma = Eigen::MatrixXd::Zero(P, P);
    sigma.bottomRightCorner(n, n) = H.bottomRightCorner(n, n).inverse();
    QVERIFY(relativeError(cov.marginalVariance(), sigma.diagonal()) < 1e-8);
    QVERIFY(std::abs(cov.logDetPrecision() - std::log(H.bottomRightCorner(n, n).determinant())) <
            1e-8 * std::max(1.0, std::abs(cov.logDetPrecision())));
    // Functional variances: J Sigma J^T with the explicit Jacobian.
    Matrix x(1, 5);
    x << -2.0, -0.5, 0.0, 0.7, 3.0;
    Matrix mean, variance;
    post->linearisedMoments(x, 1, mean, variance);
    const Eigen::MatrixXd J = jacobian(post->kernel(), post->flatMean(), x);
    const Eigen::VectorXd expected = (J * sigma * J.transpose()).diagonal();
    QVERIFY(relativeError(variance.row(0).transpose(), expected) < 1e-8);
    // Draws: their covariance is Sigma within 5 Monte Carlo standard errors per entry
    // (MCSE of a sample covariance of S Gaussian draws: sqrt((S_ii S_jj + S_ij^2) / S);
    // 5 rather than 4 because up to 27^2 entries are checked at once).
    const int S = 4000;
    const RandomStream rng(kSeedDraws);
    Eigen::MatrixXd draws(P, S);
    Vector eps(P);
    for (int s = 0; s < S; ++s) {
      post->sampleDeviation(rng, s, eps.data());
      draws.col(s) = eps;
    }
    const Eigen::MatrixXd empirical = draws * draws.transpose() / S;
    for (Index i = off; i < P; ++i)
      for (Index j = off; j < P; ++j) {
        const double se = std::sqrt((sigma(i, i) * sigma(j, j) + sigma(i, j) * sigma(i, j)) / S);
        QVERIFY2(
            std::abs(empirical(i, j) - sigma(i, j)) < 5 * se,
            qPrintable(
                QString("(%1,%2): %3 vs %4").arg(i).arg(j).arg(empirical(i, j)).arg(sigma(i, j))));
      }
    if (off > 0) QVERIFY(draws.topRows(off).isZero());
  }

  void glmDrawsAreLinearised() {
    Trainer trainer(networkSession("blundell", "kfac"));
    trainer.run();
    const auto post = std::dynamic_pointer_cast<const LaplacePosterior>(trainer.posterior());
    QCOMPARE(post->predictive(), LaplacePredictive::Linearised);
    const Vector w = post->flatMean();
    Matrix x(1, 4);
    x << -1.0, 0.1, 0.5, 2.0;
    // J v against central differences of the network.
    Vector v(w.size());
    RandomStream(5).fillNormal(v);
    MlpWorkspace ws;
    const Matrix f = post->kernel().forward(w.data(), x, ws);
    Matrix jv;
    jacobianVectorProduct(post->kernel(), w.data(), x, ws, v.data(), jv);
    const double h = 1e-6;
    MlpWorkspace wp, wm;
    const Vector plus = w + h * v, minus = w - h * v;
    const Matrix numeric =
        (post->kernel().forward(plus.data(), x, wp) - post->kernel().forward(minus.data(), x, wm)) /
        (2 * h);
    QVERIFY(relativeError(jv, numeric) < 1e-7);
    // Draw s is f(x; w*) + J(x) eps_s, with eps_s the same deviation sampleDeviation gives.
    std::vector<Matrix> out;
    const RandomStream rng(8);
    post->sampleOutputs(x, 3, rng, 2, out);
    Vector eps(w.size());
    post->sampleDeviation(rng, 2, eps.data());
    Matrix expected;
    jacobianVectorProduct(post->kernel(), w.data(), x, ws, eps.data(), expected);
    QVERIFY(relativeError(out[2], expected + f) < 1e-12);
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

  void snapshotsAreCachedAndThreadIndependent() {
    Trainer trainer(networkSession("blundell", "kfac"));
    trainer.run(10);
    const auto a = trainer.posterior();
    QVERIFY(trainer.posterior() == a);  // parameters unchanged: the same snapshot
    trainer.run(1);
    QVERIFY(trainer.posterior() != a);
    for (const std::string& id : hessianStructureIds()) {
      const HessianStructure s = hessianStructureFromId(id);
      const DataCurvature one = curvatureOf(trainer, s, 1), two = curvatureOf(trainer, s, 2);
      QVERIFY(one.spectrum == two.spectrum);
      QVERIFY(one.logLikelihood == two.logLikelihood);
    }
  }

  void priorCurvatures() {
    Vector w(3);
    w << -2.0, 0.1, 5.0;
    const Eigen::VectorXd g = priorCurvature(GaussianPrior(0.5), w.data(), 0, 3);
    QVERIFY((g.array() - 4.0).abs().maxCoeff() < 1e-9);
    // The Laplace prior is flat in curvature away from 0.
    const Eigen::VectorXd l = priorCurvature(LaplacePrior(1.0), w.data(), 0, 3);
    QVERIFY(std::abs(l(0)) < 1e-9 && std::abs(l(2)) < 1e-9);
  }

  void rejectsTooLargeFullLaplace() {
    SessionConfig c = networkSession("blundell", "full");
    c.model.hidden = {64, 64};
    bool threw = false;
    try {
      Trainer trainer(c);
    } catch (const InputError& e) {
      threw = true;
      QCOMPARE(QString::fromStdString(e.field()), QString("method.hessian"));
    }
    QVERIFY(threw);
  }
};

QTEST_APPLESS_MAIN(TestLaplace)
#include "test_laplace.moc"
