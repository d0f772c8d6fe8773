// Gradients of the variational family, in double precision:
//  - finite-difference checks of the whole objectives of bbb_lrt, bbb_flipout,
//    mc_dropout and ensemble (the step's noise held fixed by reusing its rng), for
//    regression with fixed and learned noise and for classification, several Monte
//    Carlo samples and batches cut into chunks; and of the score d log q / d(mu, sigma)
//    that bbvi weights by the log-likelihood;
//  - unbiasedness of the four data-term estimators against the exact gradient of a
//    linear-Gaussian model, with a check that the test would catch a 5% bias;
//  - the variance ordering that motivates them: local reparameterisation below the
//    plain reparameterisation trick, the score function far above both.
#include <QtTest>
#include <algorithm>
#include <atomic>

#include "engine/diagnostics/gradient_variance.h"
#include "engine/likelihood/gaussian_likelihood.h"
#include "engine/methods/bbb_flipout/flipout_kernel.h"
#include "engine/methods/bbb_lrt/local_reparameterisation_kernel.h"
#include "engine/methods/bbvi/mean_field_score.h"
#include "engine/methods/common/initialisation.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

// Number of standard errors within which each coordinate of a mean estimate must
// match the exact gradient. With 8 coordinates per estimator and fixed seeds, a
// correct estimator exceeds it with probability < 1e-3.
constexpr double kZLimit = 4.0;
// The bias the unbiasedness test must be able to see: an estimator whose mean is
// (1 - kBias) times the true gradient has to fail.
constexpr double kBias = 0.05;

bool isMeanField(const QString& method) {
  return method.startsWith("bb");
}

// y = w^T x + b + noise on d inputs, B examples, inputs N(0, 1).
Batch linearBatch(Index d, Index B, double noise, std::uint64_t seed) {
  RandomStream rng(seed);
  Dataset data;
  data.task = Task::Regression;
  data.inputs.resize(d, B);
  data.targets.resize(1, B);
  rng.fillNormal(data.inputs);
  Vector w(d);
  rng.fillNormal(w);
  for (Index i = 0; i < B; ++i)
    data.targets(0, i) = w.dot(data.inputs.col(i)) + Real(0.3) + Real(noise * rng.normal());
  return firstBatch(data, B);
}

struct ExactGradient {
  Eigen::VectorXd mu, sigma;
};

// dD/d(mu, sigma) of D = sum_i E_q[log N(y_i; w^T x_i + w_b, s^2)]
//   = sum_i -((y_i - mu^T x_i - mu_b)^2 + sum_j sigma_j^2 x_ij^2 + sigma_b^2) / (2 s^2) + const.
ExactGradient linearGaussianGradient(const Batch& batch, const Vector& mu, const Vector& sigma,
                                     double s) {
  const Index d = batch.inputs.rows(), B = batch.size();
  const double inv = 1.0 / (s * s);
  ExactGradient g;
  g.mu = Eigen::VectorXd::Zero(d + 1);
  g.sigma = Eigen::VectorXd::Zero(d + 1);
  for (Index i = 0; i < B; ++i) {
    const double r = batch.targets(0, i) - mu.head(d).dot(batch.inputs.col(i)) - mu(d);
    for (Index j = 0; j < d; ++j) {
      const double x = batch.inputs(j, i);
      g.mu(j) += r * x * inv;
      g.sigma(j) -= sigma(j) * x * x * inv;
    }
    g.mu(d) += r * inv;
    g.sigma(d) -= sigma(d) * inv;
  }
  return g;
}

// Largest |z| of a mean estimate against `target`, z = (mean - target) / se.
double largestZ(const Eigen::VectorXd& mean, const Eigen::VectorXd& variance, int repetitions,
                const Eigen::VectorXd& target, double scale = 1.0) {
  const Eigen::ArrayXd se = (variance.array() / repetitions).sqrt() * scale;
  return ((scale * mean - target).array().abs() / se).maxCoeff();
}

}  // namespace

