#include "engine/methods/laplace/prior_curvature.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

namespace {
double priorGradient(const Prior& prior, Real w, Index offset) {
  Real gradient = 0;
  PriorContext context;
  context.offset = offset;
  prior.logDensity(&w, 1, Real(1), &gradient, context);
  return static_cast<double>(gradient);
}
}  // namespace

Eigen::VectorXd priorCurvature(const Prior& prior, const Real* w, Index begin, Index count) {
  Eigen::VectorXd h(count);
  for (Index j = 0; j < count; ++j) {
    const Index i = begin + j;
    const double step = 1e-2 * std::max(1.0, std::abs(static_cast<double>(w[i])));
    const auto plus = static_cast<Real>(w[i] + step), minus = static_cast<Real>(w[i] - step);
    // Divide by the difference of the rounded points: exact for a linear gradient.
    const double width = static_cast<double>(plus) - static_cast<double>(minus);
    const double curvature =
        -(priorGradient(prior, plus, i) - priorGradient(prior, minus, i)) / width;
    h(j) = std::isfinite(curvature) ? std::max(0.0, curvature) : 0.0;
  }
  return h;
}

BAYESLAB_END_NAMESPACE
