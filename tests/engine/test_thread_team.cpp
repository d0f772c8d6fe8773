// The engine's thread team (engine/core/thread_pool.h) behind parallelFor:
// every unit runs exactly once per loop, for any thread count and loop length,
// over thousands of consecutive loops (helpers spinning, then sleeping, then
// woken), from several calling threads at once (one team each), with nested
// loops run serially, and with teams created and destroyed as their threads
// come and go. Written to be run under ThreadSanitizer as well
// (`setup.sh tsan`), which checks the hand-offs between the caller and its
// helpers; here the counts check that no unit is lost or run twice.
#include <QtTest>
#include <atomic>
#include <thread>
#include <vector>

#include "engine/core/parallel.h"
#include "tests/support/test_main.h"

using namespace bayeslab;

namespace {

// Runs `loops` loops of varying length on `threads` threads; each unit adds
// its loop's tag to its own sum. Returns false if any sum ends up wrong.
bool runLoops(int threads, int loops) {
  constexpr Index kSlots = 97;
  std::vector<long long> sums(kSlots, 0), expected(kSlots, 0);
  for (int loop = 0; loop < loops; ++loop) {
    const Index count = 1 + loop % kSlots;
    parallelFor(threads, count, [&](Index i) { sums[static_cast<size_t>(i)] += loop + 1; });
    for (Index i = 0; i < count; ++i) expected[static_cast<size_t>(i)] += loop + 1;
    if (loop % 150 == 149)  // now and then let the helpers fall asleep
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return sums == expected;
}

}  // namespace

class TestThreadTeam : public QObject {
  Q_OBJECT
 private slots:
  void everyUnitOnce_data() {
    QTest::addColumn<int>("threads");
    QTest::newRow("1 thread") << 1;
    QTest::newRow("2 threads") << 2;
    QTest::newRow("4 threads") << 4;
    QTest::newRow("9 threads") << 9;
  }
  void everyUnitOnce() {
    QFETCH(int, threads);
    for (Index count : {Index(1), Index(2), Index(3), Index(64), Index(1000)}) {
      std::vector<std::atomic<int>> runs(static_cast<size_t>(count));
      for (int loop = 0; loop < 200; ++loop)
        parallelFor(threads, count, [&](Index i) { runs[static_cast<size_t>(i)].fetch_add(1); });
      for (Index i = 0; i < count; ++i)
        QVERIFY2(runs[static_cast<size_t>(i)].load() == 200,
                 qPrintable(QString("unit %1 of %2 ran %3 times in 200 loops")
                                .arg(i)
                                .arg(count)
                                .arg(runs[static_cast<size_t>(i)].load())));
    }
  }

  void thousandsOfConsecutiveLoops() { QVERIFY(runLoops(2, 3000)); }

  void plainWritesAreVisibleToTheCaller() {
    // Units write plain (non-atomic) memory; the caller reads it after the
    // loop: the loop's end must order those writes before the caller's reads.
    std::vector<double> out(257);
    for (int loop = 0; loop < 300; ++loop) {
      parallelFor(3, Index(out.size()), [&](Index i) { out[static_cast<size_t>(i)] = loop + i; });
      for (size_t i = 0; i < out.size(); ++i) QCOMPARE(out[i], double(loop) + double(i));
    }
  }

  void nestedLoopsRunSerially() {
    std::vector<int> inner(16 * 8, 0);
    std::atomic<int> nestedInsideUnit{0};
    parallelFor(2, 16, [&](Index i) {
      const std::thread::id self = std::this_thread::get_id();
      parallelFor(2, 8, [&](Index j) {
        if (std::this_thread::get_id() == self) nestedInsideUnit.fetch_add(1);
        inner[static_cast<size_t>(i * 8 + j)] += 1;
      });
    });
    QCOMPARE(nestedInsideUnit.load(), 16 * 8);
    for (int v : inner) QCOMPARE(v, 1);
  }

  void severalCallersEachWithATeam() {
    std::atomic<int> good{0};
    std::vector<std::thread> callers;
    for (int c = 0; c < 3; ++c)
      callers.emplace_back([&] {
        if (runLoops(2, 800)) good.fetch_add(1);
      });
    for (auto& t : callers) t.join();
    QCOMPARE(good.load(), 3);
  }

  void teamsComeAndGoWithTheirThreads() {
    // Each short-lived thread creates a team with helpers; its exit destroys
    // the team, which must stop and join the helpers (asleep or spinning).
    for (int round = 0; round < 20; ++round) {
      bool ok = false;
      std::thread t([&] {
        ok = runLoops(2, 20);
        if (round % 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      });
      t.join();
      QVERIFY(ok);
    }
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestThreadTeam)
#include "test_thread_team.moc"
