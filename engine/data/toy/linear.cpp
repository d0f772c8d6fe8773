// Linear data for exact checks: y = w*^T x + b* + e, e ~ N(0, noise^2).
// With "hidden": [] and a Gaussian prior the model is Bayesian linear
// regression, whose posterior and evidence are known in closed form.
#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor linearDataset() {
  DatasetDescriptor d;
  d.id = "linear";
  d.displayName = "Linear";
  d.description =
      "y = w\u1d40x + b + \u03b5 with x uniform on [0, 2]^d (off-centre, so the slope and the "
      "intercept are correlated a posteriori). With no hidden layers the model is Bayesian linear "
      "regression and the exact posterior is known.";
  d.task = Task::Regression;
  d.defaultNoise = 0.3;
  d.noiseTooltip = "Standard deviation of the additive noise \u03b5.";
  d.options = {
      OptionSpec::integer("input_dim", "Inputs", "Number of input dimensions d.", 1, 1, 64),
      OptionSpec::real("slope", "Slope",
                       "True weight of the first input (others are drawn from "
                       "N(0, 1) with the data seed).",
                       1.5, -100, 100),
      OptionSpec::real("intercept", "Intercept", "True intercept b.", 0.5, -100, 100)};
  d.generate = [](Index n, double noise, const OptionValues& o, RandomStream& rng) {
    const int dim = std::max(1, o.integer("input_dim"));
    RandomStream weightRng = RandomStream(0x11ea5).derive(static_cast<std::uint64_t>(dim));
    Vector w(dim);
    w(0) = static_cast<Real>(o.number("slope"));
    for (int j = 1; j < dim; ++j) w(j) = static_cast<Real>(weightRng.normal());
    Dataset data;
    data.task = Task::Regression;
    data.inputs.resize(dim, n);
    data.targets.resize(1, n);
    for (Index i = 0; i < n; ++i) {
      for (int j = 0; j < dim; ++j) data.inputs(j, i) = static_cast<Real>(rng.uniform(0.0, 2.0));
      data.targets(0, i) = w.dot(data.inputs.col(i)) +
                           static_cast<Real>(o.number("intercept") + noise * rng.normal());
    }
    return data;
  };
  return d;
}

BAYESLAB_END_NAMESPACE
