// Priors: known values, finite-difference gradients of log p(w) and of the
// closed-form KL, and the closed-form KL against a Monte Carlo estimate.
#include <QtTest>
#include <functional>
#include <numbers>

#include "engine/prior/diagonal_gaussian_prior.h"
#include "engine/prior/empirical_bayes_prior.h"
#include "engine/prior/gaussian_prior.h"
#include "engine/prior/laplace_prior.h"
#include "engine/prior/scale_mixture_prior.h"
#include "engine/prior/student_t_prior.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

namespace {

// Every prior of the registry with non-default options, plus the per-entry
// prior of sequential learning.
std::vector<std::shared_ptr<const Prior>> allPriors() {
  std::vector<std::shared_ptr<const Prior>> priors;
  for (const auto& d : priorRegistry())
    priors.push_back(d.create(OptionValues::defaults(d.options)));
  priors.push_back(std::make_shared<ScaleMixturePrior>(0.3, 2.0, 0.1));
  priors.push_back(std::make_shared<StudentTPrior>(1.5, 0.5));
  return priors;
}

double trapezoid(const std::function<double(double)>& f, double lo, double hi, int n) {
  double sum = 0.5 * (f(lo) + f(hi));
  const double h = (hi - lo) / n;
  for (int i = 1; i < n; ++i) sum += f(lo + i * h);
  return sum * h;
}

// E_q[log q - log p] by Monte Carlo for q = N(mu, sigma^2) per entry: mean and standard error.
std::pair<double, double> monteCarloKl(const Prior& p, const Vector& mu, const Vector& sigma,
                                       const PriorContext& context, int draws) {
  RandomStream rng(99);
  double sum = 0.0, sumSq = 0.0;
  Vector w(mu.size()), eps(mu.size());
  for (int i = 0; i < draws; ++i) {
    rng.fillNormal(eps);
    w = mu.array() + sigma.array() * eps.array();
    const double logQ = -(sigma.array().log().sum()) - 0.5 * eps.squaredNorm() -
                        0.5 * mu.size() * std::log(2 * std::numbers::pi);
    const double term = logQ - p.logDensity(w.data(), w.size(), 0, nullptr, context);
    sum += term;
    sumSq += term * term;
  }
  const double mean = sum / draws;
  return {mean, std::sqrt((sumSq / draws - mean * mean) / draws)};
}

}  // namespace

class TestPriors : public QObject {
  Q_OBJECT
 private slots:
  void gaussianKnownValues() {
    GaussianPrior p(2.0);
    const Real w[2] = {0.0, 2.0};
    const double logNorm = -std::log(2.0) - 0.5 * std::log(2 * std::numbers::pi);
    QVERIFY(std::abs(p.logDensity(w, 2, 0, nullptr) - (2 * logNorm - 0.5)) < 1e-12);
    QVERIFY(std::abs(p.density(0.0) - std::exp(logNorm)) < 1e-12);
    // KL(N(1, 1) || N(0, 4)) = log 2 + (1 + 1) / 8 - 1/2.
    const Real mu[1] = {1.0}, sigma[1] = {1.0};
    QVERIFY(std::abs(p.klGaussian(mu, sigma, 1, 0, nullptr, nullptr) -
                     (std::log(2.0) + 0.25 - 0.5)) < 1e-12);
    // KL(q || q) = 0.
    const Real zero[1] = {0.0}, two[1] = {2.0};
    QVERIFY(std::abs(p.klGaussian(zero, two, 1, 0, nullptr, nullptr)) < 1e-12);
    QCOMPARE(p.describe(), std::string("N(0, 2\u00b2)"));
  }

  void logDensityGradient() {
    GaussianPrior p(0.7);
    RandomStream rng(1);
    Vector w(20);
    rng.fillNormal(w);
    const auto f = [&](const Vector& x, Vector* g) {
      if (g) g->setZero(x.size());
      return p.logDensity(x.data(), x.size(), 1.0, g ? g->data() : nullptr);
    };
    BAYESLAB_VERIFY_GRADIENT(checkGradient(f, w));
  }

