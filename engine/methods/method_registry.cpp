#include "engine/methods/method_registry.h"

#include "engine/methods/bbb/bbb_method.h"
#include "engine/methods/map/map_method.h"

BAYESLAB_BEGIN_NAMESPACE

const std::vector<MethodDescriptor>& methodRegistry() {
  static const std::vector<MethodDescriptor> registry = {
      mapMethodDescriptor(),
      bbbMethodDescriptor(),
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
