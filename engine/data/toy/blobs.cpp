// K Gaussian blobs with centres evenly spaced on a circle of radius 2.
#include <numbers>

#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor blobsDataset() {
  DatasetDescriptor d;
  d.id = "blobs";
  d.displayName = "Blobs";
  d.description = "K isotropic Gaussian clusters, one per class, centred on a circle of radius 2.";
  d.task = Task::Classification;
  d.defaultNoise = 0.5;
  d.noiseTooltip = "Standard deviation of each cluster.";
  d.options = {
      OptionSpec::integer("classes", "Classes", "Number of clusters (classes).", 3, 2, 10)};
  d.generate = [](Index n, double noise, const OptionValues& o, RandomStream& rng) {
    const int k = o.integer("classes");
    Matrix x(2, n);
    IndexVector labels(n);
    for (Index i = 0; i < n; ++i) {
      const int label = static_cast<int>(i % k);
      const double angle = 2.0 * std::numbers::pi * label / k;
      x(0, i) = static_cast<Real>(2.0 * std::cos(angle) + noise * rng.normal());
      x(1, i) = static_cast<Real>(2.0 * std::sin(angle) + noise * rng.normal());
      labels(i) = label;
    }
    return makeClassification(x, labels, k);
  };
  return d;
}

BAYESLAB_END_NAMESPACE
