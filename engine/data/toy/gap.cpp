// Two clusters of inputs with a gap between them: the "in-between uncertainty"
// test of Foong et al. (2019). A faithful posterior is uncertain inside the gap,
// mean-field methods often are not.
#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor gapDataset() {
  DatasetDescriptor d;
  d.id = "gap";
  d.displayName = "Gap (in-between)";
  d.description =
      "Inputs in two clusters, [-1.5, -0.5] and [0.5, 1.5], with y = sin(2x) + 0.3x + \u03b5. "
      "Does the method's uncertainty grow inside the gap (Foong et al. 2019)?";
  d.task = Task::Regression;
  d.defaultNoise = 0.1;
  d.noiseTooltip = "Standard deviation of the additive noise \u03b5.";
  d.options = {OptionSpec::real("gap_width", "Gap width",
                                "Width of the empty interval centred on 0.", 1.0, 0.0, 2.5)};
  d.generate = [](Index n, double noise, const OptionValues& o, RandomStream& rng) {
    const double half = 0.5 * o.number("gap_width");
    const double outer = half + 1.0;
    ArrayX x(n), y(n);
    for (Index i = 0; i < n; ++i) {
      const double side = (i % 2 == 0) ? -1.0 : 1.0;
      const double xi = side * rng.uniform(half, outer);
      x(i) = static_cast<Real>(xi);
      y(i) = static_cast<Real>(std::sin(2.0 * xi) + 0.3 * xi + noise * rng.normal());
    }
    return makeRegression(x, y);
  };
  return d;
}

BAYESLAB_END_NAMESPACE
