// Multiplicative normalising flows (double precision): the flows' log-
// determinants against finite-difference Jacobians and their inverses, the
// flows' and the whole objective's gradients by finite differences, the KL
// against the mean-field closed form when z = 1, the layer's output moments
// against local reparameterisation's, the posterior's marginal moments against
// its draws, the parameter count against the descriptor's formula, 1 vs 2
// threads, and a short training run.
#include <QtTest>

#include <Eigen/LU>

#include "engine/likelihood/gaussian_likelihood.h"
#include "engine/methods/mnf/mnf_kernel.h"
#include "engine/methods/mnf/mnf_method.h"
#include "engine/methods/mnf/mnf_posterior.h"
#include "engine/prior/diagonal_gaussian_prior.h"
#include "engine/prior/gaussian_prior.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

constexpr std::uint64_t kMaskSeed = 5;

// log |det J| of f at one point by central differences.
template <class F>
double finiteDifferenceLogDet(const F& f, const Vector& z, double h = 1e-6) {
  const Index D = z.size();
  Eigen::MatrixXd jacobian(D, D);
  for (Index j = 0; j < D; ++j) {
    Vector plus = z, minus = z;
    plus(j) += h;
    minus(j) -= h;
    jacobian.col(j) = ((f(plus) - f(minus)) / (2 * h)).template cast<double>();
  }
  return std::log(std::abs(jacobian.determinant()));
}

Vector randomVector(Index n, std::uint64_t seed, double scale = 1.0) {
  RandomStream rng(seed);
  Vector v(n);
  rng.fillNormal(v);
  return v * scale;
}

// J = sum v . z_K + gamma sum log det over n columns, as a function of
// [flow parameters | z_0], the masks fixed by kMaskSeed.
double flowObjective(const NormalisingFlow& flow, const Vector& x, Vector* gradient, Index n,
                     const Matrix& v, double gamma) {
  const Index np = flow.parameterCount(), D = flow.dim();
  Matrix z = ConstMatrixMap(x.data() + np, D, n);
  NormalisingFlow::Tape tape;
  tape.resize(flow, n);
  NormalisingFlow::Scratch scratch;
  scratch.resize(flow, n);
  RandomStream masks(kMaskSeed);
  Vector logDet = Vector::Zero(n);
  flow.forward(x.data(), z, tape, 0, masks, logDet.data(), scratch);
  const double value = (v.array() * z.array()).sum() + gamma * logDet.sum();
  if (gradient) {
    gradient->resize(x.size());
    Matrix dz = v;
    flow.backward(x.data(), dz, tape, 0, gamma, scratch);
    flow.parameterGradient(x.data(), tape, 0, n, gradient->data(), false);
    gradient->tail(D * n) = ConstVectorMap(dz.data(), D * n);
  }
  return value;
}

SessionConfig mnfSession(const std::string& dataset, std::vector<int> hidden = {6, 5}) {
  SessionConfig c = smallSession(dataset, "mnf", std::move(hidden));
  c.model.activation = "tanh";
  return c;
}

}  // namespace

