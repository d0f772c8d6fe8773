// Two interleaving half circles (as scikit-learn's make_moons and the PyTorch
// reference benchmark), with isotropic Gaussian jitter.
#include <numbers>

#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor moonsDataset() {
  DatasetDescriptor d;
  d.id = "moons";
  d.displayName = "Two moons";
  d.description = "Two interleaving half circles, one per class, with Gaussian jitter.";
  d.task = Task::Classification;
  d.defaultNoise = 0.1;
  d.noiseTooltip = "Standard deviation of the Gaussian jitter added to each point.";
  d.generate = [](Index n, double noise, const OptionValues&, RandomStream& rng) {
    Matrix x(2, n);
    IndexVector labels(n);
    for (Index i = 0; i < n; ++i) {
      const double t = rng.uniform() * std::numbers::pi;
      const int label = static_cast<int>(i % 2);
      const double px = label == 0 ? std::cos(t) : 1.0 - std::cos(t);
      const double py = label == 0 ? std::sin(t) : 0.5 - std::sin(t);
      x(0, i) = static_cast<Real>(px + noise * rng.normal());
      x(1, i) = static_cast<Real>(py + noise * rng.normal());
      labels(i) = label;
    }
    return makeClassification(x, labels, 2);
  };
  return d;
}

BAYESLAB_END_NAMESPACE
