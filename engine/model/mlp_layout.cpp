#include "engine/model/mlp_layout.h"

BAYESLAB_BEGIN_NAMESPACE

MlpLayout::MlpLayout(Index inputDim, const std::vector<int>& hidden, Index outputDim)
    : m_inputDim(inputDim), m_outputDim(outputDim), m_hidden(hidden) {
  Index in = inputDim, offset = 0;
  std::vector<Index> widths(hidden.begin(), hidden.end());
  widths.push_back(outputDim);
  for (Index out : widths) {
    LayerShape s;
    s.inputs = in;
    s.outputs = out;
    s.weightOffset = offset;
    s.biasOffset = offset + in * out;
    offset += s.parameterCount();
    m_layers.push_back(s);
    in = out;
  }
  m_parameterCount = offset;
}

std::string MlpLayout::describe() const {
  // Appended piece by piece: GCC 12 warns wrongly (-Wstringop-overflow) about
  // "-" + std::to_string(h) once this is inlined into a unity batch.
  std::string s = std::to_string(m_inputDim);
  for (int h : m_hidden) {
    s += '-';
    s += std::to_string(h);
  }
  s += '-';
  s += std::to_string(m_outputDim);
  return s;
}

Index MlpLayout::layerOf(Index i) const {
  for (Index l = 0; l < layerCount(); ++l)
    if (i < layer(l).weightOffset + layer(l).parameterCount()) return l;
  return layerCount() - 1;
}

BAYESLAB_END_NAMESPACE
