#pragma once
// Curves for drawing Gaussians beside samples: a 1-D density, and the
// ellipse of a 2-D Gaussian at a given Mahalanobis radius r (r = 1 and 2: the
// "1 sigma" and "2 sigma" contours, holding 39% and 86% of the mass in 2-D),
//   {mean + r L (cos t, sin t)^T},  L L^T = [[sa^2, rho sa sb], [rho sa sb, sb^2]].
#include <QList>
#include <QPointF>
#include <vector>

namespace bayeslab::ui {

QList<QPointF> gaussianDensity(double mean, double sd, double lower, double upper, int points);

QList<QPointF> gaussianEllipse(double meanA, double meanB, double sdA, double sdB,
                               double correlation, double radius, int points = 120);

// Histogram of `values` on [lower, upper] as a step outline scaled to a density
// (area 1), so it reads on the same axis as the Gaussian densities.
QList<QPointF> densityOutline(const std::vector<double>& values, int bins, double lower,
                              double upper);

}  // namespace bayeslab::ui
