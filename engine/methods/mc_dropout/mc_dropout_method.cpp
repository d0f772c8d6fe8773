#include "engine/methods/mc_dropout/mc_dropout_method.h"

#include "engine/methods/common/initialisation.h"
#include "engine/methods/mc_dropout/dropout_posterior.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
DropoutSettings settingsFrom(const OptionValues& options) {
  DropoutSettings s;
  s.rate = options.number("rate");
  s.dropInput = options.flag("drop_input");
  return s;
}
}  // namespace

McDropoutMethod::McDropoutMethod(const Problem& problem)
    : GradientMethod(problem),
      m_kernel(problem.layout, problem.activation, problem.likelihood,
               settingsFrom(problem.options)),
      m_network(problem.layout, problem.activation),
      m_likelihood(problem.likelihood),
      m_prior(problem.prior),
      m_weightCount(problem.layout.parameterCount()) {
  const Index L = m_likelihood->parameterCount();
  const Index H = m_prior->hyperparameterCount();
  m_params.resize(m_weightCount + L + H);
  m_gradient.resize(m_params.size());
  RandomStream rng = problem.initRng;
  initialiseWeights(problem.layout, rng, m_params.data());
  m_likelihood->initialParameters(m_params.data() + m_weightCount);
  m_prior->initialHyperparameters(m_params.data() + m_weightCount + L);
  resetOptimizer();
}

void McDropoutMethod::setPrior(std::shared_ptr<const Prior> prior) {
  // A different number of hyperparameters would change the parameter vector: needs a reset.
  if (prior->hyperparameterCount() == m_prior->hyperparameterCount()) m_prior = std::move(prior);
}

double McDropoutMethod::regulariser(const Vector& params, Real beta, Real* gradient) {
  const Index P = m_weightCount;
  const Index L = m_likelihood->parameterCount();
  const MlpLayout& layout = m_network.layout();
  PriorContext context;
  context.hyperparameters = params.data() + P + L;
  context.hyperGradient = gradient ? gradient + P + L : nullptr;
  m_scaled.resize(P);
  m_priorGradient.resize(P);
  double total = 0.0;
  for (Index l = 0; l < layout.layerCount(); ++l) {
    const LayerShape& s = layout.layer(l);
    // Weights: k (-log p(W / k)); its gradient in W is -(d log p / dw)(W / k).
    const Index w0 = s.weightOffset, n = s.weightCount();
    context.offset = w0;
    if (settings().dropsInputOf(l)) {
      const Real k = static_cast<Real>(settings().keep());
      m_scaled.segment(w0, n) = params.segment(w0, n) / k;
      m_priorGradient.segment(w0, n).setZero();
      total -= static_cast<double>(k) *
               m_prior->logDensity(m_scaled.data() + w0, n, -beta * k,
                                   gradient ? m_priorGradient.data() + w0 : nullptr, context);
      if (gradient) VectorMap(gradient + w0, n) += m_priorGradient.segment(w0, n) / k;
    } else {
      total -= m_prior->logDensity(params.data() + w0, n, -beta, gradient ? gradient + w0 : nullptr,
                                   context);
    }
    context.offset = s.biasOffset;
    total -= m_prior->logDensity(params.data() + s.biasOffset, s.outputs, -beta,
                                 gradient ? gradient + s.biasOffset : nullptr, context);
  }
  return total;
}

double McDropoutMethod::evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                                 StepStats& stats) {
  const Batch& batch = *input.batch;
  const Index P = m_weightCount;
  const Index L = m_likelihood->parameterCount();
  const Index H = m_prior->hyperparameterCount();
  const Index S = std::max(1, input.mcSamples);
  const double scale = static_cast<double>(input.datasetSize) / static_cast<double>(batch.size());
  const Real beta = static_cast<Real>(input.klWeight);
  Real* g = gradient ? gradient->data() : nullptr;
  if (g) gradient->tail(L + H).setZero();
  const double logLik = m_kernel.evaluate(batch, S, params.data(), params.data() + P,
                                          static_cast<Real>(-scale / static_cast<double>(S)), g,
                                          g ? g + P : nullptr, input.rng, input.threads);
  const double penalty = regulariser(params, beta, g);
  for (Index k = 0; k < H; ++k)
    stats.addExtra(m_prior->hyperparameterName(k),
                   m_prior->hyperparameterValue(k, params.data() + P + L));
  stats.expectedLogLikelihood = scale * logLik / static_cast<double>(S);
  stats.kl = penalty;
  stats.elbo = stats.expectedLogLikelihood - stats.kl;
  return -(stats.expectedLogLikelihood - static_cast<double>(beta) * penalty);
}

