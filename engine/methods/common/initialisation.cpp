#include "engine/methods/common/initialisation.h"

#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

void initialiseWeights(const MlpLayout& layout, RandomStream& rng, Real* weights) {
  for (const LayerShape& s : layout.layers()) {
    const Real scale = static_cast<Real>(1.0 / std::sqrt(static_cast<double>(s.inputs)));
    rng.fillNormal(weights + s.weightOffset, s.weightCount());
    ArrayMap(weights + s.weightOffset, s.weightCount()) *= scale;
    ArrayMap(weights + s.biasOffset, s.outputs).setZero();
  }
}

BAYESLAB_END_NAMESPACE
