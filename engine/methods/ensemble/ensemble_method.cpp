#include "engine/methods/ensemble/ensemble_method.h"

#include "engine/core/parallel.h"
#include "engine/methods/common/initialisation.h"
#include "engine/methods/common/sample_posterior.h"

BAYESLAB_BEGIN_NAMESPACE

EnsembleMethod::EnsembleMethod(const Problem& problem)
    : GradientMethod(problem),
      m_likelihood(problem.likelihood),
      m_prior(problem.prior),
      m_usePrior(problem.options.flag("use_prior")),
      m_members(problem.options.integer("members")),
      m_weightCount(problem.layout.parameterCount()) {
  const Index P = m_weightCount, K = m_members;
  const Index L = m_likelihood->parameterCount();
  const Index H = m_prior->hyperparameterCount();
  for (Index k = 0; k < K; ++k)
    m_evaluators.emplace_back(MlpKernel(problem.layout, problem.activation), m_likelihood);
  m_params.resize(K * P + L + H);
  m_gradient.resize(m_params.size());
  for (Index k = 0; k < K; ++k) {
    RandomStream rng = problem.initRng.derive(static_cast<std::uint64_t>(k));
    initialiseWeights(problem.layout, rng, m_params.data() + k * P);
  }
  m_likelihood->initialParameters(m_params.data() + K * P);
  m_prior->initialHyperparameters(m_params.data() + K * P + L);
  resetOptimizer();
}

void EnsembleMethod::setPrior(std::shared_ptr<const Prior> prior) {
  // A different number of hyperparameters would change the parameter vector: needs a reset.
  if (prior->hyperparameterCount() == m_prior->hyperparameterCount()) m_prior = std::move(prior);
}

double EnsembleMethod::evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                                StepStats& stats) {
  const Batch& batch = *input.batch;
  const Index P = m_weightCount, K = m_members;
  const Index L = m_likelihood->parameterCount();
  const Index H = m_prior->hyperparameterCount();
  const double scale = static_cast<double>(input.datasetSize) / static_cast<double>(batch.size());
  const Real* phi = params.data() + K * P;
  const Real* psi = phi + L;
  Real* g = gradient ? gradient->data() : nullptr;
  if (g) gradient->tail(L + H).setZero();
  m_logLik.assign(static_cast<size_t>(K), 0.0);
  m_logPrior.assign(static_cast<size_t>(K), 0.0);
  m_likelihoodGradient.setZero(L, K);
  m_hyperGradient.setZero(H, K);

  parallelFor(input.threads, K, [&](Index k) {
    const auto member = static_cast<size_t>(k);
    const Real* w = params.data() + k * P;
    Real* gk = g ? g + k * P : nullptr;
    m_logLik[member] = m_evaluators[member].evaluate(
        batch, 1, w, phi, static_cast<Real>(-scale / static_cast<double>(K)), gk,
        g && L > 0 ? m_likelihoodGradient.col(k).data() : nullptr, input.threads);
    if (!m_usePrior) return;
    PriorContext context;
    context.hyperparameters = psi;
    context.hyperGradient = g && H > 0 ? m_hyperGradient.col(k).data() : nullptr;
    m_logPrior[member] =
        m_prior->logDensity(w, P, static_cast<Real>(-1.0 / static_cast<double>(K)), gk, context);
  });

  // Fixed-order reductions over members.
  double logLik = 0.0, logPrior = 0.0;
  for (Index k = 0; k < K; ++k) {
    logLik += m_logLik[static_cast<size_t>(k)];
    logPrior += m_logPrior[static_cast<size_t>(k)];
    if (g && L > 0) gradient->segment(K * P, L) += m_likelihoodGradient.col(k);
    if (g && H > 0) gradient->tail(H) += m_hyperGradient.col(k);
  }
  if (m_usePrior)
    for (Index k = 0; k < H; ++k)
      stats.addExtra(m_prior->hyperparameterName(k), m_prior->hyperparameterValue(k, psi));
  stats.expectedLogLikelihood = scale * logLik / static_cast<double>(K);
  stats.kl = -logPrior / static_cast<double>(K);
  stats.elbo = stats.expectedLogLikelihood - stats.kl;
  return -stats.elbo;
}

std::shared_ptr<const Posterior> EnsembleMethod::posterior() const {
  const Index P = m_weightCount, K = m_members;
  const Index L = m_likelihood->parameterCount();
  std::vector<Vector> samples;
  for (Index k = 0; k < K; ++k) samples.emplace_back(m_params.segment(k * P, P));
  auto posterior = std::make_shared<SamplePosterior>(
      m_evaluators.front().kernel(), m_params.segment(K * P, L), std::move(samples));
  if (m_prior->hyperparameterCount() > 0)
    posterior->setLearnedPrior(m_prior->withHyperparameters(m_params.data() + K * P + L));
  return posterior;
}

MethodDescriptor ensembleMethodDescriptor() {
  MethodDescriptor d;
  d.id = "ensemble";
  d.displayName = "Deep ensemble";
  d.summary =
      "K MAP networks from different random initialisations; the predictive mixes "
      "them.";
  d.explanation =
      "Trains K ordinary networks, each by MAP (or maximum likelihood), from K different random "
      "initialisations and on the same minibatches. Where the data pin the function down, the "
      "members agree; away from the data they disagree, and that disagreement is the ensemble's "
      "epistemic uncertainty. The predictive is the equally weighted mixture of the members, "
      "so every sampled function is one member. It is not a posterior approximation in the "
      "variational sense (there is no ELBO: the columns show the mean over members of each "
      "member's log-likelihood and log prior), yet it is often the strongest baseline for "
      "uncertainty under dataset shift. The weight views show the K members as samples. Cost: "
      "K times that of one network; the members train in parallel threads.";
  d.objective =
      "maximise &nbsp; (1/K) &Sigma;<sub>k</sub> [(N/B) &Sigma;<sub>i&isin;batch</sub> log "
      "p(y<sub>i</sub> | x<sub>i</sub>, w<sub>k</sub>) + log p(w<sub>k</sub>)], &nbsp; "
      "p(y | x) &asymp; (1/K) &Sigma;<sub>k</sub> p(y | x, w<sub>k</sub>)";
  d.reference =
      "Lakshminarayanan, Pritzel, Blundell (2017), Simple and Scalable Predictive Uncertainty "
      "Estimation using Deep Ensembles";
  d.klLabel = "-log p(w) (mean over members)";
  d.traits.variational = false;
  d.traits.usesMcSamples = false;
  d.traits.usesKlWeight = false;
  d.options = {
      OptionSpec::integer("members", "Members K",
                          "Number of networks in the ensemble. Each is trained from its own "
                          "random initialisation; cost grows linearly with K. Predictive "
                          "summaries should use K function draws (one per member).",
                          5, 1, 64),
      OptionSpec::boolean("use_prior", "Use prior (MAP)",
                          "On: each member maximises log-likelihood + log prior (MAP, weight "
                          "decay). Off: maximum likelihood, as in Lakshminarayanan et al.",
                          true)};
  d.create = [](const Problem& p) { return std::make_unique<EnsembleMethod>(p); };
  d.parameterFormula = "K \u03a3 (d_in d_out + d_out)";
  d.formulaParameterCount = [](const MlpLayout& layout, const OptionValues& options) {
    return options.integer("members") * layout.parameterCount();
  };
  return d;
}

BAYESLAB_END_NAMESPACE
