#pragma once
// Shared machinery of the methods trained by a first-order optimiser on a
// differentiable objective (MAP and the variational family): a flat parameter
// vector, its gradient, the optimiser, and the guard that refuses a step whose
// objective or gradient is not finite (the parameters stay at their last good
// values and the trainer reports the divergence).
//
// A method whose evaluate() makes its own pass over parameter blocks may take
// the optimiser's update into that pass (defersUpdate()): step t then leaves
// its update pending, and step t+1's evaluate() applies it block by block just
// before it reads the block (applyPendingUpdate). On a small network that
// saves one pass over the parameters and one synchronisation of the threads
// per step, and the update lands on the core that next reads the block. The
// arithmetic is the same as updating at the end of step t; every read of the
// parameters outside step() goes through settle(), which applies a pending
// update first.

#include <array>
#include <memory>

#include "engine/methods/common/checkpointable.h"
#include "engine/methods/method.h"
#include "engine/optim/optimizer.h"

BAYESLAB_BEGIN_NAMESPACE

class GradientMethod : public InferenceMethod, public Checkpointable {
 public:
  explicit GradientMethod(const Problem& problem);

  StepStats step(StepInput& input) final;

  // The minibatch objective (to be minimised) at `params` and, if `gradient`
  // is given, its gradient. Deterministic given input.rng: the finite-difference
  // checks call it repeatedly with the same noise.
  virtual double evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                          StepStats& stats) = 0;

  const Vector& parameters() const {
    settle();
    return m_params;
  }
  void setParameters(const Vector& params) {
    settle();
    m_params = params;
  }
  Index parameterCount() const override { return m_params.size(); }
  // The parameters, their gradient and the optimiser's moments.
  std::size_t stateBytes() const override {
    return static_cast<std::size_t>(m_params.size() * (2 + m_optimizer->statePerParameter())) *
           sizeof(Real);
  }
  void setLearningRate(double lr) override { m_optimizer->setLearningRate(lr); }
  // Divergence checkpoints: the parameters, a pending update (its gradient) and
  // the optimiser's state; no settle(), so a checkpoint costs copies only.
  void saveCheckpoint(int slot) override;
  bool restoreCheckpoint(int slot) override;
  bool parametersFinite() const override { return parameters().allFinite(); }

 protected:
  // Call at the end of the derived constructor, once m_params has its final size.
  void resetOptimizer() {
    m_pending = false;
    m_optimizer->reset(m_params.size());
  }

  // True for a method whose evaluate(), called by step() on m_params, calls
  // applyPendingUpdate(b) for every update block b before it reads the block's
  // parameters.
  virtual bool defersUpdate() const { return false; }
  // The optimiser's update runs over fixed blocks of parameter ranges (by
  // default parameterBlocks(n) contiguous ones). A deferred update and
  // settle() use the same blocks, so a parameter's arithmetic (vector or
  // scalar path) never depends on when its update is applied.
  virtual Index updateBlockCount() const;
  virtual void updateBlock(Index b) const;
  // Inside evaluate() during step(): applies the previous step's update to
  // block b (nothing otherwise, e.g. in a gradient check).
  void applyPendingUpdate(Index b) const {
    if (m_applying) updateBlock(b);
  }
  // Applies a pending update now (a parallel pass); logically const.
  void settle() const;
  // For evaluate() inside step(): the squared norm of the gradient it wrote,
  // summed in its own passes over it. step() needs the norm only to refuse a
  // non-finite gradient, and otherwise reads the whole gradient once more.
  void reportGradientSquaredNorm(Real value) {
    m_reportedNorm = value;
    m_normReported = true;
  }

  // Mutable for settle(): a pending update is part of the parameters' value.
  mutable Vector m_params;
  Vector m_gradient;
  std::unique_ptr<Optimizer> m_optimizer;

 private:
  mutable bool m_pending = false;  // m_gradient's update is not yet in m_params
  bool m_applying = false;         // step() is evaluating with an update pending
  int m_threads = 1;               // of the last step, for settle()
  bool m_normReported = false;     // by this step's evaluate()
  Real m_reportedNorm = 0;

  struct Checkpoint {
    Vector params, gradient;
    bool pending = false;
    std::unique_ptr<Optimizer> optimizer;
    bool valid = false;
  };
  std::array<Checkpoint, 2> m_checkpoints;
};

BAYESLAB_END_NAMESPACE
