#pragma once
// Where MNF's learned scalars live. The method's flat parameter vector is
//
//   [mu (P) | log sigma (P) | auxiliary (A) | likelihood (L) | prior hyperparameters]
//
// with mu and log sigma of every weight and bias in MlpLayout order (so a
// per-entry prior, the previous posterior of sequential learning, lines up with
// them), and the auxiliary block holding, layer after layer (D = the layer's
// inputs, K = flow steps, H = hidden units of q's flow, 2H of r's):
//
//   q(z):    [m (D) | lambda (D) | K coupling steps (3 H D + H + 2 D each)]
//   r(z|W):  [c (D) | b1 (D) | b2 (D) | K coupling steps (6 H D + 2 H + 2 D each)]
//
// (planar steps, 2 D + 1 scalars each, where D = 1).
#include <vector>

#include "engine/methods/mnf/auxiliary_model.h"
#include "engine/methods/mnf/multiplier_distribution.h"
#include "engine/model/mlp_layout.h"

BAYESLAB_BEGIN_NAMESPACE

struct MnfLayerBlock {
  Index noiseOffset = 0;      // q(z)'s parameters in the auxiliary block
  Index auxiliaryOffset = 0;  // r(z | W)'s
  MultiplierDistribution noise;
  AuxiliaryModel auxiliary;
};

class MnfStructure {
 public:
  MnfStructure() = default;
  MnfStructure(const MlpLayout& layout, Index flowSteps, Index flowHidden);

  const MlpLayout& layout() const { return m_layout; }
  Index flowSteps() const { return m_flowSteps; }
  Index flowHidden() const { return m_flowHidden; }
  const MnfLayerBlock& layer(Index l) const { return m_layers[static_cast<size_t>(l)]; }
  Index auxiliaryCount() const { return m_auxiliaryCount; }
  // mu, log sigma and the auxiliary block: everything but the likelihood's
  // and the prior's parameters.
  Index networkParameterCount() const { return 2 * m_layout.parameterCount() + m_auxiliaryCount; }

  void initialiseAuxiliary(RandomStream& rng, Real* auxiliary) const;

 private:
  MlpLayout m_layout;
  Index m_flowSteps = 0, m_flowHidden = 0, m_auxiliaryCount = 0;
  std::vector<MnfLayerBlock> m_layers;
};

BAYESLAB_END_NAMESPACE
