#pragma once
// A session: everything that defines a run, as plain value structs with
// defaults and validation. The session file (session_json.h) is this struct
// in JSON; the GUI edits it; the trainer is built from it. A session and its
// seeds reproduce a run exactly.

#include <optional>
#include <string>
#include <vector>

#include "engine/data/dataset_registry.h"
#include "engine/likelihood/likelihood.h"
#include "engine/methods/method_registry.h"
#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

struct ModelConfig {
  std::vector<int> hidden = {64, 64};  // empty: a linear model
  std::string activation = "relu";

  std::optional<FieldError> validate() const;
  bool operator==(const ModelConfig&) const = default;
};

struct TrainingOptions {
  Index steps = 2000;
  Index batchSize = 64;
  std::string optimizer = "adam";
  double learningRate = 1e-2;
  int mcSamples = 1;
  double klWeight = 1.0;
  std::uint64_t seed = 0;
  int threads = 1;
  Index evalEvery = 0;   // test metrics every this many steps; 0: about 100 times per run
  int evalSamples = 32;  // function draws for test metrics and predictive outputs
  // KL annealing: the KL weight ramps linearly from 0 to kl_weight over this many steps.
  Index klWarmupSteps = 0;

  std::optional<FieldError> validate() const;
  Index effectiveEvalEvery() const;
  bool operator==(const TrainingOptions&) const = default;
};

// Sequential (online) learning: the training data arrive in `parts` pieces; the
// steps are shared equally between them, and at each hand-over the current
// posterior becomes the prior for the next piece.
struct SequentialConfig {
  int parts = 1;                 // 1: ordinary training on all the data
  std::string split = "sorted";  // sorted: along the first input (new regions arrive); random

  bool enabled() const { return parts > 1; }
  std::optional<FieldError> validate() const;
  bool operator==(const SequentialConfig&) const = default;
};

struct SessionConfig {
  DatasetConfig dataset;
  ModelConfig model;
  LikelihoodConfig likelihood;
  MethodConfig method;
  PriorConfig prior;
  TrainingOptions training;
  SequentialConfig sequential;

  std::optional<FieldError> validate() const;
  bool operator==(const SessionConfig&) const = default;
};

BAYESLAB_END_NAMESPACE
