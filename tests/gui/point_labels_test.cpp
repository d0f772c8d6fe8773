// Point labels of the scatters (ui/views/point_labels.h): free spots when there is
// room (no label over another label or over a marker, all inside the plot), the least
// crowded spot when there is not, and the same answer for the same input.
#include <QtTest>

#include "tests/support/test_main.h"
#include "ui/views/point_labels.h"

using namespace bayeslab::ui;

namespace {

bool overlapsMarker(const QRectF& label, const std::vector<QPointF>& points, double r) {
  for (const QPointF& p : points)
    if (label.intersects(QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r))) return true;
  return false;
}

}  // namespace

class PointLabelsTest : public QObject {
  Q_OBJECT

 private slots:
  void roomyPlotGetsFreeSpots_data() {
    QTest::addColumn<int>("count");
    QTest::newRow("3 apart") << 3;
    QTest::newRow("10 in a column") << 10;
  }
  void roomyPlotGetsFreeSpots() {
    QFETCH(int, count);
    // Points stacked 12 px apart in a column (methods with the same parameter count).
    std::vector<QPointF> points;
    for (int i = 0; i < count; ++i) points.emplace_back(300.0, 100.0 + (count > 3 ? 12 : 80) * i);
    const std::vector<QSizeF> sizes(points.size(), QSizeF(70, 14));
    const QRectF bounds(0, 0, 600, 400);
    const std::vector<QRectF> rects = placePointLabels(points, sizes, bounds);
    QCOMPARE(rects.size(), points.size());
    for (size_t i = 0; i < rects.size(); ++i) {
      QVERIFY(bounds.contains(rects[i]));
      QCOMPARE(rects[i].size(), sizes[i]);
      QVERIFY2(!overlapsMarker(rects[i], points, PointLabelOptions().markerRadius),
               qPrintable(QString::number(i)));
      for (size_t j = 0; j < i; ++j) QVERIFY(!rects[i].intersects(rects[j]));
    }
    // Well-separated points keep their first choice: right of the point, not displaced.
    if (count == 3)
      for (size_t i = 0; i < rects.size(); ++i) {
        QVERIFY(rects[i].left() > points[i].x());
        QVERIFY(!labelIsDisplaced(points[i], rects[i]));
      }
    QCOMPARE(placePointLabels(points, sizes, bounds), rects);
  }

  void crowdedPlotTakesTheLeastCrowdedSpot() {
    // Twelve points on one spot in a plot too small for their labels: no free spot, yet
    // the labels spread out rather than all landing on the first choice.
    const std::vector<QPointF> points(12, QPointF(50, 30));
    const std::vector<QSizeF> sizes(points.size(), QSizeF(60, 14));
    const std::vector<QRectF> rects = placePointLabels(points, sizes, QRectF(0, 0, 180, 60));
    int distinct = 0;
    for (size_t i = 0; i < rects.size(); ++i) {
      bool seen = false;
      for (size_t j = 0; j < i; ++j) seen = seen || rects[j] == rects[i];
      distinct += seen ? 0 : 1;
    }
    QVERIFY2(distinct >= 8, qPrintable(QString::number(distinct)));
  }
};

BAYESLAB_TEST_GUILESS_MAIN(PointLabelsTest)
#include "point_labels_test.moc"
