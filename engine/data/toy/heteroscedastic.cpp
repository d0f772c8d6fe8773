// Input-dependent noise: y = sin(x) + noise * (0.1 + 0.5 |x|) * e.
// Only a learned or input-dependent noise model captures the funnel; it shows
// the difference between aleatoric and epistemic spread.
#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor heteroscedasticDataset() {
  DatasetDescriptor d;
  d.id = "heteroscedastic";
  d.displayName = "Heteroscedastic";
  d.description =
      "y = sin(x) + s(x)\u03b5 with x in [-3, 3] and noise scale s(x) = noise\u00b7(0.1 + "
      "0.5|x|): the noise grows away from the origin.";
  d.task = Task::Regression;
  d.defaultNoise = 0.5;
  d.noiseTooltip = "Scale of the input-dependent noise s(x) = noise\u00b7(0.1 + 0.5|x|).";
  d.generate = [](Index n, double noise, const OptionValues&, RandomStream& rng) {
    ArrayX x(n), y(n);
    for (Index i = 0; i < n; ++i) {
      const double xi = rng.uniform(-3.0, 3.0);
      x(i) = static_cast<Real>(xi);
      y(i) = static_cast<Real>(std::sin(xi) + noise * (0.1 + 0.5 * std::abs(xi)) * rng.normal());
    }
    return makeRegression(x, y);
  };
  return d;
}

BAYESLAB_END_NAMESPACE