class TestMnf : public QObject {
  Q_OBJECT
 private slots:
  // A coupling step with a fixed mask: its log-determinant is log |det| of the
  // finite-difference Jacobian, and inverse() undoes it.
  void couplingStepLogDetAndInverse_data() {
    QTest::addColumn<int>("dim");
    QTest::addColumn<int>("hidden");
    QTest::newRow("D 2, H 3") << 2 << 3;
    QTest::newRow("D 7, H 5") << 7 << 5;
  }
  void couplingStepLogDetAndInverse() {
    QFETCH(int, dim);
    QFETCH(int, hidden);
    const CouplingFlow step(dim, hidden);
    Vector params(step.parameterCount());
    RandomStream rng(11);
    step.initialise(rng, params.data());
    params += randomVector(params.size(), 12, 0.3);  // move off the initial gate bias
    Matrix mask(dim, 1);
    RandomStream maskRng(13);
    fillHalfBernoulli(maskRng, mask.data(), dim);
    mask(0, 0) = 1;  // at least one kept and one transformed entry
    mask(dim - 1, 0) = 0;
    Matrix input(dim, 1), h(hidden, 1), out(2 * dim, 1), u(dim, 1);
    const auto f = [&](const Vector& z) {
      Matrix zz = z;
      step.forward(params.data(), mask, zz, input, h, out, u, nullptr);
      return Vector(zz.col(0));
    };
    const Vector z0 = randomVector(dim, 14);
    Matrix z = z0;
    Real logDet = 0;
    step.forward(params.data(), mask, z, input, h, out, u, &logDet);
    QVERIFY(std::abs(logDet) > 1e-3);
    QVERIFY2(std::abs(logDet - finiteDifferenceLogDet(f, z0)) < 1e-7,
             qPrintable(QString("log det %1, finite differences %2")
                            .arg(logDet)
                            .arg(finiteDifferenceLogDet(f, z0))));
    step.inverse(params.data(), mask, z, h, out, u);
    QVERIFY((z.col(0) - z0).norm() < 1e-12);
  }

  // Planar steps (D = 1, as MNF uses them, and D = 3): log-determinant against
  // finite differences.
  void planarStepLogDet_data() {
    QTest::addColumn<int>("dim");
    QTest::newRow("D 1") << 1;
    QTest::newRow("D 3") << 3;
  }
  void planarStepLogDet() {
    QFETCH(int, dim);
    const PlanarFlow step(dim);
    Vector params = randomVector(step.parameterCount(), 21);
    Matrix input(dim, 1), t(1, 1);
    const auto f = [&](const Vector& z) {
      Matrix zz = z;
      step.forward(params.data(), zz, input, t, nullptr);
      return Vector(zz.col(0));
    };
    for (std::uint64_t point = 0; point < 4; ++point) {
      const Vector z0 = randomVector(dim, 30 + point);
      Matrix z = z0;
      Real logDet = 0;
      step.forward(params.data(), z, input, t, &logDet);
      QVERIFY2(std::abs(logDet - finiteDifferenceLogDet(f, z0)) < 1e-7,
               qPrintable(QString("log det %1, finite differences %2")
                              .arg(logDet)
                              .arg(finiteDifferenceLogDet(f, z0))));
    }
  }

  // A whole flow (K steps, fresh masks per column and step): the stacked
  // log-determinant per column, inverse consistency, and the backward pass's
  // gradients of J = sum v . z_K + gamma sum log det with respect to the
  // parameters and z_0 against finite differences.
  void flowGradientsAndInverse_data() {
    QTest::addColumn<int>("dim");
    QTest::addColumn<int>("steps");
    QTest::newRow("coupling, D 6, K 3") << 6 << 3;
    QTest::newRow("planar, D 1, K 2") << 1 << 2;
  }
  void flowGradientsAndInverse() {
    QFETCH(int, dim);
    QFETCH(int, steps);
    const Index n = 4;
    const NormalisingFlow flow(dim, steps, 4);
    Vector x(flow.parameterCount() + dim * n);
    RandomStream rng(41);
    flow.initialise(rng, x.data());
    x.head(flow.parameterCount()) += randomVector(flow.parameterCount(), 42, 0.3);
    x.tail(dim * n) = randomVector(dim * n, 43);
    const Matrix v = ConstMatrixMap(randomVector(dim * n, 44).data(), dim, n);

    // Column 1's log-determinant against finite differences of the flow.
    Matrix z = ConstMatrixMap(x.data() + flow.parameterCount(), dim, n);
    NormalisingFlow::Tape tape;
    tape.resize(flow, n);
    NormalisingFlow::Scratch scratch;
    scratch.resize(flow, n);
    RandomStream masks(kMaskSeed);
    Vector logDet = Vector::Zero(n);
    flow.forward(x.data(), z, tape, 0, masks, logDet.data(), scratch);
    const auto f = [&](const Vector& z0) {
      Matrix all = ConstMatrixMap(x.data() + flow.parameterCount(), dim, n);
      all.col(1) = z0;
      NormalisingFlow::Tape t;
      t.resize(flow, n);
      RandomStream m(kMaskSeed);
      flow.forward(x.data(), all, t, 0, m, nullptr, scratch);
      return Vector(all.col(1));
    };
    const Vector z1 = ConstMatrixMap(x.data() + flow.parameterCount(), dim, n).col(1);
    QVERIFY2(std::abs(logDet(1) - finiteDifferenceLogDet(f, z1)) < 1e-7,
             qPrintable(QString("log det %1, finite differences %2")
                            .arg(logDet(1))
                            .arg(finiteDifferenceLogDet(f, z1))));
    if (!flow.planar()) {
      Matrix hidden, out;
      flow.inverse(x.data(), z, tape, 0, scratch, hidden, out);
      QVERIFY((z - ConstMatrixMap(x.data() + flow.parameterCount(), dim, n)).norm() < 1e-12);
    }

    const auto objective = [&](const Vector& point, Vector* gradient) {
      return flowObjective(flow, point, gradient, n, v, -0.8);
    };
    GradientCheckOptions o;
    o.maxCoordinates = 0;
    const auto r = checkGradient(objective, x, o);
    BAYESLAB_VERIFY_GRADIENT(r);
  }

