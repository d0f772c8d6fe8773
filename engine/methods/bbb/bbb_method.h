#pragma once
// Bayes by Backprop (Blundell et al. 2015): the mean-field Gaussian of
// MeanFieldMethod with the reparameterisation estimator of its data term.
#include "engine/methods/method.h"

BAYESLAB_BEGIN_NAMESPACE

MethodDescriptor bbbMethodDescriptor();

BAYESLAB_END_NAMESPACE
