#include "engine/predictive/grid.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
void padded(double lo, double hi, double padding, double& outLo, double& outHi) {
  double range = hi - lo;
  if (!(range > 1e-9)) range = 1.0;
  outLo = lo - padding * range;
  outHi = hi + padding * range;
}
}  // namespace

Grid1D regressionGrid(const Dataset& data, Index points, double padding) {
  Grid1D g;
  const InputBounds b = inputBounds(data);
  padded(b.lower(0), b.upper(0), padding, g.lower, g.upper);
  g.points.resize(1, points);
  for (Index i = 0; i < points; ++i)
    g.points(0, i) =
        static_cast<Real>(g.lower + (g.upper - g.lower) * static_cast<double>(i) /
                                        static_cast<double>(std::max<Index>(1, points - 1)));
  return g;
}

Grid2D classificationGrid(const Dataset& data, int resolution, double padding) {
  Grid2D g;
  const InputBounds b = inputBounds(data);
  padded(b.lower(0), b.upper(0), padding, g.x0Lower, g.x0Upper);
  padded(b.lower(1), b.upper(1), padding, g.x1Lower, g.x1Upper);
  g.columns = g.rows = resolution;
  g.points.resize(2, static_cast<Index>(resolution) * resolution);
  const double denom = std::max(1, resolution - 1);
  for (int r = 0; r < resolution; ++r)
    for (int c = 0; c < resolution; ++c) {
      const Index i = static_cast<Index>(r) * resolution + c;
      g.points(0, i) = static_cast<Real>(g.x0Lower + (g.x0Upper - g.x0Lower) * c / denom);
      g.points(1, i) = static_cast<Real>(g.x1Lower + (g.x1Upper - g.x1Lower) * r / denom);
    }
  return g;
}

BAYESLAB_END_NAMESPACE
