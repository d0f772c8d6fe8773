#pragma once
// Observation models p(y | f) on network outputs f.
//
// The objective of every method contains sum_i log p(y_i | f(x_i)), scaled to
// the full data set. A likelihood returns that sum for a batch and, when asked,
// writes `gradientScale * d/df` of it (a method passes -N / (B S) to obtain the
// gradient of its loss directly, without another pass). Learned likelihood
// parameters (the Gaussian's log noise std) live at the end of the method's
// flat parameter vector and are point-estimated.

#include <memory>
#include <string>
#include <vector>

#include "engine/core/options.h"
#include "engine/data/dataset.h"

BAYESLAB_BEGIN_NAMESPACE

struct LikelihoodConfig {
  std::string name = "auto";  // auto | gaussian | bernoulli | softmax
  double noiseStd = 0.1;      // Gaussian: observation noise (initial value if learned)
  bool learnNoise = false;    // Gaussian: learn log(noise std) by maximising the objective

  std::optional<FieldError> validate() const;
  bool operator==(const LikelihoodConfig&) const = default;
};

class Likelihood {
 public:
  virtual ~Likelihood() = default;
  virtual const char* id() const = 0;
  virtual Task task() const = 0;
  // Number of network outputs for a data set (targets rows, 1 or K).
  virtual Index outputDim(const Dataset& data) const = 0;

  virtual Index parameterCount() const { return 0; }
  virtual void initialParameters(Real* /*params*/) const {}
  virtual std::vector<std::string> parameterNames() const { return {}; }

  // sum_i log p(y_i | f_i, params). If dF: dF = gradientScale * d/df (same shape as f).
  // If dParams: dParams += gradientScale * d/dparams.
  virtual double logLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y,
                               const Real* params, Real gradientScale, Matrix* dF,
                               Real* dParams) const = 0;
  // log p(y_i | f_i) for each column (for predictive densities).
  virtual void pointLogLikelihood(const Eigen::Ref<const Matrix>& f, const TargetView& y,
                                  const Real* params, Real* out) const = 0;

  // Classification: class probabilities (K x M) from outputs. Regression: the mean (copy of f).
  virtual void predictiveMean(const Eigen::Ref<const Matrix>& f, Matrix& out) const = 0;
  // Regression: variance of the observation noise. Classification: 0.
  virtual double noiseVariance(const Real* /*params*/) const { return 0.0; }
  // Number of classes (classification) or 0.
  virtual int classes() const { return 0; }
};

// Builds the likelihood a config asks for, resolving "auto" from the data set.
// Throws InputError (field "likelihood.name") if it does not fit the data.
std::shared_ptr<const Likelihood> makeLikelihood(const LikelihoodConfig& config,
                                                 const Dataset& train);
const std::vector<std::string>& likelihoodNames();

BAYESLAB_END_NAMESPACE
