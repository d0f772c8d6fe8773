// Hamiltonian Monte Carlo (engine/methods/hmc/):
//  - the leapfrog integrator's energy error is second order in the step size;
//  - dual averaging reaches the target acceptance rate;
//  - the generic sampler on a 2-D correlated Gaussian passes a statistical test:
//    means, variances and the correlation within 4 Monte Carlo standard errors
//    (MCSE = sd / sqrt(ESS), ESS from the chains themselves), and the chi-square
//    probability of the draws' Mahalanobis distances is uniform (coverage of the
//    50% and 90% regions within 4 binomial MCSEs);
//  - the hmc method on `linear` data (Bayesian linear regression) matches the exact
//    posterior mean and covariance within 4 MCSE, and gives identical draws for 1
//    and 2 threads.
#include <QtTest>
#include <cmath>

#include "engine/diagnostics/exact_reference.h"
#include "engine/diagnostics/mcmc_diagnostics.h"
#include "engine/methods/hmc/dual_averaging.h"
#include "engine/methods/hmc/hmc_method.h"
#include "engine/methods/hmc/hmc_sampler.h"
#include "tests/support/mcmc_estimate.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

constexpr std::uint64_t kSeedLeapfrog = 11;
constexpr std::uint64_t kSeedAdaptation = 12;
constexpr std::uint64_t kHmcGaussianSeed = 13;

// log N(x; mu, Sigma) up to a constant, for a 2-D Gaussian.
struct Gaussian2D {
  Eigen::Vector2d mean{1.0, -1.0};
  Eigen::Matrix2d covariance;
  Eigen::Matrix2d precision;
  Gaussian2D() {
    // sd 1 and 2, correlation 0.9: a narrow diagonal ridge, hard for random walks.
    covariance << 1.0, 1.8, 1.8, 4.0;
    precision = covariance.inverse();
  }
  LogDensity density() const {
    return [this](const Vector& x, Vector& gradient) {
      const Eigen::Vector2d d = x.cast<double>() - mean;
      const Eigen::Vector2d g = -precision * d;
      gradient = g.cast<Real>();
      return 0.5 * d.dot(g);
    };
  }
};

struct ChainRun {
  std::vector<Eigen::MatrixXd> draws;  // per chain: 2 x n
  double acceptance = 0.0;
};

ChainRun runGaussianChains(const Gaussian2D& target, int chains, int warmup, int draws,
                           std::uint64_t seed) {
  ChainRun run;
  const RandomStream root(seed);
  for (int c = 0; c < chains; ++c) {
    RandomStream rng = root.derive(static_cast<std::uint64_t>(c));
    HmcSampler sampler(target.density());
    HmcState state;
    Vector start(2);
    rng.fillNormal(start);
    start *= Real(3);  // overdispersed starts
    sampler.initialise(state, start);
    DualAveraging adaptation(sampler.findReasonableStepSize(state, 0.1, rng), {});
    HmcSettings settings;
    settings.leapfrogSteps = 5;
    settings.stepSize = adaptation.stepSize();
    for (int t = 0; t < warmup; ++t)
      settings.stepSize =
          adaptation.update(sampler.transition(state, settings, rng).acceptProbability);
    settings.stepSize = adaptation.averagedStepSize();
    settings.stepJitter = 0.1;
    Eigen::MatrixXd x(2, draws);
    for (int t = 0; t < draws; ++t) {
      run.acceptance += sampler.transition(state, settings, rng).acceptProbability;
      x.col(t) = state.position.cast<double>();
    }
    run.draws.push_back(std::move(x));
  }
  run.acceptance /= static_cast<double>(chains) * draws;
  return run;
}

ChainDraws component(const std::vector<Eigen::MatrixXd>& draws,
                     const std::function<double(const Eigen::Vector2d&)>& f) {
  ChainDraws out;
  for (const auto& x : draws) {
    std::vector<double> v(static_cast<size_t>(x.cols()));
    for (Index t = 0; t < x.cols(); ++t) v[static_cast<size_t>(t)] = f(x.col(t));
    out.push_back(std::move(v));
  }
  return out;
}

