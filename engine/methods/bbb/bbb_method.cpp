#include "engine/methods/bbb/bbb_method.h"

#include "engine/methods/bbb/reparameterisation_estimator.h"
#include "engine/methods/common/mean_field_method.h"

BAYESLAB_BEGIN_NAMESPACE

MethodDescriptor bbbMethodDescriptor() {
  MethodDescriptor d;
  d.id = "bbb";
  d.displayName = "Bayes by Backprop";
  d.summary = "Mean-field Gaussian variational inference with the reparameterisation trick.";
  d.explanation =
      "Every weight and bias gets an independent Gaussian q(w) = N(&mu;, &sigma;&sup2;) with "
      "&sigma; = softplus(&rho;). Each step samples a weight vector w = &mu; + &sigma;&epsilon;, "
      "&epsilon; ~ N(0, I), runs the network, and follows the gradient of the ELBO through the "
      "sample (the reparameterisation trick). The KL to the prior is closed form for a Gaussian "
      "prior and a Monte Carlo estimate otherwise. One weight sample is shared by the whole "
      "minibatch, so the gradient noise is larger than with local reparameterisation.";
  d.objective =
      "ELBO = (N/B) &Sigma;<sub>i&isin;batch</sub> E<sub>q</sub>[log p(y<sub>i</sub> | "
      "x<sub>i</sub>, w)] &minus; &beta; KL(q(w) || p(w)), &nbsp; w = &mu; + softplus(&rho;) "
      "&#8857; &epsilon;";
  d.reference =
      "Blundell, Cornebise, Kavukcuoglu, Wierstra (2015), Weight Uncertainty in Neural Networks";
  d.klLabel = "KL(q || p)";
  d.options = {initialRhoOption()};
  d.create = [](const Problem& p) -> std::unique_ptr<InferenceMethod> {
    return std::make_unique<MeanFieldMethod>(p, std::make_unique<ReparameterisationEstimator>(p));
  };
  d.parameterFormula = kMeanFieldParameterFormula;
  d.formulaParameterCount = meanFieldParameterCount;
  return d;
}

BAYESLAB_END_NAMESPACE
