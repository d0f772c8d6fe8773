#pragma once
// Where to put the name beside each point of a scatter so that names overlap
// neither each other nor the points: each label tries, in order, the spots right,
// left, above and below its point, then the right and left spots shifted up and
// down by whole label heights; the first spot inside `bounds` that is free wins, or
// when none is (a crowded plot) the one that covers least of the other labels, of the
// markers and of the outside. Points are taken from the top down (greedy), so the
// result depends only on the points and the sizes.
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <vector>

namespace bayeslab::ui {

struct PointLabelOptions {
  double gap = 4.0;           // between a point's marker and its label
  double markerRadius = 5.0;  // points are kept clear of labels by this much
  int shifts = 8;             // label heights tried above and below the side spots
};

// One rectangle per point (same order). sizes[i] is label i's size.
std::vector<QRectF> placePointLabels(const std::vector<QPointF>& points,
                                     const std::vector<QSizeF>& sizes, const QRectF& bounds,
                                     const PointLabelOptions& options = {});

// True when a label was moved away from its point (a leader line then shows whose it is).
bool labelIsDisplaced(const QPointF& point, const QRectF& label,
                      const PointLabelOptions& options = {});

}  // namespace bayeslab::ui
