#pragma once
// Bayes by Backprop with the local reparameterisation trick (Kingma, Salimans &
// Welling 2015): the mean-field Gaussian of MeanFieldMethod, with the data term
// estimated by sampling pre-activations per example instead of weights per batch.
#include "engine/methods/method.h"

BAYESLAB_BEGIN_NAMESPACE

MethodDescriptor bbbLrtMethodDescriptor();

BAYESLAB_END_NAMESPACE
