#include "engine/methods/method_registry.h"

#include "engine/methods/bbb/bbb_method.h"
#include "engine/methods/bbb_flipout/bbb_flipout_method.h"
#include "engine/methods/bbb_lrt/bbb_lrt_method.h"
#include "engine/methods/bbvi/bbvi_method.h"
#include "engine/methods/ensemble/ensemble_method.h"
#include "engine/methods/hmc/hmc_method.h"
#include "engine/methods/inducing/inducing_method.h"
#include "engine/methods/laplace/laplace_method.h"
#include "engine/methods/map/map_method.h"
#include "engine/methods/mc_dropout/mc_dropout_method.h"
#include "engine/methods/mnf/mnf_method.h"
#include "engine/methods/sgld/sgld_method.h"
#include "engine/methods/sivi/sivi_method.h"

BAYESLAB_BEGIN_NAMESPACE

const std::vector<MethodDescriptor>& methodRegistry() {
  static const std::vector<MethodDescriptor> registry = {
      mapMethodDescriptor(),        bbbMethodDescriptor(),     bbbLrtMethodDescriptor(),
      bbbFlipoutMethodDescriptor(), bbviMethodDescriptor(),    mcDropoutMethodDescriptor(),
      ensembleMethodDescriptor(),   laplaceMethodDescriptor(), sgldMethodDescriptor(),
      hmcMethodDescriptor(),        mnfMethodDescriptor(),     siviMethodDescriptor(),
      inducingMethodDescriptor(),
  };
  return registry;
}

const MethodDescriptor* findMethod(const std::string& id) {
  for (const auto& m : methodRegistry())
    if (m.id == id) return &m;
  return nullptr;
}

std::optional<FieldError> MethodConfig::validate() const {
  const MethodDescriptor* d = findMethod(name);
  if (!d) {
    std::string list;
    for (const auto& m : methodRegistry()) list += (list.empty() ? "" : ", ") + m.id;
    return FieldError{"method.name", "unknown method '" + name + "' (known: " + list + ")"};
  }
  return validateOptions(d->options, options, "method");
}

BAYESLAB_END_NAMESPACE
