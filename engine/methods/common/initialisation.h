#pragma once
// Initial weights: W ~ N(0, 1 / d_in) (LeCun), biases 0, as in the PyTorch
// reference of the standard benchmarks.
#include "engine/core/random.h"
#include "engine/model/mlp_layout.h"

BAYESLAB_BEGIN_NAMESPACE

void initialiseWeights(const MlpLayout& layout, RandomStream& rng, Real* weights);

BAYESLAB_END_NAMESPACE