  // The whole objective (data term, flows of q and r, the weights' KL, r's
  // c^T W, biases) against finite differences, the step's noise held fixed.
  // Blundell data has one input: the first layer's flows are planar.
  void objectiveGradient_data() {
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<bool>("learnNoise");
    QTest::addColumn<int>("samples");
    QTest::addColumn<QString>("prior");
    QTest::addColumn<int>("batch");
    QTest::newRow("regression, planar first layer") << "blundell" << false << 1 << "gaussian" << 16;
    QTest::newRow("regression, learned noise, 3 samples")
        << "heteroscedastic" << true << 3 << "gaussian" << 16;
    QTest::newRow("softmax, coupling flows, 2 samples")
        << "spiral" << false << 2 << "gaussian" << 16;
    QTest::newRow("softmax, chunked batch") << "blobs" << false << 1 << "gaussian" << 40;
    QTest::newRow("empirical Bayes prior") << "moons" << false << 1 << "empirical_bayes" << 16;
    QTest::newRow("Monte Carlo weight KL") << "blundell" << false << 2 << "monte_carlo" << 16;
  }
  void objectiveGradient() {
    QFETCH(QString, dataset);
    QFETCH(bool, learnNoise);
    QFETCH(int, samples);
    QFETCH(QString, prior);
    QFETCH(int, batch);
    SessionConfig c = mnfSession(dataset.toStdString());
    c.method.options.set("flow_hidden", 4.0);
    c.likelihood.learnNoise = learnNoise;
    if (prior == "empirical_bayes") c.prior.name = "empirical_bayes";
    Trainer trainer(c);
    auto& m = dynamic_cast<MnfMethod&>(trainer.methodState());
    if (prior == "monte_carlo") m.setPrior(std::make_shared<MonteCarloOnlyGaussian>(1.0));
    // Away from the initialisation: sigma near 0.2 and every flow parameter moved.
    const Index P = trainer.layout().parameterCount();
    Vector params = m.parameters();
    const Vector jitter = randomVector(params.size(), 17);
    params.head(P) += 0.3 * jitter.head(P);
    params.segment(P, P).array() = -1.5 + 0.2 * jitter.segment(P, P).array();
    params.tail(params.size() - 2 * P) += 0.1 * jitter.tail(params.size() - 2 * P);
    const Batch b = firstBatch(trainer.data().train, batch);
    GradientCheckOptions o;
    o.tolerance = 2e-5;
    o.maxCoordinates = 0;  // every coordinate
    const auto r = checkGradient(methodObjective(m, stepInput(trainer, b, samples)), params, o);
    BAYESLAB_VERIFY_GRADIENT(r);
  }

