#include "engine/methods/mnf/mnf_structure.h"

BAYESLAB_BEGIN_NAMESPACE

MnfStructure::MnfStructure(const MlpLayout& layout, Index flowSteps, Index flowHidden)
    : m_layout(layout), m_flowSteps(flowSteps), m_flowHidden(flowHidden) {
  Index offset = 0;
  for (const LayerShape& s : layout.layers()) {
    MnfLayerBlock block;
    block.noise = MultiplierDistribution(s.inputs, flowSteps, flowHidden);
    block.auxiliary = AuxiliaryModel(s.inputs, s.outputs, flowSteps, 2 * flowHidden);
    block.noiseOffset = offset;
    offset += block.noise.parameterCount();
    block.auxiliaryOffset = offset;
    offset += block.auxiliary.parameterCount();
    m_layers.push_back(block);
  }
  m_auxiliaryCount = offset;
}

void MnfStructure::initialiseAuxiliary(RandomStream& rng, Real* auxiliary) const {
  for (const MnfLayerBlock& block : m_layers) {
    block.noise.initialise(rng, auxiliary + block.noiseOffset);
    block.auxiliary.initialise(rng, auxiliary + block.auxiliaryOffset);
  }
}

BAYESLAB_END_NAMESPACE
