#include "ui/views/gaussian_shapes.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "ui/views/histogram.h"

namespace bayeslab::ui {

QList<QPointF> gaussianDensity(double mean, double sd, double lower, double upper, int points) {
  QList<QPointF> curve;
  if (!(sd > 0.0) || points < 2) return curve;
  curve.reserve(points);
  const double norm = 1.0 / (sd * std::sqrt(2.0 * std::numbers::pi));
  for (int i = 0; i < points; ++i) {
    const double x = lower + (upper - lower) * i / (points - 1);
    const double z = (x - mean) / sd;
    curve.append({x, norm * std::exp(-0.5 * z * z)});
  }
  return curve;
}

QList<QPointF> gaussianEllipse(double meanA, double meanB, double sdA, double sdB,
                               double correlation, double radius, int points) {
  QList<QPointF> curve;
  if (!(sdA >= 0.0) || !(sdB >= 0.0) || points < 3) return curve;
  const double rho = std::clamp(correlation, -0.999999, 0.999999);
  // Cholesky factor of the 2x2 covariance.
  const double l11 = sdA, l21 = rho * sdB, l22 = sdB * std::sqrt(1.0 - rho * rho);
  curve.reserve(points + 1);
  for (int i = 0; i <= points; ++i) {
    const double t = 2.0 * std::numbers::pi * i / points;
    const double u = radius * std::cos(t), v = radius * std::sin(t);
    curve.append({meanA + l11 * u, meanB + l21 * u + l22 * v});
  }
  return curve;
}

QList<QPointF> densityOutline(const std::vector<double>& values, int bins, double lower,
                              double upper) {
  if (values.empty() || !(upper > lower)) return {};
  Histogram h = makeHistogram(values, bins, lower, upper);
  const double scale = 1.0 / std::max(1e-300, h.total() * h.binWidth());
  for (double& c : h.counts) c *= scale;
  return stepOutline(h);
}

}  // namespace bayeslab::ui