  void klGradient() {
    GaussianPrior p(1.3);
    RandomStream rng(2);
    const Index n = 15;
    Vector x(2 * n);  // [mu; sigma]
    rng.fillNormal(x);
    x.tail(n) = x.tail(n).array().abs() + 0.1;
    const auto f = [&](const Vector& v, Vector* g) {
      if (g) g->setZero(v.size());
      return p.klGaussian(v.data(), v.data() + n, n, 1.0, g ? g->data() : nullptr,
                          g ? g->data() + n : nullptr);
    };
    BAYESLAB_VERIFY_GRADIENT(checkGradient(f, x));
  }

  // E_q[log q(w) - log p(w)] estimated from 200k draws lies within 4 standard
  // errors of the closed form.
  void klClosedFormMatchesMonteCarlo_data() {
    QTest::addColumn<double>("mu");
    QTest::addColumn<double>("sigma");
    QTest::addColumn<double>("scale");
    QTest::newRow("near prior") << 0.1 << 0.9 << 1.0;
    QTest::newRow("narrow q") << 0.5 << 0.05 << 1.0;
    QTest::newRow("wide prior") << -1.5 << 0.3 << 5.0;
  }
  void klClosedFormMatchesMonteCarlo() {
    QFETCH(double, mu);
    QFETCH(double, sigma);
    QFETCH(double, scale);
    GaussianPrior p(scale);
    const Real m[1] = {static_cast<Real>(mu)}, s[1] = {static_cast<Real>(sigma)};
    const double exact = p.klGaussian(m, s, 1, 0, nullptr, nullptr);
    RandomStream rng(99);
    const int n = 200000;
    double sum = 0.0, sumSq = 0.0;
    for (int i = 0; i < n; ++i) {
      const double e = rng.normal();
      const Real w[1] = {static_cast<Real>(mu + sigma * e)};
      const double logQ = -std::log(sigma) - 0.5 * e * e - 0.5 * std::log(2 * std::numbers::pi);
      const double term = logQ - p.logDensity(w, 1, 0, nullptr);
      sum += term;
      sumSq += term * term;
    }
    const double mean = sum / n;
    const double se = std::sqrt((sumSq / n - mean * mean) / n);
    QVERIFY2(std::abs(mean - exact) < 4 * se + 1e-12,
             qPrintable(QString("MC %1 vs exact %2 (se %3)").arg(mean).arg(exact).arg(se)));
  }

  // For every prior: log p(w) agrees with the plotted density, the density
  // integrates to 1, and the gradient of log p passes a finite-difference check.
  void everyPrior() {
    for (const auto& p : allPriors()) {
      const QString name = QString::fromStdString(p->describe());
      const Real w[3] = {-0.7, 0.01, 1.9};
      for (Real x : w)
        QVERIFY2(std::abs(p->logDensity(&x, 1, 0, nullptr) - std::log(p->density(x))) < 1e-9,
                 qPrintable(name));
      const double mass = trapezoid([&](double x) { return p->density(x); }, -60, 60, 600000);
      QVERIFY2(std::abs(mass - 1.0) < 2e-3, qPrintable(name + ": mass " + QString::number(mass)));
      RandomStream rng(3);
      Vector x(12);
      rng.fillNormal(x);
      Vector h(std::max<Index>(1, p->hyperparameterCount()));
      p->initialHyperparameters(h.data());
      const auto f = [&](const Vector& v, Vector* g) {
        if (g) g->setZero(v.size());
        PriorContext context;
        context.hyperparameters = h.data();
        return p->logDensity(v.data(), v.size(), 1.0, g ? g->data() : nullptr, context);
      };
      const auto r = checkGradient(f, x);
      QVERIFY2(r.passed, qPrintable(name + QString(": relative error %1").arg(r.maxRelativeError)));
    }
  }

  void knownDensities() {
    // Laplace(0, b): density 1/(2b) at 0. Student-t with nu = 1 is the Cauchy.
    QVERIFY(std::abs(LaplacePrior(0.5).density(0.0) - 1.0) < 1e-12);
    QVERIFY(std::abs(StudentTPrior(1.0, 2.0).density(2.0) - 1.0 / (2.0 * std::numbers::pi * 2.0)) <
            1e-12);
    // The mixture is the weighted sum of its components.
    const double mix = ScaleMixturePrior(0.25, 1.0, 0.1).density(0.3);
    QVERIFY(std::abs(mix - (0.25 * GaussianPrior(1.0).density(0.3) +
                            0.75 * GaussianPrior(0.1).density(0.3))) < 1e-12);
    QVERIFY(!ScaleMixturePrior(0.5, 1, 0.1).hasClosedFormKl());
    QVERIFY(!StudentTPrior(3, 1).hasClosedFormKl());
    QVERIFY(LaplacePrior(1).hasClosedFormKl());
  }

