#pragma once
// Divergence checkpoints of a method's learned state (the trainer's recovery
// from a non-finite step, engine/training/trainer.h).
//
// A method whose step may leave a non-finite state behind (a gradient step with
// a learning rate far too large) implements this beside InferenceMethod: the
// trainer saves the learned state (parameters, optimiser moments, the chain's
// position) every Trainer::kCheckpointEvery steps into one of two slots, and
// after a divergence puts a good one back. A method without it (HMC, whose
// transitions reject non-finite proposals) keeps its state as it is.
#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

class Checkpointable {
 public:
  virtual ~Checkpointable() = default;
  // Copies the learned state into `slot` (0 or 1); sized once, so a checkpoint
  // allocates nothing after the first.
  virtual void saveCheckpoint(int slot) = 0;
  // Puts `slot` back; false when it holds nothing.
  virtual bool restoreCheckpoint(int slot) = 0;
  // Whether the current learned state is finite (called after a refused step only).
  virtual bool parametersFinite() const = 0;
};

BAYESLAB_END_NAMESPACE
