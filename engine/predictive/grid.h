#pragma once
// Input grids for the predictive views and predictive.csv: they span the
// training data and a margin beyond it, where uncertainty should grow.
#include "engine/data/dataset.h"

BAYESLAB_BEGIN_NAMESPACE

struct Grid1D {
  double lower = 0, upper = 1;
  Matrix points;  // 1 x M
};

struct Grid2D {
  double x0Lower = 0, x0Upper = 1, x1Lower = 0, x1Upper = 1;
  int columns = 0, rows = 0;  // x0 steps, x1 steps
  Matrix points;              // 2 x (rows * columns); point (r, c) at index r * columns + c
};

// [min - padding * range, max + padding * range].
Grid1D regressionGrid(const Dataset& data, Index points, double padding = 0.5);
Grid2D classificationGrid(const Dataset& data, int resolution, double padding = 0.15);

BAYESLAB_END_NAMESPACE