  // Closed-form KLs (and their gradients, hyperparameter included) against
  // finite differences and against Monte Carlo within 4 standard errors.
  void closedFormKlOfEveryPrior() {
    const Index n = 6;
    Vector mean(n), std(n);
    mean << 0.1, -0.3, 0.5, 0.0, 1.0, -2.0;
    std << 0.5, 1.0, 0.2, 0.8, 0.3, 1.5;
    std::vector<std::shared_ptr<const Prior>> priors = {
        std::make_shared<LaplacePrior>(0.6), std::make_shared<EmpiricalBayesPrior>(0.8),
        std::make_shared<DiagonalGaussianPrior>(mean, std, "previous posterior")};
    for (const auto& p : priors) {
      const QString name = QString::fromStdString(p->describe());
      QVERIFY(p->hasClosedFormKl());
      RandomStream rng(5);
      const Index H = p->hyperparameterCount();
      Vector x(2 * n + H);  // [mu; sigma; h]
      rng.fillNormal(x);
      x.segment(n, n) = x.segment(n, n).array().abs() + 0.2;
      if (H > 0) x(2 * n) = std::log(1.3);
      const auto f = [&](const Vector& v, Vector* g) {
        if (g) g->setZero(v.size());
        PriorContext context;
        context.hyperparameters = H > 0 ? v.data() + 2 * n : nullptr;
        context.hyperGradient = g && H > 0 ? g->data() + 2 * n : nullptr;
        return p->klGaussian(v.data(), v.data() + n, n, 1.0, g ? g->data() : nullptr,
                             g ? g->data() + n : nullptr, context);
      };
      const auto r = checkGradient(f, x);
      QVERIFY2(r.passed,
               qPrintable(
                   name +
                   QString(": relative error %1 at %2").arg(r.maxRelativeError).arg(r.worstIndex)));
      PriorContext context;
      context.hyperparameters = H > 0 ? x.data() + 2 * n : nullptr;
      const double exact = f(x, nullptr);
      const auto [mc, se] = monteCarloKl(*p, x.head(n), x.segment(n, n), context, 100000);
      QVERIFY2(std::abs(mc - exact) < 4 * se,
               qPrintable(name +
                          QString(": MC %1 vs closed form %2 (se %3)").arg(mc).arg(exact).arg(se)));
    }
  }

  void empiricalBayesHyperparameter() {
    EmpiricalBayesPrior p(2.0);
    Real h;
    p.initialHyperparameters(&h);
    QVERIFY(std::abs(p.hyperparameterValue(0, &h) - 2.0) < 1e-6);
    QCOMPARE(QString(p.hyperparameterName(0)), QString("prior_scale"));
    // The KL is stationary in s at s^2 = mean(mu^2 + sigma^2).
    Vector mu(3), sigma(3);
    mu << 1, -1, 0.5;
    sigma << 0.5, 0.5, 1.0;
    const double best = std::sqrt((mu.array().square() + sigma.array().square()).mean());
    Real optimum = static_cast<Real>(std::log(best)), grad = 0;
    PriorContext context;
    context.hyperparameters = &optimum;
    context.hyperGradient = &grad;
    p.klGaussian(mu.data(), sigma.data(), 3, 1.0, nullptr, nullptr, context);
    QVERIFY(std::abs(grad) < 1e-9);
    QCOMPARE(p.withHyperparameters(&optimum)->describe(), GaussianPrior(best).describe());
  }

  void registryAndValidation() {
    PriorConfig c;
    QVERIFY(!c.validate());
    c.options.set("scale", -1.0);
    QVERIFY(c.validate().has_value());
    QCOMPARE(c.validate()->field, std::string("prior.scale"));
    c.name = "nonsense";
    QCOMPARE(c.validate()->field, std::string("prior.name"));
    QVERIFY_THROWS_EXCEPTION(InputError, makePrior(c));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestPriors)
#include "test_priors.moc"
