#include "engine/methods/bbb_lrt/bbb_lrt_method.h"

#include "engine/methods/bbb_lrt/local_reparameterisation_estimator.h"
#include "engine/methods/common/mean_field_method.h"

BAYESLAB_BEGIN_NAMESPACE

MethodDescriptor bbbLrtMethodDescriptor() {
  MethodDescriptor d;
  d.id = "bbb_lrt";
  d.displayName = "BBB + local reparameterisation";
  d.summary =
      "Bayes by Backprop with per-example Gaussian pre-activations: the same q and "
      "ELBO, much less gradient noise.";
  d.explanation =
      "The same fully factorised Gaussian q(w) = N(&mu;, &sigma;&sup2;) as Bayes by Backprop, "
      "and the same ELBO. What changes is how its expectation is estimated. For a fixed layer "
      "input a, the pre-activation b = Wa + b<sub>0</sub> of a Gaussian weight matrix is itself "
      "Gaussian, with mean &mu;<sub>W</sub>a + &mu;<sub>b</sub> and variance "
      "&sigma;<sub>W</sub>&sup2;a&sup2; + &sigma;<sub>b</sub>&sup2;. So instead of drawing one "
      "weight matrix for the whole minibatch, each example draws its own pre-activations "
      "directly. The estimate stays unbiased, but the examples no longer share one weight "
      "sample, so the gradient variance shrinks roughly like 1/B with the batch size B "
      "(compare it in the gradient-variance view). The cost is a second matrix product per "
      "layer for the variances. Function draws for the predictive still sample whole weight "
      "vectors from q.";
  d.objective =
      "ELBO = (N/B) &Sigma;<sub>i&isin;batch</sub> E<sub>q</sub>[log p(y<sub>i</sub> | "
      "x<sub>i</sub>, w)] &minus; &beta; KL(q(w) || p(w)), &nbsp; b<sub>i</sub> = "
      "&mu;<sub>W</sub>a<sub>i</sub> + &mu;<sub>b</sub> + "
      "&radic;(&sigma;<sub>W</sub>&sup2;a<sub>i</sub>&sup2; + &sigma;<sub>b</sub>&sup2;) "
      "&#8857; &epsilon;<sub>i</sub>";
  d.reference =
      "Kingma, Salimans, Welling (2015), Variational Dropout and the Local Reparameterization "
      "Trick";
  d.klLabel = "KL(q || p)";
  d.options = {initialRhoOption()};
  d.create = [](const Problem& p) -> std::unique_ptr<InferenceMethod> {
    return std::make_unique<MeanFieldMethod>(p,
                                             std::make_unique<LocalReparameterisationEstimator>(p));
  };
  d.parameterFormula = kMeanFieldParameterFormula;
  d.formulaParameterCount = meanFieldParameterCount;
  return d;
}

BAYESLAB_END_NAMESPACE
