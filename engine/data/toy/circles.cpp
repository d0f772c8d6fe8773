// Two concentric circles: a boundary no linear model can draw.
#include <numbers>

#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor circlesDataset() {
  DatasetDescriptor d;
  d.id = "circles";
  d.displayName = "Circles";
  d.description = "An inner circle (class 1) inside an outer ring (class 0).";
  d.task = Task::Classification;
  d.defaultNoise = 0.08;
  d.noiseTooltip = "Standard deviation of the Gaussian jitter added to each point.";
  d.options = {OptionSpec::real("factor", "Inner radius",
                                "Radius of the inner circle relative to "
                                "the outer one.",
                                0.5, 0.05, 0.95)};
  d.generate = [](Index n, double noise, const OptionValues& o, RandomStream& rng) {
    const double factor = o.number("factor");
    Matrix x(2, n);
    IndexVector labels(n);
    for (Index i = 0; i < n; ++i) {
      const int label = static_cast<int>(i % 2);
      const double r = label == 0 ? 1.0 : factor;
      const double t = rng.uniform(0.0, 2.0 * std::numbers::pi);
      x(0, i) = static_cast<Real>(r * std::cos(t) + noise * rng.normal());
      x(1, i) = static_cast<Real>(r * std::sin(t) + noise * rng.normal());
      labels(i) = label;
    }
    return makeClassification(x, labels, 2);
  };
  return d;
}

BAYESLAB_END_NAMESPACE
