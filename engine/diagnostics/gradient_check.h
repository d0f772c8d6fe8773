#pragma once
// Finite-difference gradient checks (as mlpack's CheckGradient and Ceres'
// GradientChecker): central differences
//   g_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h)
// compared with the analytic gradient by the relative error
//   |g_i - a_i| / max(|g_i|, |a_i|, floor, noise_i / tolerance),
// where noise_i = roundoff * machine epsilon * |f| / h is the rounding error of
// the difference itself: a gradient component smaller than what the objective's
// last digits can resolve is only checked to that absolute accuracy.
// Meant for the double-precision engine build, with any noise held fixed.
#include <functional>

#include "engine/core/random.h"
#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

struct GradientCheckOptions {
  double step = 1e-6;
  double tolerance = 1e-5;     // largest accepted relative error
  double floor = 1e-6;         // denominators below this count as this
  double roundoff = 16.0;      // rounding error of f in units of epsilon * |f|
  Index maxCoordinates = 400;  // check a random subset when there are more (0: all)
  std::uint64_t seed = 7;
};

struct GradientCheckResult {
  bool passed = false;
  double maxRelativeError = 0.0;
  Index worstIndex = -1;
  double analytic = 0.0;  // at the worst index
  double numeric = 0.0;
  Index checked = 0;
};

// f(x, grad) returns the objective and, if grad is non-null, writes its gradient.
using Objective = std::function<double(const Vector& x, Vector* gradient)>;

GradientCheckResult checkGradient(const Objective& f, const Vector& x,
                                  const GradientCheckOptions& options = {});

BAYESLAB_END_NAMESPACE
