// Subnormal flushing (engine/core/floating_point.h): what it does to a product,
// that a thread started afterwards inherits it (what the applications rely on),
// that a thread team's helpers compute in their caller's mode, and that the
// dense products honour it.
#include <QtTest>

#include <atomic>
#include <limits>
#include <thread>
#include <vector>

#include "engine/core/floating_point.h"
#include "engine/core/gemm.h"
#include "engine/core/parallel.h"
#include "tests/support/test_main.h"

using namespace bayeslab;

namespace {

// Through volatile so the compiler cannot fold the product at build time.
float product(float a, float b) {
  volatile float x = a, y = b;
  return x * y;
}

// Runs fn on a fresh thread whose mode is `mode`, and waits for it.
template <class Fn>
void onThread(FloatingPointMode mode, Fn fn) {
  std::thread t([&] {
    setFloatingPointMode(mode);
    fn();
  });
  t.join();
}

// Whether each of 64 units of a 2-thread loop ran with subnormals flushed, and
// whether the team's helper ran any of them. The caller's first unit waits (at
// most 2 s) for the helper to take one, so the helper always takes part.
struct UnitModes {
  std::vector<int> flushed = std::vector<int>(64, -1);
  bool helperRan = false;
};
UnitModes unitModes() {
  UnitModes modes;
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> helperRan{false};
  QElapsedTimer clock;
  clock.start();
  parallelFor(2, static_cast<Index>(modes.flushed.size()), [&](Index i) {
    if (std::this_thread::get_id() != caller) helperRan = true;
    while (!helperRan && clock.elapsed() < 2000) std::this_thread::yield();
    modes.flushed[static_cast<size_t>(i)] = subnormalsFlushed() ? 1 : 0;
  });
  modes.helperRan = helperRan;
  return modes;
}

}  // namespace

class TestFloatingPoint : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
#if !defined(__x86_64__) && !defined(__aarch64__)
    QSKIP("flushing subnormals is only switched on x86-64 and AArch64");
#endif
    m_ieee = floatingPointMode();
    QVERIFY2(!subnormalsFlushed(), "a test process starts in the IEEE default mode");
  }
  void cleanup() {
    setFloatingPointMode(m_ieee);
  }

  void flushesSubnormalResultsAndInputs() {
    const float tiny = 1e-20f;
    const float subnormal = product(tiny, tiny);  // 1e-40 < FLT_MIN
    QVERIFY(subnormal > 0.0f && subnormal < std::numeric_limits<float>::min());
    QVERIFY(product(1e-40f, 1e10f) > 0.0f);

    flushSubnormalsToZero();
    QVERIFY(subnormalsFlushed());
    QCOMPARE(product(tiny, tiny), 0.0f);     // flush to zero
    QCOMPARE(product(1e-40f, 1e10f), 0.0f);  // subnormal input read as zero
    QVERIFY(product(2e-19f, 1e-19f) >= std::numeric_limits<float>::min());  // normal: kept
  }

  void aThreadStartedAfterwardsInheritsTheMode() {
    flushSubnormalsToZero();
    bool inherited = false;
    std::thread t([&] { inherited = subnormalsFlushed() && product(1e-20f, 1e-20f) == 0.0f; });
    t.join();
    QVERIFY2(inherited,
             "the applications set the mode in main() and rely on threads inheriting it");
  }

  void helpersComputeInTheirCallersMode() {
    flushSubnormalsToZero();
    const FloatingPointMode flushedMode = floatingPointMode();
    setFloatingPointMode(m_ieee);
    UnitModes flushed, ieee;
    onThread(flushedMode, [&] { flushed = unitModes(); });
    onThread(m_ieee, [&] { ieee = unitModes(); });
    QVERIFY(flushed.helperRan && ieee.helperRan);
    QCOMPARE(flushed.flushed, std::vector<int>(64, 1));
    QCOMPARE(ieee.flushed, std::vector<int>(64, 0));
  }

  void denseProductsHonourIt() {
    // 16 x 16 x 16: large enough for libxsmm's kernels when they are built in.
    const Matrix a = Matrix::Constant(16, 16, Real(1e-20));
    const Matrix b = Matrix::Constant(16, 16, Real(1e-20));
    Matrix c(16, 16);
    gemm(a, Op::None, b, Op::None, c);
    if constexpr (sizeof(Real) == 4) QVERIFY(c.minCoeff() > 0);  // 16e-40, subnormal
    flushSubnormalsToZero();
    gemm(a, Op::None, b, Op::None, c);
    if constexpr (sizeof(Real) == 4) QCOMPARE(c.maxCoeff(), Real(0));
  }

 private:
  FloatingPointMode m_ieee;
};

BAYESLAB_TEST_APPLESS_MAIN(TestFloatingPoint)
#include "test_floating_point.moc"
