// Bounded memory of the per-step stores: the downsampling series, the metrics
// history, and a trainer run far past the stores' capacity.
#include <QtTest>

#include <QTemporaryDir>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "engine/data/csv_dataset.h"
#include "engine/io/atomic_file.h"
#include "engine/training/downsampled_series.h"
#include "engine/training/metrics_history.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

// The smallest power of two s such that the multiples of s below n number at
// most `capacity` (the stride the series must have after n pushes).
std::uint64_t expectedStride(std::uint64_t n, std::size_t capacity) {
  std::uint64_t s = 1;
  while (n > 0 && (n - 1) / s + 1 > capacity) s *= 2;
  return s;
}

MetricsRow rowAt(Index step, double elbo, bool evaluated) {
  MetricsRow r;
  r.step = step;
  r.elbo = elbo;
  if (evaluated) r.testLogLikelihood = -0.5 * static_cast<double>(step);
  return r;
}

}  // namespace

class TestBoundedMemory : public QObject {
  Q_OBJECT
 private slots:
  void seriesKeepsFirstLatestAndOrder_data() {
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("pushes");
    QTest::newRow("short run kept whole") << 16 << 16;
    QTest::newRow("one past capacity") << 16 << 17;
    QTest::newRow("exactly two doublings") << 16 << 64;
    QTest::newRow("odd count, many doublings") << 16 << 1001;
    QTest::newRow("odd capacity rounds up") << 7 << 100;
    QTest::newRow("default capacity, 10^5") << 4096 << 100000;
  }
  void seriesKeepsFirstLatestAndOrder() {
    QFETCH(int, capacity);
    QFETCH(int, pushes);
    DownsampledSeries<std::uint64_t> s(static_cast<std::size_t>(capacity));
    std::size_t largest = 0;
    for (int i = 0; i < pushes; ++i) {
      s.push(static_cast<std::uint64_t>(i));
      largest = std::max(largest, s.size());
      // The latest push is always the last element, the first always the first.
      QCOMPARE(s.items().back(), static_cast<std::uint64_t>(i));
      QCOMPARE(s.items().front(), std::uint64_t(0));
    }
    const std::size_t cap = s.capacity();
    QCOMPARE(cap, static_cast<std::size_t>(capacity + (capacity & 1)));
    QVERIFY2(largest <= cap + 1, qPrintable(QString("held %1 > %2").arg(largest).arg(cap + 1)));
    QCOMPARE(s.pushed(), static_cast<std::uint64_t>(pushes));
    QCOMPARE(s.stride(), expectedStride(s.pushed(), cap));
    if (pushes <= static_cast<int>(cap)) QCOMPARE(s.size(), static_cast<std::size_t>(pushes));
    // Strictly increasing, on the grid of the stride (except the latest), and
    // indexOf names each item.
    for (std::size_t j = 0; j < s.size(); ++j) {
      QCOMPARE(s.indexOf(j), s.items()[j]);
      if (j + 1 < s.size()) {
        QVERIFY(s.items()[j] < s.items()[j + 1]);
        QCOMPARE(s.items()[j] % s.stride(), std::uint64_t(0));
        QCOMPARE(s.items()[j], j * s.stride());
      }
    }
    // Uniform coverage: at least half the capacity is used once it has filled.
    if (pushes > static_cast<int>(cap)) QVERIFY(s.size() >= cap / 2);
  }

  void strideDoublesWhenFull() {
    DownsampledSeries<int> s(8);
    for (int i = 0; i < 8; ++i) s.push(i);
    QCOMPARE(s.stride(), std::uint64_t(1));
    s.push(8);  // the 9th item on the grid: halve, then keep it
    QCOMPARE(s.stride(), std::uint64_t(2));
    QCOMPARE(s.items(), (std::vector<int>{0, 2, 4, 6, 8}));
    s.push(9);  // off the grid: held as the latest only
    QCOMPARE(s.items(), (std::vector<int>{0, 2, 4, 6, 8, 9}));
    s.push(10);  // replaces 9
    QCOMPARE(s.items(), (std::vector<int>{0, 2, 4, 6, 8, 10}));
    s.clear();
    QVERIFY(s.empty());
    QCOMPARE(s.stride(), std::uint64_t(1));
  }