SessionConfig linearSession(int threads) {
  SessionConfig c;
  c.dataset.name = "linear";
  c.dataset.nTrain = 40;
  c.dataset.nTest = 10;
  c.dataset.noise = 0.3;
  c.dataset.options.set("input_dim", 2.0);
  c.model.hidden = {};
  c.likelihood.noiseStd = 0.3;
  c.prior.options.set("scale", 1.0);
  c.method.name = "hmc";
  c.method.options.set("chains", 4.0);
  c.method.options.set("warmup", 200.0);
  c.method.options.set("leapfrog_steps", 10.0);
  c.method.options.set("max_samples", 5000.0);
  c.training.steps = 2200;
  c.training.batchSize = 8;  // ignored by HMC
  c.training.evalEvery = 100000;
  c.training.threads = threads;
  c.training.seed = 5;
  return c;
}

}  // namespace

class TestHmc : public QObject {
  Q_OBJECT
 private slots:
  void leapfrogErrorIsSecondOrder() {
    // The energy error of a leapfrog trajectory of fixed length T = eps L scales as eps^2:
    // halving eps (doubling L) quarters it. Averaged over 200 momenta on the 2-D Gaussian.
    const Gaussian2D target;
    const auto meanAbsError = [&](double eps, int steps) {
      HmcSampler sampler(target.density());
      HmcState state;
      Vector start(2);
      start << Real(0.5), Real(-2.0);
      sampler.initialise(state, start);
      RandomStream rng(kSeedLeapfrog);
      HmcSettings s;
      s.stepSize = eps;
      s.leapfrogSteps = steps;
      double sum = 0.0;
      for (int i = 0; i < 200; ++i) {
        HmcState copy = state;  // always from the same point
        sum += std::abs(sampler.transition(copy, s, rng).energyError);
      }
      return sum / 200;
    };
    const double coarse = meanAbsError(0.2, 10), fine = meanAbsError(0.1, 20);
    const double ratio = coarse / fine;
    qInfo("energy error ratio %.3f", ratio);
    QVERIFY2(ratio > 3.0 && ratio < 5.0, qPrintable(QString::number(ratio)));
  }

  void dualAveragingReachesTarget() {
    // After 1000 adaptation transitions with the averaged step size fixed, the mean
    // acceptance over 4000 transitions is within 0.05 of the 0.8 target (acceptance
    // probabilities are bounded in [0, 1]; their mean over 4000 correlated transitions
    // has a standard error below 0.01).
    const Gaussian2D target;
    const ChainRun run = runGaussianChains(target, 1, 1000, 4000, kSeedAdaptation);
    qInfo("mean acceptance %.4f", run.acceptance);
    QVERIFY2(std::abs(run.acceptance - 0.8) < 0.05, qPrintable(QString::number(run.acceptance)));
  }

  void correlatedGaussian() {
    const Gaussian2D target;
    const ChainRun run = runGaussianChains(target, 4, 500, 2500, kHmcGaussianSeed);
    qInfo("acceptance %.4f", run.acceptance);
    const auto x0 = component(run.draws, [](const Eigen::Vector2d& x) { return x(0); });
    const auto x1 = component(run.draws, [](const Eigen::Vector2d& x) { return x(1); });
    QVERIFY2(splitRhat(x0) < 1.01 && splitRhat(x1) < 1.01,
             qPrintable(QString("R-hat %1 %2").arg(splitRhat(x0)).arg(splitRhat(x1))));
    VERIFY_WITHIN_MCSE(estimate(x0), target.mean(0), "mean x0");
    VERIFY_WITHIN_MCSE(estimate(x1), target.mean(1), "mean x1");
    // Second moments about the true mean: E[(x_i - mu_i)(x_j - mu_j)] = Sigma_ij.
    for (int i = 0; i < 2; ++i)
      for (int j = i; j < 2; ++j) {
        const auto product = component(run.draws, [&](const Eigen::Vector2d& x) {
          return (x(i) - target.mean(i)) * (x(j) - target.mean(j));
        });
        VERIFY_WITHIN_MCSE(estimate(product), target.covariance(i, j),
                           QString("Sigma(%1,%2)").arg(i).arg(j));
      }
    // d^2 = (x - mu)^T Sigma^-1 (x - mu) ~ chi-square(2): P(d^2 <= q) = 1 - exp(-q / 2).
    for (double level : {0.5, 0.9}) {
      const double q = -2.0 * std::log(1.0 - level);
      const auto inside = component(run.draws, [&](const Eigen::Vector2d& x) {
        const Eigen::Vector2d d = x - target.mean;
        return d.dot(target.precision * d) <= q ? 1.0 : 0.0;
      });
      VERIFY_WITHIN_MCSE(estimate(inside), level, QString("coverage %1").arg(level));
    }
    QVERIFY2(run.acceptance > 0.7 && run.acceptance < 0.9,
             qPrintable(QString::number(run.acceptance)));
  }

