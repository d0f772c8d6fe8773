#include "engine/methods/bbb_flipout/bbb_flipout_method.h"

#include "engine/methods/bbb_flipout/flipout_estimator.h"
#include "engine/methods/common/mean_field_method.h"

BAYESLAB_BEGIN_NAMESPACE

MethodDescriptor bbbFlipoutMethodDescriptor() {
  MethodDescriptor d;
  d.id = "bbb_flipout";
  d.displayName = "BBB + Flipout";
  d.summary =
      "Bayes by Backprop whose single weight sample is decorrelated across the "
      "minibatch by random sign flips.";
  d.explanation =
      "The same fully factorised Gaussian q(w) = N(&mu;, &sigma;&sup2;) and ELBO as Bayes by "
      "Backprop. Each step draws one perturbation &Delta; = &sigma; &#8857; &epsilon; per Monte "
      "Carlo sample, as BBB does, but every example multiplies it by its own random signs: "
      "example i uses the weights &mu; + &Delta; &#8857; r<sub>i</sub>s<sub>i</sub><sup>T</sup> "
      "with r<sub>i</sub>, s<sub>i</sub> vectors of &plusmn;1. Because q is symmetric about "
      "&mu;, each example still sees an exact sample from q, so the gradient stays unbiased, "
      "but the examples' weight samples are now nearly independent, which lowers the gradient "
      "variance much as local reparameterisation does. Unlike local reparameterisation it "
      "works for any weight distribution symmetric about its mean, and needs no variance "
      "propagation: the cost is a second matrix product per layer for the perturbation.";
  d.objective =
      "ELBO = (N/B) &Sigma;<sub>i&isin;batch</sub> E<sub>q</sub>[log p(y<sub>i</sub> | "
      "x<sub>i</sub>, w)] &minus; &beta; KL(q(w) || p(w)), &nbsp; z<sub>i</sub> = "
      "&mu;<sub>W</sub>a<sub>i</sub> + &mu;<sub>b</sub> + r<sub>i</sub> &#8857; "
      "(&Delta;<sub>W</sub>(s<sub>i</sub> &#8857; a<sub>i</sub>) + &Delta;<sub>b</sub>)";
  d.reference =
      "Wen, Vicol, Ba, Tran, Grosse (2018), Flipout: Efficient Pseudo-Independent Weight "
      "Perturbations on Mini-Batches";
  d.klLabel = "KL(q || p)";
  d.options = {initialRhoOption()};
  d.create = [](const Problem& p) -> std::unique_ptr<InferenceMethod> {
    return std::make_unique<MeanFieldMethod>(p, std::make_unique<FlipoutEstimator>(p));
  };
  d.parameterFormula = kMeanFieldParameterFormula;
  d.formulaParameterCount = meanFieldParameterCount;
  return d;
}

BAYESLAB_END_NAMESPACE
