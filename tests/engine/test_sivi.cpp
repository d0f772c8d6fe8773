// Semi-implicit VI (engine/methods/sivi/): the K-sample bounds against a
// mixture whose ELBO is known, finite-difference checks of the bound's
// gradient and of the whole objective (double precision, the noise held
// fixed), thread-count independence, the parameter formula, the live K, and
// Bayesian linear regression against its exact posterior and evidence.
#include <QtTest>
#include <cmath>
#include <map>
#include <numbers>

#include "engine/diagnostics/bayesian_linear_regression.h"
#include "engine/methods/sivi/k_sample_bounds.h"
#include "engine/methods/sivi/sivi_method.h"
#include "engine/methods/sivi/sivi_posterior.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

const double kLogTwoPi = std::log(2.0 * std::numbers::pi);

// Mean and standard error of a sample.
struct Estimate {
  double mean = 0.0, se = 0.0;
};
Estimate estimate(const std::vector<double>& v) {
  const double n = static_cast<double>(v.size());
  double sum = 0.0, sumSq = 0.0;
  for (double x : v) sum += x;
  const double mean = sum / n;
  for (double x : v) sumSq += (x - mean) * (x - mean);
  return {mean, std::sqrt(sumSq / (n - 1.0) / n)};
}

// log N(w; mean, diag sd^2) of a d-vector with a shared sd.
double logNormal(const Vector& w, const Vector& mean, double sd) {
  const double d = static_cast<double>(w.size());
  return -0.5 * static_cast<double>((w - mean).squaredNorm()) / (sd * sd) - d * std::log(sd) -
         0.5 * d * kLogTwoPi;
}

SessionConfig siviSession(const std::string& dataset, std::vector<int> hidden) {
  SessionConfig c = smallSession(dataset, "sivi", std::move(hidden));
  c.method.options.set("mixing_draws", 5.0);
  c.method.options.set("noise_dim", 3.0);
  c.method.options.set("mixing_hidden", 4.0);
  return c;
}

}  // namespace

