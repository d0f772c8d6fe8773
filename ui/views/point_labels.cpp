#include "ui/views/point_labels.h"

#include <algorithm>
#include <numeric>

namespace bayeslab::ui {

namespace {

// The spots to try for a label of size s at point p, best first.
std::vector<QRectF> candidates(const QPointF& p, const QSizeF& s, const PointLabelOptions& o) {
  const double r = o.markerRadius + o.gap;
  const QRectF right(QPointF(p.x() + r, p.y() - s.height() / 2), s);
  const QRectF left(QPointF(p.x() - r - s.width(), p.y() - s.height() / 2), s);
  const QRectF above(QPointF(p.x() - s.width() / 2, p.y() - r - s.height()), s);
  const QRectF below(QPointF(p.x() - s.width() / 2, p.y() + r), s);
  std::vector<QRectF> spots{right, left, above, below};
  for (int k = 1; k <= o.shifts; ++k)
    for (int sign : {-1, 1}) {
      const double dy = sign * k * s.height();
      spots.push_back(right.translated(0, dy));
      spots.push_back(left.translated(0, dy));
    }
  return spots;
}

}  // namespace

std::vector<QRectF> placePointLabels(const std::vector<QPointF>& points,
                                     const std::vector<QSizeF>& sizes, const QRectF& bounds,
                                     const PointLabelOptions& options) {
  const size_t n = points.size();
  std::vector<QRectF> placed(n);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return points[a].y() < points[b].y(); });
  std::vector<QRectF> taken;  // labels placed so far
  const double m = options.markerRadius;
  const auto area = [](const QRectF& r) { return r.isValid() ? r.width() * r.height() : 0.0; };
  // How bad a spot is: 0 when free; otherwise the area it covers of other labels, of
  // markers (weighted: a hidden point is worse than a crowded label) and outside the plot.
  const auto badness = [&](const QRectF& spot) {
    double cost = 4.0 * (area(spot) - area(spot.intersected(bounds)));
    for (const QRectF& t : taken) cost += area(spot.intersected(t));
    for (const QPointF& p : points)
      cost += 8.0 * area(spot.intersected(QRectF(p.x() - m, p.y() - m, 2 * m, 2 * m)));
    return cost;
  };
  for (size_t i : order) {
    const std::vector<QRectF> spots = candidates(points[i], sizes[i], options);
    // The first free spot; with none free (a crowded plot), the least bad.
    QRectF chosen = spots.front();
    double best = badness(chosen);
    for (const QRectF& spot : spots) {
      if (best == 0.0) break;
      const double cost = badness(spot);
      if (cost < best) {
        best = cost;
        chosen = spot;
      }
    }
    placed[i] = chosen;
    taken.push_back(chosen);
  }
  return placed;
}

bool labelIsDisplaced(const QPointF& point, const QRectF& label, const PointLabelOptions& options) {
  // The four first-choice spots touch the marker's neighbourhood; a shifted one does not.
  const double reach = options.markerRadius + options.gap + 1.0;
  const QRectF near(point.x() - reach, point.y() - reach, 2 * reach, 2 * reach);
  return !label.intersects(near);
}

}  // namespace bayeslab::ui