  void historyKeepsEvaluatedRowsAndExactFinalElbo() {
    MetricsHistory h(64, 16);
    std::vector<double> elbos;
    const Index steps = 5000, evalEvery = 50;
    for (Index t = 1; t <= steps; ++t) {
      const double elbo = std::sin(0.01 * static_cast<double>(t)) * static_cast<double>(t);
      elbos.push_back(elbo);
      h.push(rowAt(t, elbo, t % evalEvery == 0));
      QVERIFY(h.held() <= 65 + 17);
    }
    const auto& rows = h.rows();
    QCOMPARE(rows.front().step, Index(1));
    QCOMPARE(rows.back().step, steps);
    for (size_t i = 1; i < rows.size(); ++i) QVERIFY(rows[i - 1].step < rows[i].step);
    // 100 evaluations thinned to at most 17, spread over the whole run.
    int evaluated = 0;
    Index lastEvaluated = 0;
    for (const MetricsRow& r : rows)
      if (r.evaluated()) {
        ++evaluated;
        lastEvaluated = r.step;
      }
    QVERIFY2(evaluated >= 8 && evaluated <= 17, qPrintable(QString::number(evaluated)));
    QCOMPARE(lastEvaluated, steps);
    // finalElbo: the mean of the last min(100, n/10) ELBOs, exactly as a full history gives.
    const double expected = std::accumulate(elbos.end() - 100, elbos.end(), 0.0) / 100.0;
    QCOMPARE(h.finalElbo(), expected);
    MetricsHistory shortRun;
    for (Index t = 1; t <= 35; ++t) shortRun.push(rowAt(t, static_cast<double>(t), false));
    QCOMPARE(shortRun.finalElbo(), (33.0 + 34.0 + 35.0) / 3.0);  // window 35 / 10 = 3
    QCOMPARE(shortRun.rows().size(), size_t(35));
  }

  // A cheap method run far past the stores' capacity: the history stays bounded,
  // starts at step 1, ends at the last step, and keeps the test curve.
  void longRunStaysBounded() {
    SessionConfig c = smallSession("linear", "map", {});
    c.dataset.nTrain = 32;
    c.training.steps = 30000;
    c.training.batchSize = 8;
    c.training.evalEvery = 10;  // 3000 evaluations
    Trainer t(c);
    std::size_t largest = 0;
    std::vector<double> elbos;
    t.run(c.training.steps, [&](const MetricsRow& row) {
      elbos.push_back(row.elbo);
      largest = std::max(largest, t.metrics().held());
      return CallbackResult::Continue;
    });
    QCOMPARE(t.step(), Index(30000));
    const std::size_t bound =
        MetricsHistory::kDefaultRows + MetricsHistory::kDefaultEvaluations + 2;
    QVERIFY2(largest <= bound, qPrintable(QString("%1 rows held").arg(largest)));
    const auto& h = t.history();
    QVERIFY(h.size() <= bound);
    QCOMPARE(h.front().step, Index(1));
    QCOMPARE(h.back().step, Index(30000));
    QVERIFY(h.back().evaluated());
    QVERIFY(t.metrics().stride() >= 4);
    int evaluated = 0;
    for (const MetricsRow& r : h) evaluated += r.evaluated() ? 1 : 0;
    QVERIFY(evaluated >= static_cast<int>(MetricsHistory::kDefaultEvaluations / 2));
    const double expected = std::accumulate(elbos.end() - 100, elbos.end(), 0.0) / 100.0;
    QCOMPARE(t.finalElbo(), expected);
  }

  // data.csv of a large image set is streamed in pieces: the same bytes as the
  // whole string, and a producer that fails leaves neither the file nor a
  // temporary file behind.
  void streamedFileWrites() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path folder = dir.path().toStdString();
    Dataset d;
    d.task = Task::Classification;
    d.classes = 3;
    d.inputs = Matrix::Random(40, 3000);  // about 1.7 MB of text: several pieces
    d.labels = IndexVector::Zero(3000);
    int pieces = 0;
    writeFileAtomically(folder / "data.csv", [&](const TextSink& sink) {
      csvText(d, [&](std::string_view piece) {
        ++pieces;
        sink(piece);
      });
    });
    QVERIFY(pieces >= 2);
    std::ifstream in(folder / "data.csv", std::ios::binary);
    std::stringstream read;
    read << in.rdbuf();
    QVERIFY(read.str() == csvText(d));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             writeFileAtomically(folder / "broken.csv", [](const TextSink& sink) {
                               sink("x0,y\n");
                               throw std::runtime_error("producer failed");
                             }));
    QVERIFY(!std::filesystem::exists(folder / "broken.csv"));
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder)) ++files;
    QCOMPARE(files, 1);  // data.csv only: no temporary file left
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestBoundedMemory)
#include "test_bounded_memory.moc"
