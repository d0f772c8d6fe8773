#pragma once
// Which edits can reach a running trainer and which need a new one.
//
// Live: the learning rate, the KL weight, every prior option whose spec is
// marked live (the trainer swaps the prior between steps) and every method
// option whose spec is marked live (SIVI's number of mixing draws, applied from
// the next step). Everything else (the data, the model, the method and its other
// options, the prior family, the other training options) is structural: it
// changes what is being trained, so it takes a reset.
#include <optional>

#include "engine/training/session.h"

namespace bayeslab::ui {

struct SessionDiff {
  std::optional<double> learningRate;  // set when it changed
  std::optional<double> klWeight;
  std::optional<PriorConfig> prior;  // set when a live prior option changed
  std::optional<OptionValues> methodOptions;  // set when a live method option changed
  bool structural = false;

  bool empty() const { return !hasLive() && !structural; }
  bool hasLive() const { return learningRate || klWeight || prior || methodOptions; }
};

// What it takes to go from the running session to the edited one.
SessionDiff diffSessions(const SessionConfig& running, const SessionConfig& edited);

}  // namespace bayeslab::ui
