#pragma once
// The list of inference methods. Adding a method: one folder under methods/
// with a function returning its MethodDescriptor, and one line in
// method_registry.cpp.

#include <vector>

#include "engine/methods/method.h"

BAYESLAB_BEGIN_NAMESPACE

struct MethodConfig {
  std::string name = "bbb";
  OptionValues options;  // method-specific

  std::optional<FieldError> validate() const;
  bool operator==(const MethodConfig&) const = default;
};

const std::vector<MethodDescriptor>& methodRegistry();
const MethodDescriptor* findMethod(const std::string& id);

BAYESLAB_END_NAMESPACE
