// Random streams: normal moments within standard errors, derived streams that
// do not depend on consumption, uniform integers, partial blocks.
#include <QtTest>

#include "engine/core/random.h"
#include "tests/support/test_main.h"

using namespace bayeslab;

class TestRandom : public QObject {
  Q_OBJECT
 private slots:
  void normalMoments() {
    RandomStream rng(42);
    const Index n = 1'000'003;  // odd, not a multiple of the block size
    Vector z(n);
    rng.fillNormal(z);
    const double mean = z.cast<double>().mean();
    const double var = (z.cast<double>().array() - mean).square().mean();
    const double kurt = (z.cast<double>().array() - mean).pow(4).mean() / (var * var);
    // standard errors: mean 1/sqrt(n), variance sqrt(2/n), kurtosis sqrt(24/n)
    const double sn = std::sqrt(static_cast<double>(n));
    QVERIFY2(std::abs(mean) < 4.0 / sn, qPrintable(QString::number(mean)));
    QVERIFY2(std::abs(var - 1.0) < 4.0 * std::sqrt(2.0) / sn, qPrintable(QString::number(var)));
    QVERIFY2(std::abs(kurt - 3.0) < 4.0 * std::sqrt(24.0) / sn + 0.01,
             qPrintable(QString::number(kurt)));
    QVERIFY(z.allFinite());
    // Tail mass beyond 2 sd: 4.55%.
    const double tail = (z.array().abs() > Real(2)).cast<double>().mean();
    QVERIFY(std::abs(tail - 0.0455) < 0.002);
  }

  // The empirical CDF of the normals against Phi at fixed points (each within 5
  // binomial standard errors), and the two Box-Muller branches (cosine and sine
  // of the same pair) uncorrelated. Catches a wrong quadrant in the fast sin/cos.
  void normalCdfAndBranches() {
    RandomStream rng(7);
    const Index n = 1 << 21;
    Vector z(n);
    rng.fillNormal(z);
    const auto phi = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
    for (double x : {-3.0, -2.0, -1.5, -1.0, -0.5, -0.1, 0.0, 0.1, 0.5, 1.0, 1.5, 2.0, 3.0}) {
      const double empirical = (z.array() <= static_cast<Real>(x)).cast<double>().mean();
      const double p = phi(x);
      const double se = std::sqrt(p * (1 - p) / static_cast<double>(n));
      QVERIFY2(std::abs(empirical - p) < 5 * se,
               qPrintable(QString("F(%1) = %2, Phi = %3").arg(x).arg(empirical).arg(p)));
    }
    // Blocks of 512: the first 256 are cosine branches, the next 256 the sines.
    double cross = 0.0, count = 0.0;
    for (Index b = 0; b + 512 <= n; b += 512)
      for (Index i = 0; i < 256; ++i, ++count)
        cross += static_cast<double>(z(b + i)) * static_cast<double>(z(b + 256 + i));
    QVERIFY2(std::abs(cross / count) < 5.0 / std::sqrt(count),
             qPrintable(QString::number(cross / count)));
    // Quadrant symmetry: as many positive as negative in each branch.
    const double positive = (z.array() > Real(0)).cast<double>().mean();
    QVERIFY(std::abs(positive - 0.5) < 5 * 0.5 / std::sqrt(static_cast<double>(n)));
  }

  void derivedStreamsIgnoreConsumption() {
    RandomStream a(7), b(7);
    for (int i = 0; i < 10; ++i) b.nextU64();
    QCOMPARE(a.derive(3).nextU64(), b.derive(3).nextU64());
    QVERIFY(a.derive(3).nextU64() != a.derive(4).nextU64());
    QVERIFY(a.derive("x").nextU64() != RandomStream(8).derive("x").nextU64());
  }

  void blockBoundariesAreConsistent() {
    // Filling n values in one call equals the first n of a longer call.
    RandomStream a(5), b(5);
    Vector x(1000), y(1500);
    a.fillNormal(x);
    b.fillNormal(y);
    QVERIFY(x.head(512) == y.head(512));
  }

  void belowIsUniform() {
    RandomStream rng(9);
    std::vector<int> counts(7, 0);
    const int n = 70000;
    for (int i = 0; i < n; ++i) ++counts[rng.below(7)];
    for (int c : counts) QVERIFY(std::abs(c - n / 7) < 4 * std::sqrt(n / 7.0));
  }

  void signsAndUniforms() {
    RandomStream rng(1);
    Vector s(1001), u(1001);
    rng.fillSigns(s.data(), s.size());
    rng.fillUniform(u.data(), u.size());
    QVERIFY((s.array().abs() == Real(1)).all());
    QVERIFY(std::abs(s.cast<double>().mean()) < 0.15);
    QVERIFY(u.minCoeff() > 0 && u.maxCoeff() <= 1);
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestRandom)
#include "test_random.moc"
