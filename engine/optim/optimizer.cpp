#include "engine/optim/optimizer.h"

#include "engine/optim/adam.h"
#include "engine/optim/sgd.h"

BAYESLAB_BEGIN_NAMESPACE

const std::vector<std::string>& optimizerNames() {
  static const std::vector<std::string> names = {"adam", "sgd"};
  return names;
}

std::unique_ptr<Optimizer> makeOptimizer(const std::string& name, double learningRate) {
  if (name == "adam") return std::make_unique<Adam>(learningRate);
  if (name == "sgd") return std::make_unique<Sgd>(learningRate);
  return nullptr;
}

BAYESLAB_END_NAMESPACE
