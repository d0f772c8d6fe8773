// Long training curves stay cheap to draw: never more than the point budget,
// each point the mean of a block of consecutive values, in order.
#include <QtTest>
#include <cmath>
#include <limits>

#include "tests/support/test_main.h"
#include "ui/views/series_decimator.h"

using namespace bayeslab::ui;

class SeriesDecimatorTest : public QObject {
  Q_OBJECT

 private slots:
  void keepsThePointBudget_data();
  void keepsThePointBudget();
  void averagesBlocksAndSkipsNonFinite();
};

void SeriesDecimatorTest::keepsThePointBudget_data() {
  QTest::addColumn<int>("budget");
  QTest::addColumn<int>("count");
  QTest::newRow("short run, every step") << 1200 << 500;
  QTest::newRow("exactly full") << 1200 << 1200;
  QTest::newRow("long run") << 1200 << 100000;
  QTest::newRow("small budget") << 10 << 12345;
}

void SeriesDecimatorTest::keepsThePointBudget() {
  QFETCH(int, budget);
  QFETCH(int, count);
  SeriesDecimator decimator(budget);
  for (int i = 1; i <= count; ++i) decimator.append(i, std::sin(0.01 * i));
  const QList<QPointF> points = decimator.points();
  QVERIFY(points.size() <= budget + 1);  // + the partly filled last block
  if (count <= budget - 1) QCOMPARE(points.size(), count);
  QVERIFY(points.size() >= std::min(count, budget / 2));
  for (qsizetype i = 1; i < points.size(); ++i) QVERIFY(points[i].x() > points[i - 1].x());
  QVERIFY(points.front().x() >= 1.0 && points.back().x() <= count);
}

void SeriesDecimatorTest::averagesBlocksAndSkipsNonFinite() {
  SeriesDecimator decimator(4);
  // 8 values with a budget of 4: merged into blocks of 2 (then 4).
  for (int i = 0; i < 8; ++i) decimator.append(i, i);
  decimator.append(8, std::numeric_limits<double>::quiet_NaN());
  decimator.append(9, std::numeric_limits<double>::infinity());
  const QList<QPointF> points = decimator.points();
  QCOMPARE(decimator.stride(), 4);
  QCOMPARE(points.size(), 2);
  QCOMPARE(points[0], QPointF(1.5, 1.5));  // mean of 0..3
  QCOMPARE(points[1], QPointF(5.5, 5.5));  // mean of 4..7
  decimator.clear();
  QVERIFY(decimator.points().isEmpty());
  QCOMPARE(decimator.stride(), 1);
}

BAYESLAB_TEST_MAIN(SeriesDecimatorTest)
#include "series_decimator_test.moc"
