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
  m_params.resize(m_weightCount + L);
  m_gradient.resize(m_params.size());
  RandomStream rng = problem.initRng;
  initialiseWeights(problem.layout, rng, m_params.data());
  problem.likelihood->initialParameters(m_params.data() + m_weightCount);
  resetOptimizer();
}

double MapMethod::evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                           StepStats& stats) {
  const Batch& batch = *input.batch;
  const Index P = m_weightCount;
  const double scale = static_cast<double>(input.datasetSize) / static_cast<double>(batch.size());
  Real* g = gradient ? gradient->data() : nullptr;
  if (g) gradient->tail(params.size() - P).setZero();
  const double logLik =
      m_evaluator.evaluate(batch, 1, params.data(), params.data() + P, static_cast<Real>(-scale), g,
                           g ? g + P : nullptr, input.threads);
  const double logPrior = m_usePrior ? m_prior->logDensity(params.data(), P, Real(-1), g) : 0.0;
  stats.expectedLogLikelihood = scale * logLik;
  stats.kl = -logPrior;
  stats.elbo = stats.expectedLogLikelihood - stats.kl;
  return -stats.elbo;
}

std::shared_ptr<const Posterior> MapMethod::posterior() const {
  return std::make_shared<PointPosterior>(m_evaluator.kernel(),
                                          m_params.tail(m_params.size() - m_weightCount),
                                          m_params.head(m_weightCount));
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
  return d;
}

BAYESLAB_END_NAMESPACE
