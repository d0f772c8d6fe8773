// The No-U-Turn sampler and the warm-up of the hmc method (engine/methods/hmc/):
//  - Stan's warm-up windows and the regularised variance that becomes the metric;
//  - detailed balance of the tree building: one NUTS transition from exact draws
//    of a 1-D Gaussian leaves N(0, 1) invariant (mean, variance, tail coverage
//    within 4 standard errors), and the pair (x_0, x_1) is exchangeable, as
//    reversibility demands (E[x_0 x_1^3 - x_1 x_0^3] = 0 within 4 SE), with the
//    identity and with a non-unit metric, at a step size large enough for deep,
//    rejecting trajectories;
//  - the correlated 2-D Gaussian of test_hmc: means, covariance and coverage within
//    4 MCSE;
//  - the hmc method on Bayesian linear regression (linear data, no hidden layer,
//    30 points, noise 0.4, prior scale 2, 2 chains), both samplers: the exact
//    posterior mean and covariance within 4 MCSE, and for NUTS an ESS of at least
//    0.5 per kept draw for every weight (fixed-length HMC with 20 steps gave 0.12
//    and a lag-1 autocorrelation of 0.76 before path-length jitter);
//  - identical draws for 1 and 2 threads with NUTS.
#include <QtTest>
#include <cmath>

#include "engine/diagnostics/exact_reference.h"
#include "engine/diagnostics/mcmc_diagnostics.h"
#include "engine/methods/hmc/dual_averaging.h"
#include "engine/methods/hmc/hmc_method.h"
#include "engine/methods/hmc/metric_adaptation.h"
#include "engine/methods/hmc/nuts_sampler.h"
#include "tests/support/mcmc_estimate.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

constexpr std::uint64_t kSeedBalance = 21;
constexpr std::uint64_t kNutsGaussianSeed = 22;
constexpr double kTolerance = 4.0;  // standard errors

struct Moments {
  double mean = 0.0, se = 0.0;
};
Moments moments(const std::vector<double>& v) {
  double sum = 0.0, sumSq = 0.0;
  for (double x : v) sum += x, sumSq += x * x;
  const double n = static_cast<double>(v.size());
  Moments m;
  m.mean = sum / n;
  m.se = std::sqrt(std::max(sumSq / n - m.mean * m.mean, 0.0) / n);
  return m;
}

#define VERIFY_WITHIN(m, truth, what)                                \
  qInfo("%s: %.5f vs %.5f (%.2f SE)", what, (m).mean, double(truth), \
        std::abs((m).mean - (truth)) / (m).se);                      \
  QVERIFY2(                                                          \
      std::abs((m).mean - (truth)) < kTolerance * (m).se,            \
      qPrintable(QString("%1: %2 vs %3 (SE %4)").arg(what).arg((m).mean).arg(truth).arg((m).se)))

SessionConfig blrSession(const char* sampler, int threads = 1) {
  SessionConfig c;
  c.dataset.name = "linear";
  c.dataset.nTrain = 30;
  c.dataset.nTest = 10;
  c.dataset.noise = 0.4;
  c.model.hidden = {};
  c.likelihood.noiseStd = 0.4;
  c.prior.options.set("scale", 2.0);
  c.method.name = "hmc";
  c.method.options.set("sampler", std::string(sampler));
  c.method.options.set("chains", 2.0);
  c.method.options.set("warmup", 500.0);
  c.method.options.set("leapfrog_steps", 20.0);
  c.method.options.set("max_samples", 5000.0);
  c.training.steps = 3000;
  c.training.batchSize = 8;  // ignored by HMC
  c.training.evalEvery = 100000;
  c.training.threads = threads;
  c.training.seed = 7;
  return c;
}

}  // namespace

class TestNuts : public QObject {
  Q_OBJECT
 private slots:
  void warmupWindowsFollowStan() {
    // 1000 transitions: buffer 75, windows 25, 50, 100, 200, then 500 (stretched), buffer 50.
    QCOMPARE(WarmupWindows(1000).windowEnds(), (std::vector<Index>{99, 149, 249, 449, 949}));
    QCOMPARE(WarmupWindows(200).windowEnds(), (std::vector<Index>{99, 149}));
    // Under 150: buffers of 15 % and 10 %, one window.
    const WarmupWindows short100(100);
    QCOMPARE(short100.initialBuffer(), Index(15));
    QCOMPARE(short100.windowEnds(), (std::vector<Index>{89}));
    QVERIFY(!short100.collects(14) && short100.collects(15) && short100.collects(89) &&
            !short100.collects(90));
    QVERIFY(WarmupWindows(19).windowEnds().empty());
  }

