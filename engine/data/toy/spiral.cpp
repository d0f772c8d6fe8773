// K interleaved spiral arms, one class per arm (the classic CS231n toy set).
#include <numbers>

#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor spiralDataset() {
  DatasetDescriptor d;
  d.id = "spiral";
  d.displayName = "Spiral";
  d.description = "K spiral arms winding out from the origin, one class per arm.";
  d.task = Task::Classification;
  d.defaultNoise = 0.2;
  d.noiseTooltip = "Standard deviation of the angular jitter (radians) of each point.";
  d.options = {OptionSpec::integer("classes", "Arms", "Number of arms (classes).", 3, 2, 10)};
  d.generate = [](Index n, double noise, const OptionValues& o, RandomStream& rng) {
    const int k = o.integer("classes");
    Matrix x(2, n);
    IndexVector labels(n);
    for (Index i = 0; i < n; ++i) {
      const int label = static_cast<int>(i % k);
      const double r = rng.uniform(0.05, 1.0);
      const double t = 2.0 * std::numbers::pi * label / k + 4.0 * r + noise * rng.normal();
      x(0, i) = static_cast<Real>(r * std::sin(t));
      x(1, i) = static_cast<Real>(r * std::cos(t));
      labels(i) = label;
    }
    return makeClassification(x, labels, k);
  };
  return d;
}

BAYESLAB_END_NAMESPACE
