// The finite-difference checker itself: it accepts a right gradient and
// rejects wrong ones, otherwise every other gradient test would be vacuous.
#include <QtTest>

#include "engine/diagnostics/gradient_check.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

namespace {
// Rosenbrock in n dimensions: f = sum 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2.
double rosenbrock(const Vector& x, Vector* g, double wrongScale, Index wrongIndex) {
  double f = 0.0;
  if (g) g->setZero(x.size());
  for (Index i = 0; i + 1 < x.size(); ++i) {
    const double a = x(i + 1) - x(i) * x(i), b = 1.0 - x(i);
    f += 100.0 * a * a + b * b;
    if (g) {
      (*g)(i) += -400.0 * a * x(i) - 2.0 * b;
      (*g)(i + 1) += 200.0 * a;
    }
  }
  if (g && wrongIndex >= 0) (*g)(wrongIndex) *= wrongScale;
  return f;
}
}  // namespace

class TestGradientCheck : public QObject {
  Q_OBJECT
 private slots:
  void acceptsCorrectGradient() {
    Vector x(6);
    x << -1.2, 1.0, 0.3, -0.5, 0.8, 1.1;
    const auto r =
        checkGradient([](const Vector& v, Vector* g) { return rosenbrock(v, g, 1.0, -1); }, x);
    BAYESLAB_VERIFY_GRADIENT(r);
    QCOMPARE(r.checked, Index(6));
  }
  void rejectsWrongGradient_data() {
    QTest::addColumn<double>("scale");
    QTest::addColumn<int>("index");
    QTest::newRow("one coordinate 1% off") << 1.01 << 2;
    QTest::newRow("sign flipped") << -1.0 << 0;
    QTest::newRow("last coordinate zeroed") << 0.0 << 5;
  }
  void rejectsWrongGradient() {
    QFETCH(double, scale);
    QFETCH(int, index);
    Vector x(6);
    x << -1.2, 1.0, 0.3, -0.5, 0.8, 1.1;
    const auto r = checkGradient(
        [&](const Vector& v, Vector* g) { return rosenbrock(v, g, scale, index); }, x);
    QVERIFY(!r.passed);
    QCOMPARE(r.worstIndex, Index(index));
  }
  void checksRandomSubsetOfLargeVectors() {
    Vector x = Vector::Constant(1000, 0.5);
    GradientCheckOptions o;
    o.maxCoordinates = 50;
    const auto r =
        checkGradient([](const Vector& v, Vector* g) { return rosenbrock(v, g, 1.0, -1); }, x, o);
    QCOMPARE(r.checked, Index(50));
    BAYESLAB_VERIFY_GRADIENT(r);
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestGradientCheck)
#include "test_gradient_check.moc"
