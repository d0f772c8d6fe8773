#pragma once
// Where each layer's weights and biases live in a flat parameter vector.
//
// Layer l maps d_in -> d_out with W_l (d_out x d_in, column-major) followed by
// b_l (d_out). All parameters of a network are one contiguous vector so that
// sampling, the KL, its gradient and the optimiser run as single vectorised
// passes, and gradient checks can perturb "the parameters" generically.

#include <string>
#include <vector>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

struct LayerShape {
  Index inputs = 0;
  Index outputs = 0;
  Index weightOffset = 0;
  Index biasOffset = 0;
  Index weightCount() const { return inputs * outputs; }
  Index parameterCount() const { return inputs * outputs + outputs; }
};

class MlpLayout {
 public:
  MlpLayout() = default;
  MlpLayout(Index inputDim, const std::vector<int>& hidden, Index outputDim);

  Index inputDim() const { return m_inputDim; }
  Index outputDim() const { return m_outputDim; }
  Index parameterCount() const { return m_parameterCount; }
  Index layerCount() const { return static_cast<Index>(m_layers.size()); }
  const LayerShape& layer(Index l) const { return m_layers[static_cast<size_t>(l)]; }
  const std::vector<LayerShape>& layers() const { return m_layers; }
  const std::vector<int>& hidden() const { return m_hidden; }
  // "1-64-64-1"
  std::string describe() const;
  // Which layer (and whether a bias) flat index i belongs to.
  Index layerOf(Index i) const;

  bool operator==(const MlpLayout& o) const {
    return m_inputDim == o.m_inputDim && m_outputDim == o.m_outputDim && m_hidden == o.m_hidden;
  }

 private:
  Index m_inputDim = 0, m_outputDim = 0, m_parameterCount = 0;
  std::vector<int> m_hidden;
  std::vector<LayerShape> m_layers;
};

BAYESLAB_END_NAMESPACE
