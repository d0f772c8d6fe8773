// XOR: the label is whether the two coordinates share a sign.
#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor xorDataset() {
  DatasetDescriptor d;
  d.id = "xor";
  d.displayName = "XOR";
  d.description =
      "Points uniform on [-1, 1]\u00b2 labelled by whether x\u2080 and x\u2081 share a sign, then "
      "jittered: four quadrants, two classes.";
  d.task = Task::Classification;
  d.defaultNoise = 0.1;
  d.noiseTooltip = "Standard deviation of the jitter added after labelling (blurs the quadrants).";
  d.generate = [](Index n, double noise, const OptionValues&, RandomStream& rng) {
    Matrix x(2, n);
    IndexVector labels(n);
    for (Index i = 0; i < n; ++i) {
      const double a = rng.uniform(-1.0, 1.0), b = rng.uniform(-1.0, 1.0);
      labels(i) = (a * b > 0.0) ? 1 : 0;
      x(0, i) = static_cast<Real>(a + noise * rng.normal());
      x(1, i) = static_cast<Real>(b + noise * rng.normal());
    }
    return makeClassification(x, labels, 2);
  };
  return d;
}

BAYESLAB_END_NAMESPACE
