#include "engine/prior/prior.h"

#include "engine/prior/empirical_bayes_prior.h"
#include "engine/prior/gaussian_prior.h"
#include "engine/prior/laplace_prior.h"
#include "engine/prior/scale_mixture_prior.h"
#include "engine/prior/student_t_prior.h"

BAYESLAB_BEGIN_NAMESPACE

double Prior::klGaussian(const Real*, const Real*, Index, Real, Real*, Real*,
                         const PriorContext&) const {
  return 0.0;
}

const std::vector<PriorDescriptor>& priorRegistry() {
  static const std::vector<PriorDescriptor> registry = {
      gaussianPriorDescriptor(), scaleMixturePriorDescriptor(),   laplacePriorDescriptor(),
      studentTPriorDescriptor(), empiricalBayesPriorDescriptor(),
  };
  return registry;
}

const PriorDescriptor* findPrior(const std::string& id) {
  for (const auto& p : priorRegistry())
    if (p.id == id) return &p;
  return nullptr;
}

std::optional<FieldError> PriorConfig::validate() const {
  const PriorDescriptor* d = findPrior(name);
  if (!d) {
    std::string list;
    for (const auto& p : priorRegistry()) list += (list.empty() ? "" : ", ") + p.id;
    return FieldError{"prior.name", "unknown prior '" + name + "' (known: " + list + ")"};
  }
  return validateOptions(d->options, options, "prior");
}

OptionValues resolvedPriorOptions(const PriorConfig& config) {
  const PriorDescriptor* d = findPrior(config.name);
  return d ? withDefaults(d->options, config.options) : config.options;
}

std::shared_ptr<const Prior> makePrior(const PriorConfig& config) {
  if (auto error = config.validate()) throw InputError("", error->field, error->message);
  return findPrior(config.name)->create(resolvedPriorOptions(config));
}

BAYESLAB_END_NAMESPACE
