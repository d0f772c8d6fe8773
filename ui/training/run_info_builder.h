#pragma once
// The RunInfo of a trainer: what the views need to know about a run, taken
// once when it is built (the worker thread), or for a finished run (the CLI figures).
#include "ui/training/training_snapshot.h"

namespace bayeslab::ui {

// The exact posterior of the trainer's session under its current prior, or null.
std::shared_ptr<const LinearRegressionPosterior> exactPosteriorOf(const Trainer& trainer);

RunInfoPtr makeRunInfo(const Trainer& trainer, quint64 runId);

}  // namespace bayeslab::ui
