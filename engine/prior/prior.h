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

// Where a block of entries sits and the prior's learnable hyperparameters.
// Priors are evaluated over blocks of the flat parameter vector (in parallel);
// `offset` is the block's first index, for priors that differ per entry (the
// previous posterior in sequential learning). Hyperparameter gradients are
// accumulated into `hyperGradient`, one array per block.
struct PriorContext {
  Index offset = 0;
  const Real* hyperparameters = nullptr;
  Real* hyperGradient = nullptr;
};

class Prior {
 public:
  virtual ~Prior() = default;
  virtual const char* id() const = 0;
  // A short formula for labels and legends, e.g. "N(0, 1\u00b2)".
  virtual std::string describe() const = 0;

  // sum_i log p(w_i); if grad: grad_i += gradientScale * d/dw_i (and the
  // hyperparameter gradient likewise into context.hyperGradient).
  virtual double logDensity(const Real* w, Index n, Real gradientScale, Real* grad,
                            const PriorContext& context = {}) const = 0;

  // The same density for every entry (false for per-entry priors).
  virtual bool isIdentical() const { return true; }
  // Density of one entry (for plotting the prior over the posterior histograms).
  virtual double density(double w) const = 0;

  virtual bool hasClosedFormKl() const { return false; }
  // sum_i KL(N(mu_i, sigma_i^2) || p); if dMu / dSigma: += gradientScale * derivative.
  // Only called when hasClosedFormKl().
  virtual double klGaussian(const Real* mu, const Real* sigma, Index n, Real gradientScale,
                            Real* dMu, Real* dSigma, const PriorContext& context = {}) const;

  // Empirical Bayes: hyperparameters learned with the model by maximising the
  // objective. They are stored by the method after its other parameters.
  virtual Index hyperparameterCount() const { return 0; }
  virtual void initialHyperparameters(Real* /*h*/) const {}
  // A name and a readable value (e.g. "prior_scale", exp(h)) for plots and metrics.
  virtual const char* hyperparameterName(Index /*k*/) const { return ""; }
  virtual double hyperparameterValue(Index /*k*/, const Real* h) const { return h[0]; }
  // The fixed prior these hyperparameter values describe (for overlays and summaries).
  virtual std::shared_ptr<const Prior> withHyperparameters(const Real* /*h*/) const {
    return nullptr;
  }
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
