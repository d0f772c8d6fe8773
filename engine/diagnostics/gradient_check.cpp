#include "engine/diagnostics/gradient_check.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

BAYESLAB_BEGIN_NAMESPACE

GradientCheckResult checkGradient(const Objective& f, const Vector& x,
                                  const GradientCheckOptions& options) {
  GradientCheckResult result;
  Vector analytic(x.size());
  f(x, &analytic);
  std::vector<Index> coordinates(static_cast<size_t>(x.size()));
  std::iota(coordinates.begin(), coordinates.end(), Index(0));
  if (options.maxCoordinates > 0 && x.size() > options.maxCoordinates) {
    RandomStream rng(options.seed);
    rng.shuffle(coordinates.begin(), coordinates.end());
    coordinates.resize(static_cast<size_t>(options.maxCoordinates));
  }
  Vector probe = x;
  for (Index i : coordinates) {
    const Real original = probe(i);
    const Real h =
        static_cast<Real>(options.step * std::max(1.0, std::abs(static_cast<double>(original))));
    probe(i) = original + h;
    const double up = f(probe, nullptr);
    probe(i) = original - h;
    const double down = f(probe, nullptr);
    probe(i) = original;
    const double numeric = (up - down) / (2.0 * static_cast<double>(h));
    const double a = analytic(i);
    const double noise = options.roundoff * std::numeric_limits<Real>::epsilon() *
                         std::max(std::abs(up), std::abs(down)) / (2.0 * static_cast<double>(h));
    const double error =
        std::abs(numeric - a) /
        std::max({std::abs(numeric), std::abs(a), options.floor, noise / options.tolerance});
    ++result.checked;
    if (error > result.maxRelativeError || result.worstIndex < 0) {
      result.maxRelativeError = error;
      result.worstIndex = i;
      result.analytic = a;
      result.numeric = numeric;
    }
  }
  result.passed = result.maxRelativeError <= options.tolerance;
  return result;
}

BAYESLAB_END_NAMESPACE
