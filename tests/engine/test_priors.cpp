// Priors: known values, finite-difference gradients of log p(w) and of the
// closed-form KL, and the closed-form KL against a Monte Carlo estimate.
#include <QtTest>
#include <numbers>

#include "engine/prior/gaussian_prior.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

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

QTEST_APPLESS_MAIN(TestPriors)
#include "test_priors.moc"
