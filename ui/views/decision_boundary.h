#pragma once
// The decision boundary of a classifier on a grid, by marching squares: the
// curves where the most probable class changes. For two classes this is the
// p = 0.5 contour; for K classes, the zero set of p_k - max_{j != k} p_j for
// every k. Coordinates are grid coordinates (x = column, y = row), linearly
// interpolated inside each cell; the caller maps them to data coordinates.
#include <QPainterPath>

#include "engine/core/real.h"

namespace bayeslab::ui {

// Segments where `values` (index r * columns + c) crosses zero.
QPainterPath zeroContour(const Real* values, int rows, int columns);

// probabilities: K x (rows * columns), columns ordered r * columns + c.
QPainterPath decisionBoundary(const Matrix& probabilities, int rows, int columns);

}  // namespace bayeslab::ui