  void linearDataMatchesExactPosterior() {
    Trainer trainer(linearSession(1));
    trainer.run();
    const auto& hmc = dynamic_cast<const HmcMethod&>(trainer.methodState());
    QVERIFY(hmc.warmedUp());
    const auto post = trainer.posterior();
    const SampleTrace first = post->trace(0);
    QCOMPARE(first.values.size(), size_t(4));
    QCOMPARE(first.values[0].size(), size_t(2000));
    QCOMPARE(first.steps[0].front(), Index(201));
    const auto reference = exactReference(trainer);
    QVERIFY(reference);
    const LinearRegressionPosterior& exact = *reference;
    const Index P = trainer.layout().parameterCount();
    QCOMPARE(P, Index(3));
    for (Index i = 0; i < P; ++i) {
      const ChainDraws wi = post->trace(i).values;
      QVERIFY2(splitRhat(wi) < 1.01, qPrintable(QString::number(splitRhat(wi))));
      VERIFY_WITHIN_MCSE(estimate(wi), exact.mean(i), QString("mean w%1").arg(i));
      for (Index j = i; j < P; ++j) {
        const ChainDraws wj = post->trace(j).values;
        ChainDraws product = wi;
        for (size_t c = 0; c < wi.size(); ++c)
          for (size_t t = 0; t < wi[c].size(); ++t)
            product[c][t] = (wi[c][t] - exact.mean(i)) * (wj[c][t] - exact.mean(j));
        VERIFY_WITHIN_MCSE(estimate(product), exact.covariance(i, j),
                           QString("Sigma(%1,%2)").arg(i).arg(j));
      }
    }
    // The extras the GUI plots.
    const MetricsRow& last = trainer.history().back();
    for (int e = 0; e < last.extraCount; ++e)
      qInfo("%s = %.4g", last.extras[static_cast<size_t>(e)].first,
            last.extras[static_cast<size_t>(e)].second);
    QVERIFY(last.extraCount >= 7);
    QCOMPARE(QString(last.extras[0].first), QString("accept_rate"));
    QVERIFY2(last.extras[0].second > 0.65 && last.extras[0].second < 0.95,
             qPrintable(QString::number(last.extras[0].second)));
    QCOMPARE(last.extras[3].second, 8000.0);  // kept_samples
    QVERIFY(last.extras[5].second < 1.01);    // r_hat
    QVERIFY(last.extras[6].second > 500);     // ess
  }

  void threadCountIndependent() {
    SessionConfig c = linearSession(1);
    c.training.steps = 60;
    c.method.options.set("warmup", 30.0);
    Trainer one(c);
    one.run();
    c.training.threads = 2;
    Trainer two(c);
    two.run();
    const auto a = std::dynamic_pointer_cast<const SamplePosterior>(one.posterior());
    const auto b = std::dynamic_pointer_cast<const SamplePosterior>(two.posterior());
    QVERIFY(a && b);
    QCOMPARE(a->sampleCount(), b->sampleCount());
    for (Index s = 0; s < a->sampleCount(); ++s)
      QVERIFY(a->samples()[static_cast<size_t>(s)] == b->samples()[static_cast<size_t>(s)]);
  }

  void warmupPosteriorIsCurrentState() {
    SessionConfig c = linearSession(1);
    c.method.options.set("warmup", 50.0);
    Trainer trainer(c);
    trainer.run(10);
    const auto post = std::dynamic_pointer_cast<const SamplePosterior>(trainer.posterior());
    QVERIFY(post);
    QCOMPARE(post->sampleCount(), Index(4));  // one current state per chain
    const auto& hmc = dynamic_cast<const HmcMethod&>(trainer.methodState());
    QVERIFY(post->samples()[2] == hmc.chainPosition(2));
  }

  void rejectsLearnedNoise() {
    SessionConfig c = linearSession(1);
    c.likelihood.learnNoise = true;
    QCOMPARE(trainerInputErrorField(c), QString("likelihood.learn_noise"));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestHmc)
#include "test_hmc.moc"
