#include "engine/methods/map/map_method.h"

#include "engine/methods/common/initialisation.h"
#include "engine/methods/common/point_posterior.h"

BAYESLAB_BEGIN_NAMESPACE

MapMethod::MapMethod(const Problem& problem)
    : GradientMethod(problem),
      m_evaluator(MlpKernel(problem.layout, problem.activation), problem.likelihood),
      m_prior(problem.prior),
      m_usePrior(problem.options.flag("use_prior")),
      m_weightCount(problem.layout.parameterCount()) {
  const Index L = problem.likelihood->parameterCount();
  const Index H = m_prior->hyperparameterCount();
  m_params.resize(m_weightCount + L + H);
  m_gradient.resize(m_params.size());
  RandomStream rng = problem.initRng;
  initialiseWeights(problem.layout, rng, m_params.data());
  problem.likelihood->initialParameters(m_params.data() + m_weightCount);
  m_prior->initialHyperparameters(m_params.data() + m_weightCount + L);
  resetOptimizer();
}

double MapMethod::evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                           StepStats& stats) {
  const Batch& batch = *input.batch;
  const Index P = m_weightCount;
  const Index L = m_evaluator.likelihood().parameterCount();
  const Index H = m_prior->hyperparameterCount();
  const double scale = static_cast<double>(input.datasetSize) / static_cast<double>(batch.size());
  Real* g = gradient ? gradient->data() : nullptr;
  if (g) gradient->tail(params.size() - P).setZero();
  const double logLik =
      m_evaluator.evaluate(batch, 1, params.data(), params.data() + P, static_cast<Real>(-scale), g,
                           g ? g + P : nullptr, input.threads);
  double logPrior = 0.0;
  if (m_usePrior) {
    PriorContext context;
    context.hyperparameters = params.data() + P + L;
    context.hyperGradient = g ? g + P + L : nullptr;
    logPrior = m_prior->logDensity(params.data(), P, Real(-1), g, context);
    for (Index k = 0; k < H; ++k)
      stats.addExtra(m_prior->hyperparameterName(k),
                     m_prior->hyperparameterValue(k, context.hyperparameters));
  }
  stats.expectedLogLikelihood = scale * logLik;
  stats.kl = -logPrior;
  stats.elbo = stats.expectedLogLikelihood - stats.kl;
  return -stats.elbo;
}

std::shared_ptr<const Posterior> MapMethod::posterior() const {
  const Index L = m_evaluator.likelihood().parameterCount();
  auto posterior = std::make_shared<PointPosterior>(
      m_evaluator.kernel(), m_params.segment(m_weightCount, L), m_params.head(m_weightCount));
  if (m_prior->hyperparameterCount() > 0)
    posterior->setLearnedPrior(m_prior->withHyperparameters(m_params.data() + m_weightCount + L));
  return posterior;
}

void MapMethod::setPrior(std::shared_ptr<const Prior> prior) {
  // A different number of hyperparameters would change the parameter vector: needs a reset.
  if (prior->hyperparameterCount() == m_prior->hyperparameterCount()) m_prior = std::move(prior);
}

MethodDescriptor mapMethodDescriptor() {
  MethodDescriptor d;
  d.id = "map";
  d.displayName = "MAP / MLE";
  d.summary = "A single deterministic network: the non-Bayesian baseline.";
  d.explanation =
      "Finds one weight vector by maximising the log joint log p(D | w) + log p(w) (MAP) or the "
      "log-likelihood alone (MLE). With a Gaussian prior the prior term is L2 weight decay. The "
      "predictive has no epistemic uncertainty: every 'sample' is the same function, so its bands "
      "show only the observation noise.";
  d.objective =
      "maximise &nbsp; (N/B) &Sigma;<sub>i&isin;batch</sub> log p(y<sub>i</sub> | x<sub>i</sub>, "
      "w) + log p(w)";
  d.reference = "MacKay (1992); the baseline of every paper here";
  d.klLabel = "-log p(w)";
  d.traits.variational = false;
  d.traits.usesMcSamples = false;
  d.traits.usesKlWeight = false;
  d.options = {OptionSpec::boolean("use_prior", "Use prior (MAP)",
                                   "On: maximise log-likelihood + log prior (MAP, weight decay). "
                                   "Off: maximum likelihood.",
                                   true)};
  d.create = [](const Problem& p) { return std::make_unique<MapMethod>(p); };
  d.parameterFormula = "\u03a3 (d_in d_out + d_out)";
  d.formulaParameterCount = [](const MlpLayout& layout, const OptionValues&) {
    return layout.parameterCount();
  };
  return d;
}

BAYESLAB_END_NAMESPACE