class TestSivi : public QObject {
  Q_OBJECT
 private slots:
  // psi ~ N(0, s^2 I_d), w | psi ~ N(psi, sigma^2 I_d), so q(w) = N(0, (s^2 +
  // sigma^2) I_d) and, with a fixed Gaussian log p(w) = log N(w; mu_p, tau^2 I),
  // the ELBO E_q[log p(w) - log q(w)] is known. The Monte Carlo estimates of
  // L_K and L^K (n = 20,000 draws, all K nested on the same draws) must satisfy
  //   L_1 <= L_5 <= L_50 <= ELBO <= L^50 <= L^5 <= L^1
  // within 4 standard errors. The differences are paired draw by draw (each
  // bound minus the exact log p(w) - log q(w) at the same w), which removes
  // the variance of log p. The test has power: the K = 1 and K = 5 bounds must
  // be off the ELBO by more than 4 standard errors (a swapped bound fails).
  // Observed (1-D): L_1 -0.94, L_5 -0.48, L_50 -0.19, ELBO -0.14, L^50 -0.06,
  // L^5 1.09, L^1 9.85 (standard errors 0.003 to 0.11).
  void boundsSandwichAKnownMixture_data() {
    QTest::addColumn<int>("dim");
    QTest::addColumn<double>("mixingSd");
    QTest::addColumn<double>("kernelSd");
    QTest::newRow("1-D, wide mixing") << 1 << 1.0 << 0.3;
    QTest::newRow("3-D, comparable scales") << 3 << 1.0 << 0.7;
  }
  void boundsSandwichAKnownMixture() {
    QFETCH(int, dim);
    QFETCH(double, mixingSd);
    QFETCH(double, kernelSd);
    const Index d = dim;
    const std::vector<Index> ks = {1, 5, 50};
    const Index maxK = ks.back();
    const double qSd = std::sqrt(mixingSd * mixingSd + kernelSd * kernelSd);
    const Vector priorMean = Vector::Constant(d, 0.4);
    const double priorSd = 1.5;
    // E_q[log p] = -d/2 log(2 pi tau^2) - (d qSd^2 + |mu_p|^2) / (2 tau^2); H[q] closed form.
    const double exactElbo =
        -0.5 * static_cast<double>(d) * std::log(2.0 * std::numbers::pi * priorSd * priorSd) -
        (static_cast<double>(d) * qSd * qSd + static_cast<double>(priorMean.squaredNorm())) /
            (2.0 * priorSd * priorSd) +
        0.5 * static_cast<double>(d) * (1.0 + std::log(2.0 * std::numbers::pi * qSd * qSd));

    const int n = 20000;
    RandomStream rng(2024);
    std::vector<std::vector<double>> lower(ks.size()), upper(ks.size()), lowerGap(ks.size()),
        upperGap(ks.size()), lowerStep(ks.size()), upperStep(ks.size());
    Matrix psi(d, maxK + 1), offsets(d, maxK + 1);
    Vector w(d), u(d), e(d);
    std::vector<double> a(static_cast<size_t>(maxK + 1));
    for (int i = 0; i < n; ++i) {
      rng.fillNormal(psi);
      psi *= mixingSd;
      rng.fillNormal(e);
      w = psi.col(0) + kernelSd * e;
      // The kernel N(w; psi_k, kernelSd^2 I) in standardised units.
      u = w / kernelSd;
      offsets = psi / kernelSd;
      std::fill(a.begin(), a.end(), 0.0);
      addKernelQuadratic(u.data(), offsets, d, a.data());
      for (double& ak : a)
        ak +=
            -static_cast<double>(d) * std::log(kernelSd) - 0.5 * static_cast<double>(d) * kLogTwoPi;
      const double logP = logNormal(w, priorMean, priorSd);
      const double logQ = logNormal(w, Vector::Zero(d), qSd);
      double previousLower = 0.0, previousUpper = 0.0;
      for (size_t j = 0; j < ks.size(); ++j) {
        const KSampleLogDensity b = kSampleLogDensity(a.data(), ks[j]);
        lower[j].push_back(logP - b.withOwn);
        upper[j].push_back(logP - b.withoutOwn);
        lowerGap[j].push_back(logQ - b.withOwn);     // mean L_K - ELBO
        upperGap[j].push_back(logQ - b.withoutOwn);  // mean L^K - ELBO
        if (j > 0) {
          lowerStep[j].push_back(previousLower - b.withOwn);     // L_K' - L_K
          upperStep[j].push_back(previousUpper - b.withoutOwn);  // L^K' - L^K
        }
        previousLower = b.withOwn;
        previousUpper = b.withoutOwn;
      }
    }
    const double z = 4.0;
    for (size_t j = 0; j < ks.size(); ++j) {
      const Estimate lo = estimate(lower[j]), up = estimate(upper[j]);
      const Estimate loGap = estimate(lowerGap[j]), upGap = estimate(upperGap[j]);
      const QString where = QString(
                                "K = %1: L_K %2 (se %3), ELBO %4, L^K %5 (se %6); gaps %7 "
                                "(se %8), %9 (se %10)")
                                .arg(ks[j])
                                .arg(lo.mean)
                                .arg(lo.se)
                                .arg(exactElbo)
                                .arg(up.mean)
                                .arg(up.se)
                                .arg(loGap.mean)
                                .arg(loGap.se)
                                .arg(upGap.mean)
                                .arg(upGap.se);
      // Unpaired against the closed form, and paired.
      QVERIFY2(lo.mean <= exactElbo + z * lo.se, qPrintable(where));
      QVERIFY2(up.mean >= exactElbo - z * up.se, qPrintable(where));
      QVERIFY2(loGap.mean <= z * loGap.se, qPrintable(where));
      QVERIFY2(upGap.mean >= -z * upGap.se, qPrintable(where));
      if (ks[j] <= 5) {
        QVERIFY2(loGap.mean < -z * loGap.se, qPrintable("not loose enough: " + where));
        QVERIFY2(upGap.mean > z * upGap.se, qPrintable("not loose enough: " + where));
      }
      if (j > 0) {
        const Estimate loStep = estimate(lowerStep[j]), upStep = estimate(upperStep[j]);
        QVERIFY2(loStep.mean >= -z * loStep.se,
                 qPrintable(QString("L_K fell from K = %1: %2 (se %3)")
                                .arg(ks[j - 1])
                                .arg(loStep.mean)
                                .arg(loStep.se)));
        QVERIFY2(upStep.mean <= z * upStep.se,
                 qPrintable(QString("L^K rose from K = %1: %2 (se %3)")
                                .arg(ks[j - 1])
                                .arg(upStep.mean)
                                .arg(upStep.se)));
      }
      qInfo("%s", qPrintable(where));
    }
  }