std::shared_ptr<const Posterior> McDropoutMethod::posterior() const {
  const Index L = m_likelihood->parameterCount();
  auto posterior = std::make_shared<DropoutPosterior>(m_network, m_params.segment(m_weightCount, L),
                                                      m_params.head(m_weightCount), settings());
  if (m_prior->hyperparameterCount() > 0)
    posterior->setLearnedPrior(m_prior->withHyperparameters(m_params.data() + m_weightCount + L));
  return posterior;
}

MethodDescriptor mcDropoutMethodDescriptor() {
  MethodDescriptor d;
  d.id = "mc_dropout";
  d.displayName = "MC dropout";
  d.summary =
      "A network trained with dropout and weight decay, read as approximate "
      "variational inference; predictions average over random dropout masks.";
  d.explanation =
      "An ordinary network trained with dropout: every step, each example switches off each "
      "input unit of every layer after the first (and optionally the inputs) with probability "
      "p, and the kept units are scaled by 1/(1&minus;p). Gal and Ghahramani showed that this, "
      "together with weight decay, maximises an approximate ELBO for a variational "
      "distribution whose weight matrices are W diag(m) with random Bernoulli masks m, so "
      "dropout already is a Bayesian approximation. The prior enters as weight decay, with the "
      "weights that follow dropout counted with weight (1&minus;p), as in Gal and Ghahramani's "
      "KL approximation. At prediction time dropout stays on (\"MC dropout\"): each sampled "
      "function uses one mask for all inputs, and the predictive averages many of them. The "
      "spread is controlled by p, not learned per weight, so the uncertainty it shows is only "
      "as good as that fixed choice.";
  d.objective =
      "minimise &nbsp; &minus;(N/B) &Sigma;<sub>i&isin;batch</sub> log p(y<sub>i</sub> | "
      "x<sub>i</sub>, W diag(m<sub>i</sub>)/(1&minus;p)) + &beta; [&Sigma;<sub>l</sub> "
      "(1&minus;p) (&minus;log p(W<sub>l</sub>/(1&minus;p))) &minus; log p(b)], &nbsp; "
      "m<sub>i</sub> ~ Bernoulli(1&minus;p)";
  d.reference =
      "Gal, Ghahramani (2016), Dropout as a Bayesian Approximation: Representing Model "
      "Uncertainty in Deep Learning";
  d.klLabel = "weight decay (Gal & Ghahramani KL approximation)";
  d.options = {
      OptionSpec::real("rate", "Dropout rate p",
                       "Probability of switching off each unit (for every example and step, and "
                       "for every sampled function at prediction time). Larger p gives wider "
                       "predictive bands; p = 0 is a MAP network.",
                       0.1, 0.0, 0.9),
      OptionSpec::boolean("drop_input", "Drop inputs",
                          "Also drop the network's input features, not only the hidden units. "
                          "With a single input (1-D regression) this switches off the whole "
                          "input a fraction p of the time.",
                          false)};
  d.create = [](const Problem& p) { return std::make_unique<McDropoutMethod>(p); };
  // The dropout rate is fixed, not learned: one weight matrix as for MAP.
  d.parameterFormula = "\u03a3 (d_in d_out + d_out)";
  d.formulaParameterCount = [](const MlpLayout& layout, const OptionValues&) {
    return layout.parameterCount();
  };
  return d;
}

BAYESLAB_END_NAMESPACE
