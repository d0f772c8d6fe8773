#pragma once
// Bayes by Backprop with Flipout (Wen et al. 2018): the mean-field Gaussian of
// MeanFieldMethod, with one weight perturbation per sample made pseudo-independent
// across the minibatch by random sign flips.
#include "engine/methods/method.h"

BAYESLAB_BEGIN_NAMESPACE

MethodDescriptor bbbFlipoutMethodDescriptor();

BAYESLAB_END_NAMESPACE