  // The two estimates are log-mean-exps over k = 0..K and k = 1..K (checked
  // against direct sums), and the responsibilities a softmax over k = 0..K.
  void kSampleLogDensityIsALogMeanExp() {
    const double a[] = {-3.0, -1.5, -7.25, -2.0};
    double r[4];
    const KSampleLogDensity d = kSampleLogDensity(a, 3, r);
    double all = 0.0, others = 0.0;
    for (int k = 0; k < 4; ++k) all += std::exp(a[k]);
    for (int k = 1; k < 4; ++k) others += std::exp(a[k]);
    QVERIFY(std::abs(d.withOwn - std::log(all / 4.0)) < 1e-12);
    QVERIFY(std::abs(d.withoutOwn - std::log(others / 3.0)) < 1e-12);
    double sum = 0.0;
    for (int k = 0; k < 4; ++k) {
      QVERIFY(std::abs(r[k] - std::exp(a[k]) / all) < 1e-12);
      sum += r[k];
    }
    QVERIFY(std::abs(sum - 1.0) < 1e-12);
    // Far-apart log-densities (thousands of nats) stay finite.
    const double far[] = {-5000.0, -1.0e4, -5001.0};
    const KSampleLogDensity f = kSampleLogDensity(far, 2, r);
    QVERIFY(std::isfinite(f.withOwn) && std::isfinite(f.withoutOwn));
    QVERIFY(std::abs(f.withOwn - (-5000.0 + std::log((1.0 + std::exp(-1.0)) / 3.0))) < 1e-9);
  }

