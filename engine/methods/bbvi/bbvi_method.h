#pragma once
// Black box variational inference (Ranganath, Gerrish & Blei 2014): the mean-field
// Gaussian of MeanFieldMethod with the score-function estimator of its data term
// and a control variate. The KL term keeps its closed form (MeanFieldMethod).
#include "engine/methods/method.h"

BAYESLAB_BEGIN_NAMESPACE

MethodDescriptor bbviMethodDescriptor();

BAYESLAB_END_NAMESPACE
