#pragma once
// A multilayer perceptron trained with (inverted) dropout: each example draws its own
// Bernoulli mask m on the inputs of the dropped layers,
//
//   a~_{l-1} = a_{l-1} * m_l / (1 - p),   m_l ~ Bernoulli(1 - p) per input unit,
//   z_l = W_l a~_{l-1} + b_l,
//
// so E[a~] = a and the mean network needs no rescaling. The input of every layer
// after the first is dropped, and the network's input too if asked. Backward:
//   dJ/dW_l = delta_l a~_{l-1}^T,   dJ/da_{l-1} = (W_l^T delta_l) * m_l / (1 - p).
// Equivalently example i uses the weights W_l diag(m_{l,i}) / (1 - p): a draw from
// the variational distribution of Gal & Ghahramani (2016).
//
// As BatchEvaluator: (sample, batch chunk) units with their own mask streams
// rng.derive(s).derive(chunk) and workspaces, gradients summed over units in a fixed
// order; identical for any thread count, allocation-free once sized.

#include <memory>
#include <vector>

#include "engine/core/random.h"
#include "engine/data/dataset.h"
#include "engine/likelihood/likelihood.h"
#include "engine/model/activation.h"
#include "engine/model/mlp_layout.h"

BAYESLAB_BEGIN_NAMESPACE

struct DropoutSettings {
  double rate = 0.1;       // p, the probability of dropping a unit
  bool dropInput = false;  // drop the network's inputs too

  double keep() const { return 1.0 - rate; }
  bool dropsInputOf(Index layer) const { return rate > 0.0 && (layer > 0 || dropInput); }
  // Mask values in place: uniforms on (0, 1] become 1 / (1 - p) with probability
  // 1 - p and 0 otherwise.
  void uniformsToMask(Real* values, Index n) const;
};

class DropoutKernel {
 public:
  DropoutKernel(MlpLayout layout, Activation activation,
                std::shared_ptr<const Likelihood> likelihood, DropoutSettings settings);

  const DropoutSettings& settings() const { return m_settings; }

  // Returns sum_s sum_i log p(y_i | f(x_i; W, masks_{s,i})) over `samples` mask draws.
  // If gradient: writes gradientScale * d/dW of it (P entries, overwritten) and adds
  // gradientScale * d/dphi to dPhi. Deterministic given rng.
  double evaluate(const Batch& batch, Index samples, const Real* weights, const Real* phi,
                  Real gradientScale, Real* gradient, Real* dPhi, const RandomStream& rng,
                  int threads);

 private:
  struct Unit {
    std::vector<Matrix> mask;         // per dropped layer: d_in x n
    std::vector<Matrix> input;        // per dropped layer: the masked input
    std::vector<Matrix> activations;  // per layer: d_out x n
    std::vector<Matrix> deltas;
    Vector gradient;
    Vector likelihoodGradient;
    double logLikelihood = 0.0;
  };

  void forward(Unit& unit, const Eigen::Ref<const Matrix>& x, const Real* weights,
               RandomStream& stream) const;
  void backward(Unit& unit, const Eigen::Ref<const Matrix>& x, const Real* weights,
                Real* gradient) const;

  MlpLayout m_layout;
  Activation m_activation;
  std::shared_ptr<const Likelihood> m_likelihood;
  DropoutSettings m_settings;
  std::vector<Unit> m_units;
};

BAYESLAB_END_NAMESPACE
