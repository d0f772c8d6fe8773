#pragma once
// Priors p(w) over every weight and bias, i.i.d. across entries.
//
// Point methods (MAP, SGLD, HMC, Laplace) use log p(w) and its gradient.
// Variational methods with a factorised Gaussian q(w) = prod N(mu_i, sigma_i^2)
// use KL(q || p): in closed form where one exists, otherwise the single-sample
// Monte Carlo estimate log q(w) - log p(w) at the sampled weights (Blundell et
// al. 2015), whose gradient flows through the reparameterisation.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/options.h"

BAYESLAB_BEGIN_NAMESPACE

struct PriorConfig {
  std::string name = "gaussian";
  OptionValues options;  // prior-specific ("scale", ...)

  std::optional<FieldError> validate() const;
  bool operator==(const PriorConfig&) const = default;
};

class Prior {
 public:
  virtual ~Prior() = default;
  virtual const char* id() const = 0;
  // A short formula for labels and legends, e.g. "N(0, 1\u00b2)".
  virtual std::string describe() const = 0;

  // sum_i log p(w_i); if grad: grad_i += gradientScale * d/dw_i.
  virtual double logDensity(const Real* w, Index n, Real gradientScale, Real* grad) const = 0;
  // Density of one entry (for plotting the prior over the posterior histograms).
  virtual double density(double w) const = 0;

  virtual bool hasClosedFormKl() const { return false; }
  // sum_i KL(N(mu_i, sigma_i^2) || p); if dMu / dSigma: += gradientScale * derivative.
  // Only called when hasClosedFormKl().
  virtual double klGaussian(const Real* mu, const Real* sigma, Index n, Real gradientScale,
                            Real* dMu, Real* dSigma) const;
};

struct PriorDescriptor {
  std::string id;
  std::string displayName;
  std::string description;  // for the UI, says whether the KL is closed form or Monte Carlo
  std::string formula;      // density, plain text with Unicode
  OptionSpecs options;
  std::function<std::shared_ptr<const Prior>(const OptionValues&)> create;
};

const std::vector<PriorDescriptor>& priorRegistry();
const PriorDescriptor* findPrior(const std::string& id);
// Throws InputError on an invalid config.
std::shared_ptr<const Prior> makePrior(const PriorConfig& config);
// The config's options completed with the prior's defaults.
OptionValues resolvedPriorOptions(const PriorConfig& config);

BAYESLAB_END_NAMESPACE