class TestGradientEstimators : public QObject {
  Q_OBJECT
 private slots:
  void objectiveGradient_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("prior");
    QTest::addColumn<bool>("learnNoise");
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("batch");
    for (const char* m : {"bbb_lrt", "bbb_flipout"}) {
      const QString method(m);
      QTest::addRow("%s regression", m) << method << "blundell"
                                        << "gaussian" << false << 1 << 16;
      QTest::addRow("%s learned noise, 3 samples, chunked", m) << method << "heteroscedastic"
                                                               << "gaussian" << true << 3 << 70;
      QTest::addRow("%s softmax, 2 samples, chunked", m) << method << "spiral"
                                                         << "gaussian" << false << 2 << 70;
      QTest::addRow("%s bernoulli", m) << method << "moons"
                                       << "gaussian" << false << 1 << 16;
    }
    QTest::newRow("mc_dropout regression, chunked") << "mc_dropout"
                                                    << "blundell"
                                                    << "gaussian" << false << 1 << 40;
    QTest::newRow("mc_dropout learned noise, 2 samples") << "mc_dropout"
                                                         << "cubic"
                                                         << "gaussian" << true << 2 << 16;
    QTest::newRow("mc_dropout softmax, dropped inputs, chunked") << "mc_dropout"
                                                                 << "blobs"
                                                                 << "gaussian" << false << 2 << 70;
    QTest::newRow("mc_dropout empirical Bayes prior") << "mc_dropout"
                                                      << "blundell"
                                                      << "empirical_bayes" << false << 1 << 16;
    QTest::newRow("ensemble regression, chunked") << "ensemble"
                                                  << "blundell"
                                                  << "gaussian" << false << 1 << 40;
    QTest::newRow("ensemble learned noise") << "ensemble"
                                            << "heteroscedastic"
                                            << "gaussian" << true << 1 << 16;
    QTest::newRow("ensemble softmax") << "ensemble"
                                      << "spiral"
                                      << "gaussian" << false << 1 << 16;
    QTest::newRow("ensemble empirical Bayes prior") << "ensemble"
                                                    << "blundell"
                                                    << "empirical_bayes" << false << 1 << 16;
  }
  void objectiveGradient() {
    QFETCH(QString, method);
    QFETCH(QString, dataset);
    QFETCH(QString, prior);
    QFETCH(bool, learnNoise);
    QFETCH(int, samples);
    QFETCH(int, batch);
    if (!findPrior(prior.toStdString())) QSKIP("prior not available in this build");
    SessionConfig c = smallSession(dataset.toStdString(), method.toStdString(), {6, 5});
    c.dataset.nTrain = 80;        // batches of 40 and 70 are cut into 2 chunks
    c.model.activation = "tanh";  // smooth, so finite differences are accurate everywhere
    c.likelihood.learnNoise = learnNoise;
    c.prior.name = prior.toStdString();
    if (dataset == "moons") c.likelihood.name = "bernoulli";
    if (method == "mc_dropout") {
      c.method.options.set("rate", 0.3);
      c.method.options.set("drop_input", dataset == "blobs" ? 1.0 : 0.0);
    }
    if (method == "ensemble") c.method.options.set("members", 3.0);
    Trainer trainer(c);
    auto& m = dynamic_cast<GradientMethod&>(trainer.methodState());
    // Move away from the initialisation so sigma is not tiny and all terms matter.
    Vector params = m.parameters();
    RandomStream rng(17);
    Vector jitter(params.size());
    rng.fillNormal(jitter);
    params += 0.3 * jitter;
    if (isMeanField(method)) {
      const Index P = trainer.layout().parameterCount();
      params.segment(P, P).array() = -1.0 + 0.2 * jitter.segment(P, P).array();
    }
    const Batch b = firstBatch(trainer.data().train, batch);
    const StepInput input = stepInput(trainer, b, samples);
    GradientCheckOptions o;
    o.tolerance = 2e-5;
    const auto r = checkGradient(methodObjective(m, input), params, o);
    BAYESLAB_VERIFY_GRADIENT(r);

    // The reported terms are consistent with the objective.
    StepStats stats;
    const double objective = m.evaluate(input, params, nullptr, stats);
    const double beta = method == "ensemble" ? 1.0 : 0.7;
    QVERIFY(std::abs(stats.elbo - (stats.expectedLogLikelihood - stats.kl)) <
            1e-9 * std::abs(stats.elbo));
    QVERIFY(std::abs(objective + stats.expectedLogLikelihood - beta * stats.kl) <
            1e-9 * std::abs(objective));
  }

  // The weight gradients of LRT and Flipout are split into blocks of input columns
  // only for large layers; force many blocks on a small network and compare with
  // the (finite-difference checked) single-block result.
  void kernelsIndependentOfJobSplit_data() {
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<int>("samples");
    QTest::newRow("lrt") << "lrt" << 1;
    QTest::newRow("lrt, 3 samples") << "lrt" << 3;
    QTest::newRow("flipout") << "flipout" << 1;
    QTest::newRow("flipout, 3 samples") << "flipout" << 3;
  }
  void kernelsIndependentOfJobSplit() {
    QFETCH(QString, kernel);
    QFETCH(int, samples);
    SessionConfig c = smallSession("spiral", "bbb", {12, 9});
    Trainer trainer(c);
    const MlpLayout& layout = trainer.layout();
    const Index P = layout.parameterCount();
    Vector mu(P), sigma(P);
    RandomStream rng(2);
    initialiseWeights(layout, rng, mu.data());
    rng.fillUniform(sigma.data(), P);
    const Batch batch = firstBatch(trainer.data().train, 40);
    std::vector<Vector> dMu(2, Vector(P)), dSigma(2, Vector(P));
    double value[2];
    for (int k = 0; k < 2; ++k) {
      const Index jobWork = k == 0 ? Index(1) << 22 : 50;  // 1 block per layer, or one per column
      const RandomStream noise(31);
      if (kernel == "lrt") {
        LocalReparameterisationKernel lrt(layout, Activation::Relu, trainer.sharedLikelihood(),
                                          jobWork);
        value[k] = lrt.evaluate(batch, samples, mu.data(), sigma.data(), nullptr, -2.0,
                                dMu[k].data(), dSigma[k].data(), nullptr, noise, 2);
      } else {
        FlipoutKernel flipout(layout, Activation::Relu, trainer.sharedLikelihood(), jobWork);
        value[k] = flipout.evaluate(batch, samples, mu.data(), sigma.data(), nullptr, -2.0,
                                    dMu[k].data(), dSigma[k].data(), nullptr, noise, 2);
      }
    }
    QCOMPARE(value[0], value[1]);
    QVERIFY((dMu[0] - dMu[1]).norm() <= 1e-12 * dMu[0].norm());
    QVERIFY((dSigma[0] - dSigma[1]).norm() <= 1e-12 * dSigma[0].norm());
  }

  // The kernel's fused passes (BlockPasses): prepare runs once on every parameter
  // block; finish once on every part, the parts tile [0, P), and each part's
  // gradient is already final (equal to a plain evaluation's) when finish sees it.
  void lrtPassesFinishEachPartOnceOnFinalGradient_data() {
    QTest::addColumn<int>("jobWork");
    QTest::addColumn<int>("samples");
    QTest::addColumn<bool>("gradient");
    QTest::newRow("one job per layer") << (1 << 22) << 1 << true;
    QTest::newRow("one job per column, 3 samples") << 50 << 3 << true;
    QTest::newRow("one job per column, no gradient") << 50 << 1 << false;
  }
  void lrtPassesFinishEachPartOnceOnFinalGradient() {
    QFETCH(int, jobWork);
    QFETCH(int, samples);
    QFETCH(bool, gradient);
    SessionConfig c = smallSession("spiral", "bbb", {12, 9});
    Trainer trainer(c);
    const MlpLayout& layout = trainer.layout();
    const Index P = layout.parameterCount();
    Vector mu(P), sigma(P);
    RandomStream rng(2);
    initialiseWeights(layout, rng, mu.data());
    rng.fillUniform(sigma.data(), P);
    const Batch batch = firstBatch(trainer.data().train, 40);
    LocalReparameterisationKernel lrt(layout, Activation::Relu, trainer.sharedLikelihood(),
                                      jobWork);
    Vector dMuPlain = Vector::Zero(P), dSigmaPlain = Vector::Zero(P);
    const double plain =
        lrt.evaluate(batch, samples, mu.data(), sigma.data(), nullptr, -2.0, dMuPlain.data(),
                     dSigmaPlain.data(), nullptr, RandomStream(31), 2);
    const Index parts = lrt.finishParts(samples, batch.size());
    const Index blocks = parameterBlocks(P);
    QVERIFY(parts >= 2 * layout.layerCount());  // every layer's weights and biases
    std::vector<int> prepared(static_cast<size_t>(blocks), 0),
        finished(static_cast<size_t>(parts), 0);
    std::vector<Range> ranges(static_cast<size_t>(parts));
    std::vector<char> finalThen(static_cast<size_t>(parts), 0);
    std::atomic<bool> outOfRange{false};
    Vector dMu = Vector::Constant(P, 7.0), dSigma = Vector::Constant(P, 7.0);
    BlockPasses passes;
    passes.prepare = [&](Index b) {
      if (b < 0 || b >= blocks)
        outOfRange = true;
      else
        ++prepared[static_cast<size_t>(b)];
    };
    passes.finish = [&](Range r, Index part) {
      if (part < 0 || part >= parts || r.begin < 0 || r.begin + r.size > P) {
        outOfRange = true;
        return;
      }
      const auto k = static_cast<size_t>(part);
      ++finished[k];
      ranges[k] = r;
      finalThen[k] =
          !gradient || (dMu.segment(r.begin, r.size) == dMuPlain.segment(r.begin, r.size) &&
                        dSigma.segment(r.begin, r.size) == dSigmaPlain.segment(r.begin, r.size));
    };
    const double fused = lrt.evaluate(
        batch, samples, mu.data(), sigma.data(), nullptr, -2.0, gradient ? dMu.data() : nullptr,
        gradient ? dSigma.data() : nullptr, nullptr, RandomStream(31), 2, passes);
    QVERIFY(!outOfRange);
    QCOMPARE(fused, plain);
    for (int n : prepared) QCOMPARE(n, 1);
    for (int n : finished) QCOMPARE(n, 1);
    for (char ok : finalThen) QVERIFY(ok);
    std::sort(ranges.begin(), ranges.end(),
              [](const Range& a, const Range& b) { return a.begin < b.begin; });
    Index next = 0;
    for (const Range& r : ranges) {
      QCOMPARE(r.begin, next);
      QVERIFY(r.size > 0);
      next = r.begin + r.size;
    }
    QCOMPARE(next, P);
  }

  // bbvi weights d log q / d(mu, sigma) = (eps / sigma, (eps^2 - 1) / sigma) by the
  // log-likelihood: check it against finite differences of log q at a fixed w.
  void scoreFunctionIsGradientOfLogQ() {
    const Index n = 12;
    RandomStream rng(5);
    Vector w(n), mu(n), sigma(n);
    rng.fillNormal(w);
    rng.fillNormal(mu);
    rng.fillUniform(sigma.data(), n);
    sigma.array() += 0.2;
    const Objective logQ = [&](const Vector& x, Vector* gradient) {
      const Vector m = x.head(n), s = x.tail(n);
      if (gradient) {
        const Vector eps = ((w - m).array() / s.array()).matrix();
        gradient->setZero(2 * n);
        addMeanFieldScore(eps.data(), s.data(), n, Real(1), gradient->data(), gradient->data() + n);
      }
      return meanFieldLogDensity(w.data(), m.data(), s.data(), n);
    };
    Vector x(2 * n);
    x << mu, sigma;
    GradientCheckOptions o;
    o.tolerance = 1e-6;
    BAYESLAB_VERIFY_GRADIENT(checkGradient(logQ, x, o));
    // The weight multiplies the score.
    Vector g1 = Vector::Zero(2 * n), g3 = Vector::Zero(2 * n);
    const Vector eps = ((w - mu).array() / sigma.array()).matrix();
    addMeanFieldScore(eps.data(), sigma.data(), n, Real(1), g1.data(), g1.data() + n);
    addMeanFieldScore(eps.data(), sigma.data(), n, Real(3), g3.data(), g3.data() + n);
    QVERIFY((g3 - 3 * g1).norm() < 1e-12 * g1.norm());
  }

  void unbiasedOnLinearModel_data() {
    QTest::addColumn<int>("estimator");
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("repetitions");
    using K = GradientEstimatorKind;
    QTest::newRow("reparameterisation") << int(K::Reparameterisation) << 1 << 20000;
    QTest::newRow("local reparameterisation") << int(K::LocalReparameterisation) << 1 << 20000;
    QTest::newRow("flipout") << int(K::Flipout) << 1 << 20000;
    // With S = 20 a baseline that included the sample's own f (the mean of all S)
    // would scale the estimate by (S - 1) / S = 0.95: exactly the bias checked below.
    QTest::newRow("score function, leave-one-out, S = 20") << int(K::ScoreFunction) << 20 << 20000;
    QTest::newRow("score function, moving average, S = 1") << int(K::ScoreFunction) << 1 << 400000;
  }
  void unbiasedOnLinearModel() {
    QFETCH(int, estimator);
    QFETCH(int, samples);
    QFETCH(int, repetitions);
    const Index d = 3, B = 32;
    const double noise = 0.5;
    const Batch batch = linearBatch(d, B, noise, 11);
    const MlpLayout layout(d, {}, 1);
    const auto likelihood = std::make_shared<GaussianLikelihood>(noise, false);
    RandomStream rng(3);
    Vector mu(d + 1), sigma(d + 1);
    rng.fillNormal(mu);
    rng.fillUniform(sigma.data(), d + 1);
    sigma.array() = 0.2 + 0.3 * sigma.array();
    const ExactGradient exact = linearGaussianGradient(batch, mu, sigma, noise);

    GradientVarianceOptions o;
    o.repetitions = repetitions;
    o.mcSamples = samples;
    o.seed = 21;
    const auto kind = static_cast<GradientEstimatorKind>(estimator);
    const GradientVariance v = measureGradientVariance(layout, Activation::Tanh, likelihood, mu,
                                                       sigma, Vector(), batch, o, {kind})
                                   .front();
    const double zMu = largestZ(v.meanMu, v.parameterVarianceMu, repetitions, exact.mu);
    const double zSigma = largestZ(v.meanSigma, v.parameterVarianceSigma, repetitions, exact.sigma);
    // The same estimates shrunk by kBias: must be rejected, or the test has no power.
    const double zBiased = std::max(
        largestZ(v.meanMu, v.parameterVarianceMu, repetitions, exact.mu, 1 - kBias),
        largestZ(v.meanSigma, v.parameterVarianceSigma, repetitions, exact.sigma, 1 - kBias));
    qInfo("%s: max |z| mu %.2f, sigma %.2f; a %.0f%% bias would give max |z| %.1f",
          gradientEstimatorName(kind), zMu, zSigma, 100 * kBias, zBiased);
    QVERIFY2(zMu < kZLimit, qPrintable(QString("dD/dmu biased: |z| = %1").arg(zMu)));
    QVERIFY2(zSigma < kZLimit, qPrintable(QString("dD/dsigma biased: |z| = %1").arg(zSigma)));
    QVERIFY2(
        zBiased > kZLimit,
        qPrintable(QString("no power: a %1 bias gives only |z| = %2").arg(kBias).arg(zBiased)));
  }

  // On a two-hidden-layer network there is no closed form, but all four estimators
  // estimate the same gradient: their means must agree coordinate by coordinate. This
  // checks the per-layer noise of LRT and Flipout beyond the linear model (a missing
  // sign flip or a wrong variance in a hidden layer would shift the mean).
  void estimatorsAgreeOnDeepNetwork() {
    SessionConfig c = smallSession("blundell", "bbb", {8, 8});
    c.model.activation = "tanh";
    Trainer trainer(c);
    const MlpLayout& layout = trainer.layout();
    const Index P = layout.parameterCount();
    Vector mu(P), sigma(P);
    RandomStream rng(12);
    initialiseWeights(layout, rng, mu.data());
    rng.fillUniform(sigma.data(), P);
    sigma.array() = 0.1 + 0.2 * sigma.array();
    const Batch batch = firstBatch(trainer.data().train, 32);
    GradientVarianceOptions o;
    o.repetitions = 6000;
    o.mcSamples = 4;
    o.seed = 6;
    const auto v = measureGradientVariance(layout, Activation::Tanh, trainer.sharedLikelihood(), mu,
                                           sigma, Vector(), batch, o);
    // 2 x 2P z-scores per pair: a limit of 5 standard errors keeps the family-wise
    // false-alarm rate below 1e-3 for correct estimators.
    const GradientVariance& reference = v[0];
    for (size_t k = 1; k < v.size(); ++k) {
      const auto z = [&](const Eigen::VectorXd& a, const Eigen::VectorXd& va,
                         const Eigen::VectorXd& b, const Eigen::VectorXd& vb) {
        return ((a - b).array().abs() / ((va + vb).array() / o.repetitions).sqrt()).maxCoeff();
      };
      const double zMu =
          z(v[k].meanMu, v[k].parameterVarianceMu, reference.meanMu, reference.parameterVarianceMu);
      const double zSigma = z(v[k].meanSigma, v[k].parameterVarianceSigma, reference.meanSigma,
                              reference.parameterVarianceSigma);
      qInfo("%s vs reparameterisation: max |z| mu %.2f, sigma %.2f",
            gradientEstimatorName(v[k].estimator), zMu, zSigma);
      QVERIFY(zMu < 5.0);
      QVERIFY(zSigma < 5.0);
    }
  }

  void varianceOrdering() {
    // A fixed 1-32-1 ReLU network on 64 examples of the Blundell et al. data.
    SessionConfig c = smallSession("blundell", "bbb", {32});
    c.dataset.nTrain = 64;
    Trainer trainer(c);
    const MlpLayout& layout = trainer.layout();
    const Index P = layout.parameterCount();
    Vector mu(P), sigma = Vector::Constant(P, 0.1);
    RandomStream rng(8);
    initialiseWeights(layout, rng, mu.data());
    const Batch batch = firstBatch(trainer.data().train, 64);
    GradientVarianceOptions o;
    o.repetitions = 400;
    o.seed = 4;
    const auto v = measureGradientVariance(layout, Activation::Relu, trainer.sharedLikelihood(), mu,
                                           sigma, Vector(), batch, o);
    QCOMPARE(v.size(), size_t(4));
    const GradientVariance &rep = v[0], &lrt = v[1], &flip = v[2], &score = v[3];
    for (const auto& e : v)
      qInfo("%-26s Var mu %.4g  Var sigma %.4g  (%.1f us per estimate)",
            gradientEstimatorName(e.estimator), e.varianceMu, e.varianceSigma,
            1e6 * e.secondsPerEstimate);
    qInfo(
        "ratios to reparameterisation (mu, sigma): LRT %.3f %.3f, Flipout %.3f %.3f, score %.0f "
        "%.0f",
        lrt.varianceMu / rep.varianceMu, lrt.varianceSigma / rep.varianceSigma,
        flip.varianceMu / rep.varianceMu, flip.varianceSigma / rep.varianceSigma,
        score.varianceMu / rep.varianceMu, score.varianceSigma / rep.varianceSigma);
    QVERIFY(lrt.varianceMu < rep.varianceMu);
    QVERIFY(lrt.varianceSigma < rep.varianceSigma);
    // "Far above": more than 20 times the larger of the two pathwise variances.
    QVERIFY(score.varianceMu > 20 * std::max(rep.varianceMu, lrt.varianceMu));
    QVERIFY(score.varianceSigma > 20 * std::max(rep.varianceSigma, lrt.varianceSigma));
    QCOMPARE(rep.layerVarianceMu.size(), size_t(2));
  }

  void diagnosticIndependentOfThreads() {
    SessionConfig c = smallSession("moons", "map", {24});
    Trainer trainer(c);
    trainer.run(20);
    const Batch batch = firstBatch(trainer.data().train, 40);
    GradientVarianceOptions o;
    o.repetitions = 6;
    o.mcSamples = 2;
    // A point posterior: its zero standard deviations are replaced by fallbackStd.
    const auto one =
        measureGradientVariance(*trainer.posterior(), trainer.sharedLikelihood(), batch, o);
    o.threads = 2;
    const auto two =
        measureGradientVariance(*trainer.posterior(), trainer.sharedLikelihood(), batch, o);
    for (size_t k = 0; k < one.size(); ++k) {
      QVERIFY(one[k].meanMu == two[k].meanMu);
      QVERIFY(one[k].meanSigma == two[k].meanSigma);
      QCOMPARE(one[k].varianceMu, two[k].varianceMu);
      QVERIFY(std::isfinite(one[k].varianceSigma) && one[k].varianceSigma > 0);
    }
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestGradientEstimators)
#include "test_gradient_estimators.moc"
