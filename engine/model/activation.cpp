#include "engine/model/activation.h"

BAYESLAB_BEGIN_NAMESPACE

const std::vector<std::string>& activationNames() {
  static const std::vector<std::string> names = {"relu", "tanh"};
  return names;
}

bool parseActivation(const std::string& name, Activation& out) {
  if (name == "relu") {
    out = Activation::Relu;
    return true;
  }
  if (name == "tanh") {
    out = Activation::Tanh;
    return true;
  }
  return false;
}

const char* activationName(Activation a) {
  return a == Activation::Relu ? "relu" : "tanh";
}

BAYESLAB_END_NAMESPACE
