#include "engine/likelihood/likelihood.h"

#include <cmath>

#include "engine/likelihood/bernoulli_likelihood.h"
#include "engine/likelihood/gaussian_likelihood.h"
#include "engine/likelihood/softmax_likelihood.h"

BAYESLAB_BEGIN_NAMESPACE

const std::vector<std::string>& likelihoodNames() {
  static const std::vector<std::string> names = {"auto", "gaussian", "bernoulli", "softmax"};
  return names;
}

std::optional<FieldError> LikelihoodConfig::validate() const {
  bool known = false;
  for (const auto& n : likelihoodNames()) known = known || n == name;
  if (!known)
    return FieldError{"likelihood.name", "unknown likelihood '" + name +
                                             "' (known: auto, gaussian, bernoulli, softmax)"};
  if (!std::isfinite(noiseStd) || noiseStd <= 0.0 || noiseStd > 1e6)
    return FieldError{"likelihood.noise_std", "must be a positive number"};
  return std::nullopt;
}

std::shared_ptr<const Likelihood> makeLikelihood(const LikelihoodConfig& config,
                                                 const Dataset& train) {
  std::string name = config.name;
  if (name == "auto") name = train.task == Task::Regression ? "gaussian" : "softmax";
  if (name == "gaussian") {
    if (train.task != Task::Regression)
      throw InputError("", "likelihood.name", "a Gaussian likelihood needs a regression data set");
    return std::make_shared<GaussianLikelihood>(config.noiseStd, config.learnNoise);
  }
  if (train.task != Task::Classification)
    throw InputError("", "likelihood.name", "'" + name + "' needs a classification data set");
  if (name == "bernoulli") {
    if (train.classes != 2)
      throw InputError("", "likelihood.name", "a Bernoulli likelihood needs exactly two classes");
    return std::make_shared<BernoulliLikelihood>();
  }
  if (name == "softmax") return std::make_shared<SoftmaxLikelihood>(train.classes);
  throw InputError("", "likelihood.name", "unknown likelihood '" + name + "'");
}

BAYESLAB_END_NAMESPACE
