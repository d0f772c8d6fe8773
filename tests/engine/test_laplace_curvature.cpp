// The Laplace curvatures and covariances (engine/methods/laplace/), in double precision:
//  - against brute force from explicit per-example Jacobians (the kernel's own backward
//    pass, one output at a time): the full GGN for Gaussian, Bernoulli and softmax
//    likelihoods, its diagonal and last-layer block, the empirical Fisher, and KFAC = GGN
//    for one layer with a scalar Gaussian output (and not otherwise);
//  - the covariance structures: marginal variances, functional variances J Sigma J^T and
//    log det H against dense matrices built from them, and draws with covariance Sigma
//    (within 5 Monte Carlo standard errors per entry);
//  - the linearised network's J v against finite differences; GLM draws;
//  - finite-difference checks of the MAP objective (also with a learned noise and under the
//    evidence-tuned prior) and of the samplers' log joint (SGLD, HMC);
//  - the prior curvature; curvatures do not depend on the thread count.
#include <QtTest>
#include <cmath>

#include "engine/methods/common/log_joint.h"
#include "engine/methods/laplace/linearised_network.h"
#include "engine/methods/laplace/prior_curvature.h"
#include "engine/prior/gaussian_prior.h"
#include "engine/prior/laplace_prior.h"
#include "tests/engine/laplace_fixtures.h"
#include "tests/support/test_main.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {
constexpr std::uint64_t kSeedDraws = 31;
}

class TestLaplaceCurvature : public QObject {
  Q_OBJECT
 private slots:
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
};

BAYESLAB_TEST_APPLESS_MAIN(TestLaplaceCurvature)
#include "test_laplace_curvature.moc"
