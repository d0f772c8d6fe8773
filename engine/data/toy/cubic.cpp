// The cubic toy problem of Hernandez-Lobato & Adams (2015):
//   y = x^3 + e,  e ~ N(0, 3^2),  x uniform on [-4, 4].
#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor cubicDataset() {
  DatasetDescriptor d;
  d.id = "cubic";
  d.displayName = "Cubic";
  d.description =
      "y = x\u00b3 + \u03b5 with x in [-4, 4] and \u03b5 ~ N(0, 3\u00b2) (Hern\u00e1ndez-Lobato & "
      "Adams 2015). Large noise: most of the predictive spread is aleatoric.";
  d.task = Task::Regression;
  d.defaultNoise = 3.0;
  d.noiseTooltip = "Standard deviation of the additive noise \u03b5.";
  d.generate = [](Index n, double noise, const OptionValues&, RandomStream& rng) {
    ArrayX x(n), y(n);
    for (Index i = 0; i < n; ++i) {
      const double xi = rng.uniform(-4.0, 4.0);
      x(i) = static_cast<Real>(xi);
      y(i) = static_cast<Real>(xi * xi * xi + noise * rng.normal());
    }
    return makeRegression(x, y);
  };
  return d;
}

BAYESLAB_END_NAMESPACE