  void metricIsRegularisedVariance() {
    // Values 1..5 and 10 * (1..5) + (-1)^i: sample variances 2.5 and 250 + ..., n = 5.
    MetricEstimator diagonal(2), dense(2, true);
    Eigen::MatrixXd x(2, 5);
    for (int i = 1; i <= 5; ++i) x.col(i - 1) << i, 10.0 * i + (i % 2 ? 1.0 : -1.0);
    for (int i = 0; i < 5; ++i) {
      diagonal.add(x.col(i).cast<Real>());
      dense.add(x.col(i).cast<Real>());
    }
    const Eigen::MatrixXd centred = x.colwise() - x.rowwise().mean();
    const Eigen::MatrixXd sigma = centred * centred.transpose() / 4.0;
    // Sigma_reg = n / (n + 5) Sigma + 1e-3 * 5 / (n + 5) I with n = 5.
    Eigen::MatrixXd expected = 0.5 * sigma;
    expected.diagonal().array() += 0.5e-3;
    const Metric d = diagonal.metric();
    QVERIFY(d.kind() == Metric::Kind::Diagonal);
    for (int i = 0; i < 2; ++i)
      QVERIFY(std::abs(d.inverseDiagonal(2)(i) - expected(i, i)) < 1e-4 * expected(i, i));
    // The dense metric: M^-1 p = Sigma_reg p, kinetic energy p^T Sigma_reg p / 2 and
    // momenta with covariance Sigma_reg^-1.
    const Metric m = dense.metric();
    QVERIFY(m.kind() == Metric::Kind::Dense);
    Vector p(2), out(2);
    p << Real(0.3), Real(-1.2);
    m.sharp(p, out);
    const Eigen::Vector2d want = expected * p.cast<double>();
    QVERIFY((out.cast<double>() - want).norm() < 1e-4 * want.norm());
    QVERIFY(std::abs(m.kineticEnergy(p) - 0.5 * p.cast<double>().dot(want)) < 1e-4);
    RandomStream rng(3);
    Eigen::Matrix2d second = Eigen::Matrix2d::Zero();
    const int draws = 200000;
    for (int i = 0; i < draws; ++i) {
      m.drawMomentum(rng, p);
      second += p.cast<double>() * p.cast<double>().transpose();
    }
    second /= draws;
    const Eigen::Matrix2d precision = expected.inverse();
    qInfo("E[p p^T] %.4g %.4g %.4g vs %.4g %.4g %.4g", second(0, 0), second(0, 1), second(1, 1),
          precision(0, 0), precision(0, 1), precision(1, 1));
    // Each entry within 4 standard errors (var of p_i p_j: P_ii P_jj + P_ij^2).
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j) {
        const double se = std::sqrt(
            (precision(i, i) * precision(j, j) + precision(i, j) * precision(i, j)) / draws);
        QVERIFY2(std::abs(second(i, j) - precision(i, j)) < 4 * se,
                 qPrintable(QString("%1 %2").arg(second(i, j)).arg(precision(i, j))));
      }
  }

  void detailedBalance_data() {
    QTest::addColumn<double>("stepSize");
    QTest::addColumn<double>("metric");
    QTest::newRow("identity, eps 0.9") << 0.9 << 1.0;
    QTest::newRow("identity, eps 1.7") << 1.7 << 1.0;
    QTest::newRow("metric 2.5, eps 0.5") << 0.5 << 2.5;
  }
  void detailedBalance() {
    QFETCH(double, stepSize);
    QFETCH(double, metric);
    // Target N(0, 1). One transition from an exact draw x0 must give x1 ~ N(0, 1),
    // and reversibility makes (x0, x1) and (x1, x0) equal in distribution.
    NutsSampler sampler([](const Vector& x, Vector& g) {
      g = -x;
      return -0.5 * static_cast<double>(x(0)) * x(0);
    });
    const Metric inverseMetric = Metric::diagonal(Vector::Constant(1, static_cast<Real>(metric)));
    NutsSettings settings;
    settings.stepSize = stepSize;
    settings.metric = &inverseMetric;
    const RandomStream root(kSeedBalance);
    const int n = 40000;
    std::vector<double> x1(n), x1sq(n), tail(n), asym(n), moved(n), depth(n);
    for (int i = 0; i < n; ++i) {
      RandomStream rng = root.derive(static_cast<std::uint64_t>(i));
      HmcState state;
      Vector start(1);
      start(0) = static_cast<Real>(rng.normal());
      sampler.initialise(state, start);
      const NutsTransition t = sampler.transition(state, settings, rng);
      const double a = start(0), b = state.position(0);
      x1[static_cast<size_t>(i)] = b;
      x1sq[static_cast<size_t>(i)] = b * b;
      tail[static_cast<size_t>(i)] = std::abs(b) > 1.6448536 ? 1.0 : 0.0;  // P = 0.1
      asym[static_cast<size_t>(i)] = a * b * b * b - b * a * a * a;
      moved[static_cast<size_t>(i)] = t.moved ? 1.0 : 0.0;
      depth[static_cast<size_t>(i)] = t.treeDepth;
    }
    qInfo("moved %.3f, mean tree depth %.2f", moments(moved).mean, moments(depth).mean);
    VERIFY_WITHIN(moments(x1), 0.0, "E[x1]");
    VERIFY_WITHIN(moments(x1sq), 1.0, "E[x1^2]");
    VERIFY_WITHIN(moments(tail), 0.1, "P(|x1| > z_0.95)");
    VERIFY_WITHIN(moments(asym), 0.0, "E[x0 x1^3 - x1 x0^3]");
    // The test has power: the chain does move, with trajectories of several doublings.
    QVERIFY(moments(moved).mean > 0.5);
    QVERIFY(moments(depth).mean > 1.0);
  }

  void correlatedGaussian() {
    // sd 1 and 2, correlation 0.9 (the target of test_hmc).
    const Eigen::Vector2d mean(1.0, -1.0);
    Eigen::Matrix2d covariance;
    covariance << 1.0, 1.8, 1.8, 4.0;
    const Eigen::Matrix2d precision = covariance.inverse();
    const LogDensity density = [&](const Vector& x, Vector& gradient) {
      const Eigen::Vector2d d = x.cast<double>() - mean;
      const Eigen::Vector2d g = -precision * d;
      gradient = g.cast<Real>();
      return 0.5 * d.dot(g);
    };
    const int chains = 4, warmup = 500, draws = 2000;
    std::vector<Eigen::MatrixXd> all;
    double accept = 0.0;
    const RandomStream root(kNutsGaussianSeed);
    for (int c = 0; c < chains; ++c) {
      RandomStream rng = root.derive(static_cast<std::uint64_t>(c));
      NutsSampler sampler(density);
      HmcSampler search(density);
      HmcState state;
      Vector start(2);
      rng.fillNormal(start);
      start *= Real(3);
      sampler.initialise(state, start);
      DualAveraging adaptation(search.findReasonableStepSize(state, 0.1, rng), {});
      NutsSettings settings;
      settings.stepSize = adaptation.stepSize();
      for (int t = 0; t < warmup; ++t)
        settings.stepSize =
            adaptation.update(sampler.transition(state, settings, rng).acceptStatistic);
      settings.stepSize = adaptation.averagedStepSize();
      Eigen::MatrixXd x(2, draws);
      for (int t = 0; t < draws; ++t) {
        accept += sampler.transition(state, settings, rng).acceptStatistic;
        x.col(t) = state.position.cast<double>();
      }
      all.push_back(std::move(x));
    }
    accept /= chains * draws;
    qInfo("acceptance statistic %.3f", accept);
    QVERIFY2(accept > 0.7 && accept < 0.95, qPrintable(QString::number(accept)));
    const auto component = [&](const std::function<double(const Eigen::Vector2d&)>& f) {
      ChainDraws out;
      for (const auto& x : all) {
        std::vector<double> v(static_cast<size_t>(x.cols()));
        for (Index t = 0; t < x.cols(); ++t) v[static_cast<size_t>(t)] = f(x.col(t));
        out.push_back(std::move(v));
      }
      return out;
    };
    for (int i = 0; i < 2; ++i) {
      const auto xi = component([&](const Eigen::Vector2d& x) { return x(i); });
      QVERIFY2(splitRhat(xi) < 1.01, qPrintable(QString::number(splitRhat(xi))));
      VERIFY_WITHIN_MCSE(estimate(xi), mean(i), QString("mean x%1").arg(i));
      for (int j = i; j < 2; ++j) {
        const auto product = component(
            [&](const Eigen::Vector2d& x) { return (x(i) - mean(i)) * (x(j) - mean(j)); });
        VERIFY_WITHIN_MCSE(estimate(product), covariance(i, j),
                           QString("Sigma(%1,%2)").arg(i).arg(j));
      }
    }
    const double q = -2.0 * std::log(1.0 - 0.9);
    const auto inside = component([&](const Eigen::Vector2d& x) {
      const Eigen::Vector2d d = x - mean;
      return d.dot(precision * d) <= q ? 1.0 : 0.0;
    });
    VERIFY_WITHIN_MCSE(estimate(inside), 0.9, "coverage 0.9");
  }

  void linearRegressionExactPosterior_data() {
    QTest::addColumn<QString>("sampler");
    QTest::addColumn<QString>("metric");
    QTest::newRow("nuts, auto (dense)") << "nuts"
                                        << "auto";
    QTest::newRow("nuts, diagonal") << "nuts"
                                    << "diagonal";
    QTest::newRow("hmc, jittered") << "hmc"
                                   << "auto";
  }
  void linearRegressionExactPosterior() {
    QFETCH(QString, sampler);
    QFETCH(QString, metric);
    SessionConfig session = blrSession(qPrintable(sampler));
    session.method.options.set("metric", metric.toStdString());
    Trainer trainer(session);
    trainer.run();
    const auto post = trainer.posterior();
    const auto reference = exactReference(trainer);
    QVERIFY(reference);
    const LinearRegressionPosterior& exact = *reference;
    const Index P = trainer.layout().parameterCount();
    QCOMPARE(P, Index(2));
    double lowestEssPerDraw = 1e300;
    for (Index i = 0; i < P; ++i) {
      const ChainDraws wi = post->trace(i).values;
      const double draws = static_cast<double>(wi.size() * wi.front().size());
      const double essPerDraw = effectiveSampleSize(wi) / draws;
      const double lag1 = combinedAutocorrelation(wi).at(1);
      qInfo("w%d: ESS per draw %.3f, lag-1 autocorrelation %.3f, R-hat %.4f", int(i), essPerDraw,
            lag1, splitRhat(wi));
      lowestEssPerDraw = std::min(lowestEssPerDraw, essPerDraw);
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
    const MetricsRow& last = trainer.history().back();
    for (int e = 0; e < last.extraCount; ++e)
      qInfo("%s = %.4g", last.extras[static_cast<size_t>(e)].first,
            last.extras[static_cast<size_t>(e)].second);
    if (sampler == "nuts" && metric == "auto") {
      QVERIFY2(lowestEssPerDraw >= 0.5, qPrintable(QString::number(lowestEssPerDraw)));
      const auto& hmc = dynamic_cast<const HmcMethod&>(trainer.methodState());
      QVERIFY(hmc.usesNuts());
      // Two weights: the metric is dense and near the posterior variances (within
      // 50 %: it is estimated from a few hundred correlated warm-up draws).
      QVERIFY(hmc.denseMetric());
      const Vector variances = hmc.metric(0).inverseDiagonal(P);
      for (Index i = 0; i < P; ++i) {
        const double ratio = variances(i) / exact.covariance(i, i);
        QVERIFY2(ratio > 0.5 && ratio < 1.5, qPrintable(QString::number(ratio)));
      }
    }
  }

  void threadCountIndependent() {
    SessionConfig c = blrSession("nuts");
    c.training.steps = 200;
    c.method.options.set("warmup", 150.0);
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
};

BAYESLAB_TEST_APPLESS_MAIN(TestNuts)
#include "test_nuts.moc"
