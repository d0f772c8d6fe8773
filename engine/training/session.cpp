#include "engine/training/session.h"

#include <cmath>

#include "engine/model/activation.h"
#include "engine/optim/optimizer.h"

BAYESLAB_BEGIN_NAMESPACE

std::optional<FieldError> ModelConfig::validate() const {
  if (hidden.size() > 16) return FieldError{"model.hidden", "at most 16 hidden layers"};
  for (size_t i = 0; i < hidden.size(); ++i)
    if (hidden[i] < 1 || hidden[i] > 8192)
      return FieldError{"model.hidden[" + std::to_string(i) + "]", "layer widths must be 1..8192"};
  Activation a;
  if (!parseActivation(activation, a))
    return FieldError{"model.activation",
                      "unknown activation '" + activation + "' (known: relu, tanh)"};
  return std::nullopt;
}

std::optional<FieldError> TrainingOptions::validate() const {
  if (steps < 0 || steps > 100'000'000) return FieldError{"training.steps", "must be 0..1e8"};
  if (batchSize < 1 || batchSize > 1'000'000)
    return FieldError{"training.batch_size", "must be 1..1e6"};
  if (!makeOptimizer(optimizer, 1.0))
    return FieldError{"training.optimizer",
                      "unknown optimizer '" + optimizer + "' (known: adam, sgd)"};
  if (!std::isfinite(learningRate) || learningRate <= 0.0 || learningRate > 1e3)
    return FieldError{"training.learning_rate", "must be a positive number"};
  if (mcSamples < 1 || mcSamples > 1024)
    return FieldError{"training.mc_samples", "must be 1..1024"};
  if (!std::isfinite(klWeight) || klWeight < 0.0 || klWeight > 1e6)
    return FieldError{"training.kl_weight", "must be a number >= 0"};
  if (threads < 1 || threads > 256) return FieldError{"training.threads", "must be 1..256"};
  if (evalEvery < 0) return FieldError{"training.eval_every", "must be >= 0"};
  if (evalSamples < 1 || evalSamples > 10000)
    return FieldError{"training.eval_samples", "must be 1..10000"};
  if (klWarmupSteps < 0) return FieldError{"training.kl_warmup_steps", "must be >= 0"};
  return std::nullopt;
}

std::optional<FieldError> SequentialConfig::validate() const {
  if (parts < 1 || parts > 50) return FieldError{"sequential.parts", "must be 1..50"};
  if (split != "sorted" && split != "random")
    return FieldError{"sequential.split", "must be 'sorted' or 'random'"};
  return std::nullopt;
}

Index TrainingOptions::effectiveEvalEvery() const {
  if (evalEvery > 0) return evalEvery;
  return std::max<Index>(10, steps / 100);
}

std::optional<FieldError> SessionConfig::validate() const {
  if (auto e = dataset.validate()) return e;
  if (auto e = model.validate()) return e;
  if (auto e = likelihood.validate()) return e;
  if (auto e = method.validate()) return e;
  if (auto e = prior.validate()) return e;
  if (auto e = sequential.validate()) return e;
  if (sequential.enabled() && training.steps < sequential.parts)
    return FieldError{"sequential.parts", "needs at least one training step per part"};
  return training.validate();
}

BAYESLAB_END_NAMESPACE
