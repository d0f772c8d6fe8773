#include "engine/methods/bbvi/bbvi_method.h"

#include "engine/methods/bbvi/score_function_estimator.h"
#include "engine/methods/common/mean_field_method.h"

BAYESLAB_BEGIN_NAMESPACE

MethodDescriptor bbviMethodDescriptor() {
  MethodDescriptor d;
  d.id = "bbvi";
  d.displayName = "Black box VI (score function)";
  d.summary =
      "The same q as Bayes by Backprop, trained with the REINFORCE gradient and a "
      "control variate: no backpropagation through the network.";
  d.explanation =
      "The same fully factorised Gaussian q(w) = N(&mu;, &sigma;&sup2;) and ELBO as Bayes by "
      "Backprop, but the gradient of the expected log-likelihood is estimated with the score "
      "function: &nabla;E<sub>q</sub>[f(w)] = E<sub>q</sub>[f(w) &nabla;log q(w)]. It needs only "
      "the log-likelihood f at sampled weights, never its derivative, so it works for any model "
      "(\"black box\"), but its variance is far larger than the reparameterisation gradient's: "
      "compare them in the gradient-variance view. Because E<sub>q</sub>[&nabla;log q] = 0, a "
      "baseline b can be subtracted from f without bias (a control variate); with several Monte "
      "Carlo samples each sample's baseline is the mean of the others (leave-one-out), with one "
      "sample a moving average of past steps. Only the expected log-likelihood uses the score "
      "function: the KL term keeps its closed form (or its Monte Carlo estimate for priors "
      "without one), exactly as in Bayes by Backprop. Expect slow, noisy training: use several "
      "Monte Carlo samples.";
  d.objective =
      "&nabla;<sub>&mu;,&sigma;</sub>ELBO &asymp; (N/B)(1/S) &Sigma;<sub>s</sub> "
      "(f<sub>s</sub> &minus; b<sub>s</sub>) &nabla;<sub>&mu;,&sigma;</sub> log q(w<sub>s</sub>) "
      "&minus; &beta; &nabla;<sub>&mu;,&sigma;</sub>KL(q || p), &nbsp; f<sub>s</sub> = "
      "&Sigma;<sub>i&isin;batch</sub> log p(y<sub>i</sub> | x<sub>i</sub>, w<sub>s</sub>), "
      "&nbsp; b<sub>s</sub> = mean<sub>t&ne;s</sub> f<sub>t</sub>";
  d.reference = "Ranganath, Gerrish, Blei (2014), Black Box Variational Inference";
  d.klLabel = "KL(q || p)";
  d.options = {
      initialRhoOption(),
      OptionSpec::boolean("control_variate", "Control variate",
                          "Subtract a baseline from the log-likelihood in the score-function "
                          "gradient: the leave-one-out mean of the other Monte Carlo samples "
                          "(or, with one sample, a moving average of past steps). It keeps the "
                          "gradient unbiased and cuts its variance by orders of magnitude; turn "
                          "it off to see why it is needed.",
                          true)};
  d.create = [](const Problem& p) -> std::unique_ptr<InferenceMethod> {
    return std::make_unique<MeanFieldMethod>(
        p, std::make_unique<ScoreFunctionEstimator>(p, p.options.flag("control_variate")));
  };
  d.parameterFormula = kMeanFieldParameterFormula;
  d.formulaParameterCount = meanFieldParameterCount;
  return d;
}

BAYESLAB_END_NAMESPACE
