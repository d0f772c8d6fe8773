#pragma once
// Reading one or two parameters out of any posterior, for the views that put a
// method beside a reference: the parameter's name in the network, and its draws
// when the posterior is a set of weight vectors (the kept draws of a sampler, the
// members of an ensemble). Only the Posterior contract is used (trace(),
// summary()), never the method's name.
#include <QString>
#include <QStringList>
#include <vector>

#include "engine/methods/posterior.h"

namespace bayeslab::ui {

// "w[0]" / "b" for a linear model with one output; "W1[2,0]" / "b1[2]" (layer 1,
// output 2, input 0) otherwise.
QString parameterName(const MlpLayout& layout, Index parameter);
QStringList parameterNames(const MlpLayout& layout);

// Every weight vector of a sample-based posterior, at most `maxSamples` of them
// (evenly spaced); empty for Gaussian and point posteriors.
std::vector<Vector> flatSamples(const Posterior& posterior, Index maxSamples);

// The draws of parameters a and b (same length, at most `maxDraws`, evenly spaced)
// of a sample-based posterior; both empty otherwise.
struct PairDraws {
  std::vector<double> a, b;
  bool empty() const { return a.empty(); }
};
PairDraws pairDraws(const Posterior& posterior, Index a, Index b, Index maxDraws);
PairDraws pairDraws(const std::vector<Vector>& samples, Index a, Index b, Index maxDraws);

// Mean and covariance of two equally long sequences (1/n normalisation, as the
// sample posteriors' own moments).
struct PairMoments {
  double meanA = 0.0, meanB = 0.0;
  double varA = 0.0, varB = 0.0, cov = 0.0;
};
PairMoments pairMoments(const PairDraws& draws);

}  // namespace bayeslab::ui
