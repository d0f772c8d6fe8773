// Blundell et al. (2015), "Weight Uncertainty in Neural Networks", Fig. 5:
//   y = x + 0.3 sin(2 pi (x + e)) + 0.3 sin(4 pi (x + e)) + e,  e ~ N(0, noise^2),
// with x uniform on [0, 0.5]; the predictive band should widen outside it.
#include <numbers>

#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor blundellDataset() {
  DatasetDescriptor d;
  d.id = "blundell";
  d.displayName = "Blundell curve";
  d.description =
      "The regression curve of Blundell et al. (2015): y = x + 0.3 sin(2\u03c0(x+\u03b5)) + "
      "0.3 sin(4\u03c0(x+\u03b5)) + \u03b5 with x in [0, 0.5]. A good approximate posterior "
      "widens its predictive band away from the data.";
  d.task = Task::Regression;
  d.defaultNoise = 0.02;
  d.noiseTooltip =
      "Standard deviation of \u03b5, which enters both inside the sines and additively.";
  d.generate = [](Index n, double noise, const OptionValues&, RandomStream& rng) {
    ArrayX x(n), y(n);
    for (Index i = 0; i < n; ++i) {
      const double xi = rng.uniform(0.0, 0.5);
      const double e = noise * rng.normal();
      const double t = 2.0 * std::numbers::pi * (xi + e);
      x(i) = static_cast<Real>(xi);
      y(i) = static_cast<Real>(xi + 0.3 * std::sin(t) + 0.3 * std::sin(2.0 * t) + e);
    }
    return makeRegression(x, y);
  };
  return d;
}

BAYESLAB_END_NAMESPACE