  // No auxiliary parameter is dead: over a few steps' noise (a single draw of
  // r's flow can have every mask entry kept, which leaves its step idle) every
  // base mean, c, b1, b2 and some of every flow gets a gradient.
  void everyAuxiliaryParameterHasAGradient() {
    Trainer trainer(mnfSession("spiral"));
    auto& m = dynamic_cast<MnfMethod&>(trainer.methodState());
    const Batch b = firstBatch(trainer.data().train, 16);
    Vector gradient(m.parameters().size()), total = Vector::Zero(m.parameters().size());
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
      StepInput input = stepInput(trainer, b, 1);
      input.rng = RandomStream(seed);
      StepStats stats;
      m.evaluate(input, m.parameters(), &gradient, stats);
      total += gradient.cwiseAbs();
    }
    const Index P = trainer.layout().parameterCount();
    const MnfStructure& s = m.structure();
    for (Index l = 0; l < trainer.layout().layerCount(); ++l) {
      const MnfLayerBlock& block = s.layer(l);
      const auto q = total.segment(2 * P + block.noiseOffset, block.noise.parameterCount());
      const auto r = total.segment(2 * P + block.auxiliaryOffset, block.auxiliary.parameterCount());
      const Index D = block.noise.dim();
      QVERIFY(q.head(2 * D).minCoeff() > 0);  // base means and log variances
      QVERIFY(r.head(3 * D).minCoeff() > 0);  // c, b1, b2
      const NormalisingFlow& qFlow = block.noise.flow();
      const NormalisingFlow& rFlow = block.auxiliary.flow();
      for (Index k = 0; k < qFlow.steps(); ++k) {
        QVERIFY(q.segment(2 * D + k * qFlow.stepParameterCount(), qFlow.stepParameterCount())
                    .maxCoeff() > 0);
        QVERIFY(r.segment(3 * D + k * rFlow.stepParameterCount(), rFlow.stepParameterCount())
                    .maxCoeff() > 0);
      }
    }
  }

  // With z fixed at 1 and no flows, MNF's KL is the mean-field closed form
  // sum KL(N(mu, sigma^2) || N(0, s^2)) over all weights and biases.
  void fixedMultipliersGiveTheMeanFieldKl() {
    SessionConfig c = mnfSession("blundell");
    c.method.options.set("flow_length", 0.0);
    c.prior.options.set("scale", 0.7);
    Trainer trainer(c);
    auto& m = dynamic_cast<MnfMethod&>(trainer.methodState());
    m.setFixedMultipliersForTesting(true);
    const Index P = trainer.layout().parameterCount();
    Vector params = m.parameters();
    const Vector jitter = randomVector(params.size(), 3);
    params.head(P) += 0.5 * jitter.head(P);
    params.segment(P, P).array() = -1.0 + 0.3 * jitter.segment(P, P).array();
    const Batch b = firstBatch(trainer.data().train, 16);
    StepStats stats;
    m.evaluate(stepInput(trainer, b, 1), params, nullptr, stats);
    const Vector sigma = params.segment(P, P).array().exp().matrix();
    const double expected =
        GaussianPrior(0.7).klGaussian(params.data(), sigma.data(), P, 0, nullptr, nullptr);
    QVERIFY2(std::abs(stats.kl - expected) < 1e-10 * std::abs(expected),
             qPrintable(QString("MNF KL %1, mean-field %2").arg(stats.kl).arg(expected)));
  }

  // A per-entry prior (what sequential learning hands over) lines up entry by
  // entry: N(0, s^2) written as a DiagonalGaussianPrior gives the same KL and
  // gradient as the GaussianPrior.
  void diagonalPriorMatchesItsGaussian() {
    SessionConfig c = mnfSession("spiral");
    Trainer trainer(c);
    auto& m = dynamic_cast<MnfMethod&>(trainer.methodState());
    const Index P = trainer.layout().parameterCount();
    const Batch b = firstBatch(trainer.data().train, 16);
    Vector g1(m.parameters().size()), g2(m.parameters().size());
    StepStats s1, s2;
    m.evaluate(stepInput(trainer, b, 1), m.parameters(), &g1, s1);
    m.setPrior(std::make_shared<DiagonalGaussianPrior>(Vector::Zero(P), Vector::Ones(P), "N(0,1)"));
    m.evaluate(stepInput(trainer, b, 1), m.parameters(), &g2, s2);
    QVERIFY(std::abs(s1.kl - s2.kl) < 1e-9 * std::abs(s1.kl));
    QVERIFY((g1 - g2).norm() < 1e-9 * g1.norm());
  }

  // Sequential learning runs end to end: after the first part the prior is the
  // posterior's marginal moments, taken entry by entry.
  void sequentialLearningHandsOverTheMarginals() {
    SessionConfig c = mnfSession("blundell", {8});
    c.dataset.nTrain = 60;
    c.training.steps = 40;
    c.sequential.parts = 2;
    Trainer t(c);
    QVERIFY(t.method().traits.sequential);
    t.run(20);
    const auto first = t.posterior();
    t.run();
    QVERIFY(t.status() == TrainerStatus::Finished);
    const auto* prior = dynamic_cast<const DiagonalGaussianPrior*>(&t.prior());
    QVERIFY(prior != nullptr);
    QVERIFY(prior->mean() == first->flatMean());
    QVERIFY(prior->std() == first->flatStd());
    QVERIFY(std::isfinite(t.history().back().kl));
  }

  // For a fixed z (a degenerate base, no flow) the layer's outputs over the
  // noise have mean (x . z) mu + mu_b and variance x^2 sigma^2 + sigma_b^2:
  // Monte Carlo means within 4 standard errors, variances within 4 standard
  // errors of the sample variance (sd(s^2) ~ sigma^2 sqrt(2 / (S - 1))).
  void layerOutputMomentsForFixedMultipliers() {
    const MlpLayout layout(3, {}, 2);
    const MnfStructure structure(layout, 0, 4);
    auto likelihood = std::make_shared<GaussianLikelihood>(0.1, false);
    MnfKernel kernel(structure, Activation::Tanh, likelihood);
    const Index P = layout.parameterCount();
    const Vector mu = randomVector(P, 51);
    const Vector sigma = (randomVector(P, 52, 0.3).array() - 1.0).exp().matrix();
    const Vector variance = sigma.array().square().matrix();
    Vector auxiliary = Vector::Zero(structure.auxiliaryCount());
    const Vector z = (Vector(3) << 0.5, 1.3, -0.7).finished();
    const Index q = structure.layer(0).noiseOffset;
    auxiliary.segment(q, 3) = z;
    auxiliary.segment(q + 3, 3).setConstant(-300.0);  // base sd e^-150: z = m exactly
    Batch batch;
    batch.inputs = ConstMatrixMap(randomVector(6, 53).data(), 3, 2);
    batch.targets = Matrix::Zero(2, 2);
    const Index S = 4000;
    MnfKernel::Arguments args;
    args.batch = &batch;
    args.samples = S;
    args.mu = mu.data();
    args.variance = variance.data();
    args.auxiliary = auxiliary.data();
    args.rng = RandomStream(54);
    kernel.begin(args);
    for (Index u = 0; u < kernel.unitCount(); ++u) kernel.runUnit(u, args);
    const Matrix& out = kernel.lastOutput();
    const ConstMatrixMap muW(mu.data(), 2, 3), varW(variance.data(), 2, 3);
    for (Index i = 0; i < 2; ++i) {
      const Vector x = batch.inputs.col(i);
      const Vector mean = muW * x.cwiseProduct(z) + mu.tail(2);
      const Vector var = varW * x.cwiseAbs2() + variance.tail(2);
      for (Index j = 0; j < 2; ++j) {
        double sum = 0, sumSquares = 0;
        for (Index s = 0; s < S; ++s) {
          const double o = out(j, s * 2 + i);
          sum += o;
          sumSquares += o * o;
        }
        const double m = sum / S, v = (sumSquares - S * m * m) / (S - 1);
        QVERIFY2(std::abs(m - mean(j)) < 4 * std::sqrt(var(j) / S),
                 qPrintable(QString("mean %1, expected %2").arg(m).arg(mean(j))));
        QVERIFY2(std::abs(v - var(j)) < 4 * var(j) * std::sqrt(2.0 / (S - 1)),
                 qPrintable(QString("variance %1, expected %2").arg(v).arg(var(j))));
      }
    }
  }

  // The posterior's marginal moments E[z] mu and sqrt(Var[z] mu^2 + sigma^2)
  // agree with the moments of its function draws' weights (within 5 standard
  // errors of the draws, plus the moment estimate's own error).
  void posteriorMomentsMatchItsDraws() {
    Trainer trainer(mnfSession("spiral", {5}));
    trainer.run(20);
    const auto posterior = std::dynamic_pointer_cast<const MnfPosterior>(trainer.posterior());
    QVERIFY(posterior);
    const Index P = trainer.layout().parameterCount(), S = 4000;
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(P), sumSquares = Eigen::VectorXd::Zero(P);
    Vector w(P);
    const RandomStream rng(61);
    for (Index s = 0; s < S; ++s) {
      posterior->sampleWeights(rng, s, w.data());
      sum += w.cast<double>();
      sumSquares += w.cast<double>().cwiseAbs2();
    }
    const Eigen::VectorXd mean = sum / S;
    const Eigen::VectorXd sd = (sumSquares / S - mean.cwiseAbs2()).cwiseMax(0).cwiseSqrt();
    const Vector flatMean = posterior->flatMean(), flatStd = posterior->flatStd();
    const double momentDraws = MnfPosterior::kMomentDraws;
    for (Index i = 0; i < P; ++i) {
      const double error = sd(i) * (5 / std::sqrt(double(S)) + 5 / std::sqrt(momentDraws));
      QVERIFY2(std::abs(mean(i) - flatMean(i)) < error + 1e-12,
               qPrintable(QString("%1: mean %2 vs %3").arg(i).arg(mean(i)).arg(flatMean(i))));
      QVERIFY2(std::abs(sd(i) - flatStd(i)) < 0.15 * sd(i) + 1e-12,
               qPrintable(QString("%1: sd %2 vs %3").arg(i).arg(sd(i)).arg(flatStd(i))));
    }
    // Draws of z vary (the flow is not degenerate) and the weights' spread
    // exceeds sigma wherever mu is not tiny.
    QVERIFY(posterior->multiplierVariance(0).minCoeff() > 0);
    QVERIFY((flatStd.array() >= posterior->conditionalStd().array() - 1e-12).all());
  }

  // parameterCount() minus the likelihood's and the prior's parameters equals
  // the descriptor's formula.
  void parameterCountMatchesTheFormula_data() {
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<int>("flowLength");
    QTest::addColumn<int>("flowHidden");
    QTest::addColumn<bool>("learnNoise");
    QTest::addColumn<QString>("prior");
    QTest::newRow("one input: planar") << "blundell" << 2 << 50 << false << "gaussian";
    QTest::newRow("learned noise, K 3") << "cubic" << 3 << 7 << true << "gaussian";
    QTest::newRow("two inputs: coupling") << "moons" << 2 << 50 << false << "gaussian";
    QTest::newRow("no flow, empirical Bayes") << "spiral" << 0 << 5 << false << "empirical_bayes";
  }
  void parameterCountMatchesTheFormula() {
    QFETCH(QString, dataset);
    QFETCH(int, flowLength);
    QFETCH(int, flowHidden);
    QFETCH(bool, learnNoise);
    QFETCH(QString, prior);
    SessionConfig c = mnfSession(dataset.toStdString(), {9, 4});
    c.method.options.set("flow_length", flowLength);
    c.method.options.set("flow_hidden", flowHidden);
    c.likelihood.learnNoise = learnNoise;
    c.prior.name = prior.toStdString();
    Trainer trainer(c);
    const MethodDescriptor& d = trainer.method();
    const OptionValues options = withDefaults(d.options, c.method.options);
    const Index extra =
        trainer.likelihood().parameterCount() + trainer.prior().hyperparameterCount();
    QCOMPARE(trainer.parameterCount() - extra, d.formulaParameterCount(trainer.layout(), options));
    QVERIFY(!d.parameterFormula.empty());
  }

  // The w6 network's count: the PyTorch reference's MNFLinear has the same
  // learned scalars (2,403,912).
  void mnistNetworkCount() {
    const MethodDescriptor* d = findMethod("mnf");
    QVERIFY(d);
    const MlpLayout layout(784, {400, 400}, 10);
    QCOMPARE(d->formulaParameterCount(layout, OptionValues::defaults(d->options)), Index(2403912));
  }

  void oneVersusTwoThreads_data() {
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("samples");
    QTest::newRow("regression") << "blundell" << 16 << 1;
    QTest::newRow("wide net, several KL units, 2 samples") << "spiral" << 160 << 2;
  }
  void oneVersusTwoThreads() {
    QFETCH(QString, dataset);
    QFETCH(int, width);
    QFETCH(int, samples);
    SessionConfig c = smallSession(dataset.toStdString(), "mnf", {width, width});
    c.dataset.nTrain = 200;
    c.training.steps = 6;
    c.training.batchSize = 96;
    c.training.mcSamples = samples;
    c.training.evalEvery = 3;
    std::vector<std::vector<double>> elbo(2);
    std::vector<Vector> mean(2), spread(2);
    std::vector<double> testLogLik(2);
    for (int threads = 1; threads <= 2; ++threads) {
      c.training.threads = threads;
      Trainer t(c);
      t.run();
      const auto k = static_cast<size_t>(threads - 1);
      for (const MetricsRow& row : t.history()) elbo[k].push_back(row.elbo);
      mean[k] = t.posterior()->flatMean();
      spread[k] = t.posterior()->flatStd();
      testLogLik[k] = t.evaluateTest(8).logLikelihood;
    }
    QCOMPARE(elbo[0].size(), size_t(6));
    QVERIFY(elbo[0] == elbo[1]);  // bitwise
    QVERIFY(mean[0] == mean[1]);
    QVERIFY(spread[0] == spread[1]);
    QCOMPARE(testLogLik[0], testLogLik[1]);
  }

  // Known behaviour: MNF learns the embedded MNIST digits 0-4 (5 classes) in a
  // few hundred steps, and its bound rises.
  void learnsDigits() {
    SessionConfig c;
    c.dataset.name = "mnist";
    c.dataset.nTrain = 2000;
    c.dataset.nTest = 500;
    c.dataset.options.set("digits", "0-4");
    c.model.hidden = {64};
    c.method.name = "mnf";
    c.training.steps = 300;
    c.training.batchSize = 64;
    c.training.learningRate = 0.003;
    c.training.threads = 2;
    c.training.evalEvery = 100000;
    Trainer t(c);
    t.run();
    QVERIFY(t.status() == TrainerStatus::Finished);
    const TestMetrics m = t.evaluateTest(8);
    QVERIFY2(m.accuracy > 0.9, qPrintable(QString("test accuracy %1").arg(m.accuracy)));
    QVERIFY2(m.logLikelihood > -0.4, qPrintable(QString("test log lik %1").arg(m.logLikelihood)));
    const auto& h = t.history();
    QVERIFY(h.back().elbo > h.front().elbo);
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestMnf)
#include "test_mnf.moc"