  // lambda = log (1/(K+1)) sum_k exp(-|u - z_k|^2 / 2) as a function of the
  // standardised weights u and the offsets z_0..z_K, against central
  // differences.
  void boundGradientInIsolation_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("K");
    QTest::newRow("5 weights, K = 4") << 5 << 4;
    QTest::newRow("1 weight, K = 1") << 1 << 1;
    QTest::newRow("12 weights, K = 20") << 12 << 20;
  }
  void boundGradientInIsolation() {
    QFETCH(int, n);
    QFETCH(int, K);
    const Index J = K + 1;
    const auto lambda = [n, K, J](const Vector& x, Vector* gradient) {
      const Real* u = x.data();
      Matrix z = ConstMatrixMap(x.data() + n, n, J);
      std::vector<double> a(static_cast<size_t>(J), 0.0), r(static_cast<size_t>(J));
      addKernelQuadratic(u, z, n, a.data());
      const KSampleLogDensity d = kSampleLogDensity(a.data(), K, r.data());
      if (gradient) {
        gradient->setZero(x.size());
        addKSampleGradient(u, z, n, r.data(), Real(1), gradient->data());
        gradient->segment(n, n * J) = ConstVectorMap(z.data(), n * J);
      }
      return d.withOwn;
    };
    RandomStream rng(31);
    Vector x(n + n * J);
    rng.fillNormal(x);
    x *= 0.8;
    GradientCheckOptions o;
    o.tolerance = 1e-6;
    const auto result = checkGradient(lambda, x, o);
    BAYESLAB_VERIFY_GRADIENT(result);
  }

  // The whole objective: data term (BatchEvaluator), prior, the K-sample bound
  // and the chain rule through w = psi_0 + sigma e, psi = g(eps), sigma =
  // softplus(rho), for regression and classification, fixed and learned noise.
  void objectiveGradient_data() {
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("prior");
    QTest::addColumn<bool>("learnNoise");
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("draws");
    QTest::addColumn<int>("batch");
    QTest::newRow("regression") << "blundell"
                                << "gaussian" << false << 1 << 5 << 16;
    QTest::newRow("regression, learned noise, 3 samples") << "heteroscedastic"
                                                          << "gaussian" << true << 3 << 4 << 16;
    QTest::newRow("softmax") << "spiral"
                             << "gaussian" << false << 2 << 5 << 16;
    QTest::newRow("bernoulli") << "moons"
                               << "gaussian" << false << 1 << 3 << 16;
    QTest::newRow("K = 1") << "blundell"
                           << "gaussian" << false << 2 << 1 << 16;
    QTest::newRow("K = 50, chunked batch") << "cubic"
                                           << "gaussian" << false << 1 << 50 << 40;
    QTest::newRow("scale mixture prior") << "blundell"
                                         << "scale_mixture" << false << 2 << 5 << 16;
    QTest::newRow("empirical Bayes prior") << "blundell"
                                           << "empirical_bayes" << false << 1 << 5 << 16;
  }
  void objectiveGradient() {
    QFETCH(QString, dataset);
    QFETCH(QString, prior);
    QFETCH(bool, learnNoise);
    QFETCH(int, samples);
    QFETCH(int, draws);
    QFETCH(int, batch);
    SessionConfig c = siviSession(dataset.toStdString(), {6, 5});
    c.model.activation = "tanh";  // smooth, so finite differences are accurate everywhere
    c.likelihood.learnNoise = learnNoise;
    if (dataset == "moons") c.likelihood.name = "bernoulli";
    c.prior.name = prior.toStdString();
    c.method.options.set("mixing_draws", static_cast<double>(draws));
    Trainer trainer(c);
    auto& m = dynamic_cast<SiviMethod&>(trainer.methodState());
    QCOMPARE(m.mixingDraws(), Index(draws));
    // Away from the initialisation: sigma about 0.3, and offsets z small
    // enough (about 0.1 sigma per weight) that every psi_k carries weight.
    Vector params = m.parameters();
    RandomStream rng(17);
    Vector jitter(params.size());
    rng.fillNormal(jitter);
    params += 0.3 * jitter;
    const MixingNetwork& net = m.mixingNetwork();
    const Index P = m.weightCount(), H = net.hiddenCount();
    params.segment(net.loadingOffset(), P * H) *= Real(0.15);
    params.segment(net.logScaleOffset(), P).array() =
        std::log(0.3) + 0.2 * jitter.segment(P, P).array();
    params.segment(m.rhoOffset(), P).array() = -1.0 + 0.2 * jitter.segment(0, P).array();
    const Batch b = firstBatch(trainer.data().train, batch);
    const StepInput input = stepInput(trainer, b, samples);
    StepStats stats;
    QVERIFY(std::isfinite(m.evaluate(input, params, nullptr, stats)));
    GradientCheckOptions o;
    o.tolerance = 2e-5;
    const auto r = checkGradient(methodObjective(m, input), params, o);
    BAYESLAB_VERIFY_GRADIENT(r);
  }

  void objectiveTermsAreConsistent() {
    SessionConfig c = siviSession("blundell", {8});
    Trainer trainer(c);
    auto& m = dynamic_cast<SiviMethod&>(trainer.methodState());
    const Batch b = firstBatch(trainer.data().train, 16);
    StepInput input;
    input.batch = &b;
    input.datasetSize = trainer.data().train.size();
    input.klWeight = 0.25;
    input.mcSamples = 2;
    StepStats stats;
    const double objective = m.evaluate(input, m.parameters(), nullptr, stats);
    QVERIFY(std::abs(stats.elbo - (stats.expectedLogLikelihood - stats.kl)) <
            1e-9 * std::abs(stats.elbo));
    QVERIFY(std::abs(objective + stats.expectedLogLikelihood - 0.25 * stats.kl) <
            1e-9 * std::abs(objective));
    std::map<std::string, double> extras;
    for (int k = 0; k < stats.extraCount; ++k)
      extras[stats.extras[static_cast<size_t>(k)].first] =
          stats.extras[static_cast<size_t>(k)].second;
    QCOMPARE(extras.at("elbo_lower"), stats.elbo);
    QVERIFY(extras.at("elbo_upper") >= stats.elbo);  // holds draw by draw, not only on average
    QCOMPARE(extras.at("mixing_draws"), 5.0);
  }

  // A fixed seed gives bit-identical results for 1 and 2 threads, with more
  // than one parameter block (P > 2048) and batch chunk.
  void oneVersusTwoThreads() {
    SessionConfig c = siviSession("blundell", {50, 50});
    c.dataset.nTrain = 200;
    c.training.steps = 15;
    c.training.batchSize = 64;
    c.training.mcSamples = 2;
    c.method.options.set("mixing_draws", 10.0);
    std::vector<double> elbo[2], upper[2];
    Vector mean[2], sd[2], params[2];
    for (int t = 0; t < 2; ++t) {
      c.training.threads = t + 1;
      Trainer trainer(c);
      trainer.run();
      for (const MetricsRow& row : trainer.history()) {
        elbo[t].push_back(row.elbo);
        upper[t].push_back(row.extras[1].second);
      }
      const auto post = trainer.posterior();
      mean[t] = post->flatMean();
      sd[t] = post->flatStd();
      params[t] = dynamic_cast<SiviMethod&>(trainer.methodState()).parameters();
    }
    QVERIFY(parameterBlocks(Trainer(c).layout().parameterCount()) > 1);
    QCOMPARE(elbo[0].size(), size_t(15));
    QVERIFY(elbo[0] == elbo[1]);  // bitwise
    QVERIFY(upper[0] == upper[1]);
    QVERIFY(params[0] == params[1]);
    QVERIFY(mean[0] == mean[1]);
    QVERIFY(sd[0] == sd[1]);
  }

  void parameterCountMatchesFormula_data() {
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("prior");
    QTest::addColumn<bool>("learnNoise");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("noise");
    QTest::newRow("defaults, 1-16-1") << "blundell"
                                      << "gaussian" << false << 0 << 0;
    QTest::newRow("learned noise, empirical Bayes") << "cubic"
                                                    << "empirical_bayes" << true << 7 << 3;
    QTest::newRow("softmax") << "spiral"
                             << "gaussian" << false << 12 << 1;
  }
  void parameterCountMatchesFormula() {
    QFETCH(QString, dataset);
    QFETCH(QString, prior);
    QFETCH(bool, learnNoise);
    QFETCH(int, hidden);
    QFETCH(int, noise);
    SessionConfig c = smallSession(dataset.toStdString(), "sivi", {16});
    c.prior.name = prior.toStdString();
    c.likelihood.learnNoise = learnNoise;
    if (hidden > 0) c.method.options.set("mixing_hidden", static_cast<double>(hidden));
    if (noise > 0) c.method.options.set("noise_dim", static_cast<double>(noise));
    Trainer trainer(c);
    const MethodDescriptor* d = findMethod("sivi");
    QVERIFY(d && d->formulaParameterCount && !d->parameterFormula.empty());
    auto& m = dynamic_cast<SiviMethod&>(trainer.methodState());
    const Index extra = trainer.posterior()->likelihoodParameters().size() +
                        makePrior(c.prior)->hyperparameterCount();
    const Index formula =
        d->formulaParameterCount(trainer.layout(), withDefaults(d->options, c.method.options));
    QCOMPARE(m.parameterCount() - extra, formula);
    const Index P = trainer.layout().parameterCount();
    const Index H = hidden > 0 ? hidden : 20, D = noise > 0 ? noise : 10;
    QCOMPARE(formula, P * (H + 3) + H * (D + 1));
  }

  // mixing_draws is live: a new K applies from the next step, the parameters
  // carry on (no reset), and the metrics say which K each step used.
  void liveMixingDraws() {
    const MethodDescriptor* d = findMethod("sivi");
    const OptionSpec* spec = findSpec(d->options, "mixing_draws");
    QVERIFY(spec && spec->live && spec->defaultNumber == 50.0);
    SessionConfig c = siviSession("blundell", {8});
    c.training.steps = 10;
    Trainer trainer(c);
    auto& m = dynamic_cast<SiviMethod&>(trainer.methodState());
    trainer.run(4);
    const Vector before = m.parameters();
    OptionValues change;
    change.set("mixing_draws", 17.0);
    trainer.setMethodOptions(change);
    QCOMPARE(m.mixingDraws(), Index(17));
    QVERIFY(m.parameters() == before);  // nothing reset
    trainer.run(2);
    const auto& h = trainer.history();
    QCOMPARE(h.size(), size_t(6));
    const auto draws = [](const MetricsRow& row) {
      for (int k = 0; k < row.extraCount; ++k)
        if (std::string(row.extras[static_cast<size_t>(k)].first) == "mixing_draws")
          return row.extras[static_cast<size_t>(k)].second;
      return -1.0;
    };
    QCOMPARE(draws(h[3]), 5.0);
    QCOMPARE(draws(h[4]), 17.0);
    QCOMPARE(draws(h[5]), 17.0);
    // The step after the change is the one a method built with K = 17 takes
    // from the same parameters and noise.
    SessionConfig c17 = c;
    c17.method.options.set("mixing_draws", 17.0);
    Trainer fresh(c17);
    auto& m17 = dynamic_cast<SiviMethod&>(fresh.methodState());
    const Batch b = firstBatch(trainer.data().train, 16);
    StepInput input;
    input.batch = &b;
    input.datasetSize = trainer.data().train.size();
    input.rng = RandomStream(5);
    StepStats live, built;
    m.evaluate(input, m.parameters(), nullptr, live);
    m17.evaluate(input, m.parameters(), nullptr, built);
    QCOMPARE(live.elbo, built.elbo);
    // A bad value is refused and names the field.
    change.set("mixing_draws", 0.0);
    bool refused = false;
    try {
      trainer.setMethodOptions(change);
    } catch (const InputError& e) {
      refused = e.field() == "method.mixing_draws";
    }
    QVERIFY(refused);
    QCOMPARE(m.mixingDraws(), Index(17));
  }

  // K is capped by memory (P (K + 1) offsets within 2^26): a session asking
  // for more is refused naming the field, a live change stops at the cap.
  void mixingDrawsAreCappedByMemory() {
    SessionConfig c = smallSession("blundell", "sivi", {300, 300});  // P = 91,201: cap 734
    c.method.options.set("mixing_draws", 1000.0);
    QCOMPARE(trainerInputErrorField(c), QString("method.mixing_draws"));
    c.method.options.set("mixing_draws", 700.0);
    Trainer trainer(c);
    auto& m = dynamic_cast<SiviMethod&>(trainer.methodState());
    QCOMPARE(m.mixingDraws(), Index(700));
    OptionValues live;
    live.set("mixing_draws", 1000.0);
    m.setLiveOptions(live);
    QCOMPARE(m.mixingDraws(), (Index(1) << 26) / trainer.layout().parameterCount() - 1);
  }

  // Draws from the posterior are consistent functions of the seed, and the
  // moments of flatMean / flatStd match the moments of many draws.
  void posteriorMomentsMatchDraws() {
    SessionConfig c = siviSession("blundell", {4});
    c.method.options.set("init_sigma", 0.1);
    Trainer trainer(c);
    trainer.run(30);
    const auto post = std::dynamic_pointer_cast<const SiviPosterior>(trainer.posterior());
    QVERIFY(post);
    const Index P = trainer.layout().parameterCount();
    const int n = 20000;
    const RandomStream rng(77);
    Eigen::ArrayXd sum = Eigen::ArrayXd::Zero(P), sumSq = Eigen::ArrayXd::Zero(P);
    Vector w(P);
    for (int s = 0; s < n; ++s) {
      post->sampleWeights(rng, s, w.data());
      sum += w.array().cast<double>();
      sumSq += w.array().cast<double>().square();
    }
    const Eigen::ArrayXd mean = sum / n, var = sumSq / n - mean.square();
    const Eigen::ArrayXd sd = var.sqrt();
    // Both sides are Monte Carlo estimates (the moments from 4096 fixed draws
    // of eps, the check from n draws of w): 4 standard errors of their
    // difference, sd sqrt(1/4096 + 1/n) for the mean and about
    // sqrt(1/(2 4096) + 1/(2 n)) = 1.2 % relative for the sd (Gaussian
    // case; 6 % allowed for the mixtures' heavier tails).
    const double meanSe = std::sqrt(1.0 / SiviPosterior::kMomentDraws + 1.0 / n);
    for (Index i = 0; i < P; ++i) {
      const double m = static_cast<double>(post->flatMean()(i));
      const double s = static_cast<double>(post->flatStd()(i));
      QVERIFY2(
          std::abs(mean(i) - m) < 4.0 * meanSe * sd(i),
          qPrintable(QString("weight %1: draws' mean %2, flatMean %3").arg(i).arg(mean(i)).arg(m)));
      QVERIFY2(std::abs(sd(i) / s - 1.0) < 0.06,
               qPrintable(QString("weight %1: draws' sd %2, flatStd %3").arg(i).arg(sd(i)).arg(s)));
    }
    // Function draws are the weight draws run through the network.
    const Matrix x = RowVector::LinSpaced(5, -1.0, 1.0);
    std::vector<Matrix> one, two;
    post->sampleOutputs(x, 3, rng, 1, one);
    post->sampleOutputs(x, 3, rng, 2, two);
    QVERIFY(one[2] == two[2]);
    post->sampleWeights(rng, 2, w.data());
    MlpWorkspace workspace;
    QVERIFY((post->kernel().forward(w.data(), x, workspace) - one[2]).norm() < 1e-6);
    const PosteriorSummary summary = post->summary();
    QVERIFY(summary.kind == PosteriorKind::Samples);
    QCOMPARE(static_cast<Index>(summary.layers[0].weightSamples.size()),
             SiviPosterior::kSummaryDraws);
  }

  // Bayesian linear regression ("hidden": [], fixed noise, Gaussian prior):
  // the exact posterior and log evidence are known, and the posterior of the
  // slope and the bias is strongly correlated (-0.88 here), which a
  // factorised q cannot show. After training on the full data (one batch)
  // with K = 50 (4,000 steps at learning rate 0.01, then 1,000 at 0.002), the
  // marginal means of q (averaged over the last 1,000 steps) must be within
  // 0.25 exact posterior sds of the exact means and its marginal sds within
  // 15 % of the exact ones, and its draws must show the correlation (within
  // 0.1). Observed: means within 0.01 sd, sds 5 % low, correlation -0.86.
  //
  // Then, for that fixed q, the bounds at K = 1, 5, 50 (2,000 evaluations each
  // on the full data) must sandwich: L_1 <= L_5 <= L_50 <= log evidence and
  // L_50 <= L^50 <= L^5 <= L^1, each within 4 standard errors, the K = 1
  // bounds must be off by more than that (the test has power), and L_50 must
  // be within half a nat of the evidence. Where L^K lands against the log
  // evidence is reported, not tested: L^K bounds the ELBO, not the evidence.
  // Observed: L_1 -25.62, L_5 -25.09, L_50 -24.76, log evidence -24.66,
  // L^50 -24.63, L^5 -23.06, L^1 -11.5.
  void linearRegressionAgainstExact() {
    SessionConfig c;
    c.dataset.name = "linear";
    c.dataset.nTrain = 64;
    c.dataset.nTest = 16;
    c.dataset.noise = 0.3;
    c.model.hidden = {};
    c.likelihood.noiseStd = 0.3;
    c.method.name = "sivi";
    c.method.options.set("init_sigma", 0.05);
    c.training.steps = 5000;
    c.training.batchSize = 64;
    c.training.mcSamples = 8;
    c.training.learningRate = 0.01;
    c.training.evalEvery = 100000;
    Trainer trainer(c);
    trainer.run(4000);
    // A smaller step for the last 1,000: the final iterate then sits close to
    // the optimum instead of jittering around it with Adam's step.
    trainer.setLearningRate(0.002);
    const Index P = trainer.layout().parameterCount();
    Eigen::VectorXd meanSum = Eigen::VectorXd::Zero(P), sdSum = Eigen::VectorXd::Zero(P);
    int count = 0;
    trainer.run(1000, [&](const MetricsRow& row) {
      if (row.step % 10 == 0) {
        const auto post = trainer.posterior();
        meanSum += post->flatMean().cast<double>();
        sdSum += post->flatStd().cast<double>();
        ++count;
      }
      return CallbackResult::Continue;
    });
    const auto exact = exactLinearRegression(trainer.data().train, 0.3, 1.0);
    for (Index i = 0; i < P; ++i) {
      const double sd = std::sqrt(exact.covariance(i, i));
      const double mean = meanSum(i) / count, qSd = sdSum(i) / count;
      const double meanError = std::abs(mean - exact.mean(i)) / sd;
      const double sdRatio = qSd / sd;
      qInfo("param %d: mean %.4f (exact %.4f, %.3f sd off), sd %.4f (exact %.4f, ratio %.3f)",
            int(i), mean, exact.mean(i), meanError, qSd, sd, sdRatio);
      QVERIFY(meanError < 0.25);
      QVERIFY(std::abs(sdRatio - 1.0) < 0.15);
    }
    // The correlation of q's draws (the summary's 200).
    const PosteriorSummary summary = trainer.posterior()->summary();
    std::vector<double> slope, bias;
    for (size_t s = 0; s < summary.layers[0].weightSamples.size(); ++s) {
      slope.push_back(static_cast<double>(summary.layers[0].weightSamples[s](0, 0)));
      bias.push_back(static_cast<double>(summary.layers[0].biasSamples[s](0)));
    }
    const Estimate ms = estimate(slope), mb = estimate(bias);
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (size_t s = 0; s < slope.size(); ++s) {
      sxy += (slope[s] - ms.mean) * (bias[s] - mb.mean);
      sxx += (slope[s] - ms.mean) * (slope[s] - ms.mean);
      syy += (bias[s] - mb.mean) * (bias[s] - mb.mean);
    }
    const double correlation = sxy / std::sqrt(sxx * syy);
    const double exactCorrelation =
        exact.covariance(0, 1) / std::sqrt(exact.covariance(0, 0) * exact.covariance(1, 1));
    qInfo("correlation of q's draws %.3f, exact %.3f", correlation, exactCorrelation);
    QVERIFY(std::abs(correlation - exactCorrelation) < 0.1);

    // The sandwich on the trained q.
    auto& m = dynamic_cast<SiviMethod&>(trainer.methodState());
    const Vector params = m.parameters();
    const Batch all = firstBatch(trainer.data().train, trainer.data().train.size());
    const std::vector<Index> ks = {1, 5, 50};
    std::vector<Estimate> lower, upper;
    for (Index k : ks) {
      OptionValues live;
      live.set("mixing_draws", static_cast<double>(k));
      m.setLiveOptions(live);
      std::vector<double> lo, up;
      for (int i = 0; i < 2000; ++i) {
        StepInput input;
        input.batch = &all;
        input.datasetSize = all.size();
        input.rng = RandomStream(1000 + static_cast<std::uint64_t>(i));
        StepStats stats;
        m.evaluate(input, params, nullptr, stats);
        lo.push_back(stats.extras[0].second);
        up.push_back(stats.extras[1].second);
      }
      lower.push_back(estimate(lo));
      upper.push_back(estimate(up));
      qInfo("K = %d: L_K %.4f (se %.4f), L^K %.4f (se %.4f), log evidence %.4f", int(k),
            lower.back().mean, lower.back().se, upper.back().mean, upper.back().se,
            exact.logEvidence);
    }
    const double z = 4.0;
    const auto se = [](const Estimate& a, const Estimate& b) {
      return std::sqrt(a.se * a.se + b.se * b.se);
    };
    for (size_t j = 1; j < ks.size(); ++j) {
      QVERIFY(lower[j].mean >= lower[j - 1].mean - z * se(lower[j], lower[j - 1]));
      QVERIFY(upper[j].mean <= upper[j - 1].mean + z * se(upper[j], upper[j - 1]));
    }
    QVERIFY(lower.back().mean <= exact.logEvidence + z * lower.back().se);
    QVERIFY(lower.back().mean <= upper.back().mean + z * se(lower.back(), upper.back()));
    QVERIFY(lower[0].mean < lower.back().mean - z * se(lower[0], lower.back()));
    QVERIFY(upper[0].mean > upper.back().mean + z * se(upper[0], upper.back()));
    // Trained: L_50 within half a nat of the evidence.
    QVERIFY(exact.logEvidence - lower.back().mean < 0.5);
  }

  // Sequential learning hands the previous part's moments over as a
  // per-weight Gaussian prior, which SIVI's log p(w) takes.
  void learnsSequentially() {
    SessionConfig c = siviSession("linear", {});
    c.sequential.parts = 2;
    c.training.steps = 40;
    Trainer trainer(c);
    trainer.run();
    QCOMPARE(trainer.currentPart(), Index(1));
    QVERIFY(trainer.status() == TrainerStatus::Finished);
    QVERIFY(std::isfinite(trainer.history().back().elbo));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestSivi)
#include "test_sivi.moc"
