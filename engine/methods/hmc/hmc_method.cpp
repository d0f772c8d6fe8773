#include "engine/methods/hmc/hmc_method.h"

#include <cmath>

#include "engine/core/parallel.h"
#include "engine/methods/common/initialisation.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
constexpr double kStepJitter = 0.1;  // eps drawn from eps (1 +- 10%) after warm-up
}  // namespace

HmcMethod::HmcMethod(const Problem& problem)
    : m_data(fullBatch(*problem.train)),
      m_dataSource(problem.train.get()),
      m_weightCount(problem.layout.parameterCount()),
      m_leapfrogSteps(problem.options.integer("leapfrog_steps")),
      m_warmup(problem.options.integer("warmup")),
      m_thinning(problem.options.integer("thinning")),
      m_monitor(std::min<Index>(problem.options.integer("monitor_weight"),
                                problem.layout.parameterCount() - 1)),
      m_targetAccept(problem.options.number("target_accept")) {
  checkSamplerProblem(problem, "hmc");
  const Index K = problem.options.integer("chains");
  m_store = ChainStore(K, m_weightCount, problem.options.integer("max_samples"));
  m_chains.resize(static_cast<size_t>(K));  // never resized again: the samplers point into it
  const double initialStep = problem.options.number("initial_step_size");
  DualAveraging::Settings adaptation;
  adaptation.targetAcceptance = m_targetAccept;
  for (Index k = 0; k < K; ++k) {
    Chain& c = m_chains[static_cast<size_t>(k)];
    c.target = LogJoint(problem);
    c.sampler = HmcSampler([this, &c](const Vector& w, Vector& gradient) {
      c.lastTerms = c.target.evaluate(m_data, 1.0, w.data(), gradient.data(), m_threads);
      return c.lastTerms.total();
    });
    RandomStream rng = problem.initRng.derive(static_cast<std::uint64_t>(k));
    Vector w(m_weightCount);
    initialiseWeights(problem.layout, rng, w.data());
    c.sampler.initialise(c.state, w);
    c.terms = c.lastTerms;
    RandomStream search = rng.derive("step size");
    c.stepSize = c.sampler.findReasonableStepSize(c.state, initialStep, search);
    c.adaptation = DualAveraging(c.stepSize, adaptation);
  }
}

void HmcMethod::setPrior(std::shared_ptr<const Prior> prior) {
  if (prior->hyperparameterCount() > 0) return;  // not sampled: keep the old prior
  for (Chain& c : m_chains) {
    c.target.setPrior(prior);
    // The state's density changed with the target: re-evaluate it.
    c.sampler.initialise(c.state, Vector(c.state.position));
    c.terms = c.lastTerms;
  }
}

void HmcMethod::useData(const Dataset* data) {
  if (!data || data == m_dataSource) return;
  m_dataSource = data;
  m_data = fullBatch(*data);
  for (Chain& c : m_chains) {
    c.sampler.initialise(c.state, Vector(c.state.position));
    c.terms = c.lastTerms;
  }
}

StepStats HmcMethod::step(StepInput& input) {
  const Index K = chainCount();
  const bool warming = m_transitions < m_warmup;
  m_threads = input.threads;
  useData(input.data);
  parallelFor(input.threads, K, [&](Index k) {
    Chain& c = m_chains[static_cast<size_t>(k)];
    RandomStream rng = input.rng.derive(static_cast<std::uint64_t>(k));
    HmcSettings settings;
    settings.stepSize = c.stepSize;
    settings.leapfrogSteps = m_leapfrogSteps;
    settings.stepJitter = warming ? 0.0 : kStepJitter;
    c.last = c.sampler.transition(c.state, settings, rng);
    if (c.last.accepted) c.terms = c.lastTerms;
    if (warming) {
      c.adaptation.update(c.last.acceptProbability);
      // The last warm-up transition fixes the averaged step size for sampling.
      c.stepSize =
          m_transitions + 1 < m_warmup ? c.adaptation.stepSize() : c.adaptation.averagedStepSize();
    }
  });

  // Reductions over chains in a fixed order.
  if (m_transitions == m_warmup) m_acceptSum = 0.0, m_acceptCount = 0;  // sampling starts
  StepStats stats;
  double logLik = 0.0, logPrior = 0.0, stepSize = 0.0;
  for (const Chain& c : m_chains) {
    logLik += c.terms.logLikelihood;
    logPrior += c.terms.logPrior;
    stepSize += c.stepSize;
    m_acceptSum += c.last.acceptProbability;
    ++m_acceptCount;
    if (!warming && c.last.divergent) ++m_divergences;
  }
  ++m_transitions;
  if (!warming && (m_transitions - m_warmup) % m_thinning == 0)
    for (Index k = 0; k < K; ++k)
      m_store.keep(k, m_chains[static_cast<size_t>(k)].state.position.data(), input.step + 1);
  m_store.refreshDiagnostics(m_monitor);

  const double k = static_cast<double>(K);
  stats.expectedLogLikelihood = logLik / k;
  stats.kl = -logPrior / k;
  stats.elbo = stats.expectedLogLikelihood - stats.kl;
  stats.objective = -stats.elbo;
  stats.finite = std::isfinite(stats.elbo);
  stats.addExtra("accept_rate", m_acceptSum / static_cast<double>(m_acceptCount));
  stats.addExtra("step_size", stepSize / k);
  stats.addExtra("divergences", static_cast<double>(m_divergences));
  stats.addExtra("kept_samples", static_cast<double>(m_store.totalKept()));
  stats.addExtra("monitored_weight", m_chains.front().state.position(m_monitor));
  stats.addExtra("r_hat", m_store.monitoredRhat());
  stats.addExtra("ess", m_store.monitoredEss());
  return stats;
}

std::shared_ptr<const Posterior> HmcMethod::posterior() const {
  if (m_cached && m_cachedAt == m_transitions) return m_cached;
  const Chain& first = m_chains.front();
  if (m_store.totalKept() > 0) {
    m_cached = m_store.posterior(first.target.kernel(), first.target.likelihoodParameters());
  } else {
    // Still warming up: the chains' current states.
    ChainStore current(chainCount(), m_weightCount, 1);
    for (Index k = 0; k < chainCount(); ++k)
      current.keep(k, m_chains[static_cast<size_t>(k)].state.position.data(), m_transitions);
    m_cached = current.posterior(first.target.kernel(), first.target.likelihoodParameters());
  }
  m_cachedAt = m_transitions;
  return m_cached;
}

MethodDescriptor hmcMethodDescriptor() {
  MethodDescriptor d;
  d.id = "hmc";
  d.displayName = "Hamiltonian Monte Carlo";
  d.summary =
      "Exact MCMC over the weights with gradient-guided proposals: the reference posterior.";
  d.explanation =
      "Treats the weights as the position of a particle rolling over the landscape "
      "&minus;log p(w | D), the negative log posterior. Each step gives the particle a random "
      "momentum and simulates its motion for L leapfrog steps of size &epsilon; using the "
      "gradient of the full-data log posterior; the end point is accepted with the Metropolis "
      "probability min(1, e<sup>&minus;&Delta;H</sup>), which corrects the small energy error "
      "of the simulation. The chains therefore sample the exact posterior, however wrong the "
      "network's posterior is for mean-field methods: with enough draws HMC is the reference "
      "the approximations are judged against. During warm-up each chain tunes &epsilon; by dual "
      "averaging to reach the target acceptance rate and its draws are thrown away; afterwards "
      "&epsilon; is fixed and every thinning-th state is kept. Several chains from different "
      "starts run in parallel threads: R&#770; (split R-hat) near 1 says they agree, and the "
      "effective sample size says how many independent draws the correlated chain is worth. "
      "Each step uses the whole training set (the minibatch size is ignored), so HMC is for "
      "small networks and data sets.";
  d.objective =
      "H(w, p) = &minus;log p(D | w) &minus; log p(w) + &frac12;|p|&sup2;, &nbsp; p ~ N(0, I); "
      "&nbsp; leapfrog: p &larr; p + &frac12;&epsilon;&nabla;log &pi;(w), w &larr; w + "
      "&epsilon;p, p &larr; p + &frac12;&epsilon;&nabla;log &pi;(w) (L times); &nbsp; accept "
      "with probability min(1, exp(H<sub>0</sub> &minus; H<sub>L</sub>))";
  d.reference =
      "Neal (2011), MCMC using Hamiltonian dynamics; Hoffman &amp; Gelman (2014) for the "
      "step-size adaptation; Vehtari et al. (2021) for R-hat and ESS";
  d.klLabel = "-log p(w) (mean over chains)";
  d.traits.variational = false;
  d.traits.usesMcSamples = false;
  d.traits.usesKlWeight = false;
  d.traits.usesOptimizer = false;
  d.options = {
      OptionSpec::integer("chains", "Chains",
                          "Independent Markov chains from different random starts, run in "
                          "parallel threads. Several chains are needed for R-hat.",
                          4, 1, 32),
      OptionSpec::integer("leapfrog_steps", "Leapfrog steps L",
                          "Leapfrog steps per transition: longer trajectories move further "
                          "(less correlated draws) at L gradient evaluations each.",
                          20, 1, 1000),
      OptionSpec::integer("warmup", "Warm-up transitions",
                          "Transitions at the start during which the step size is adapted; "
                          "their states are discarded.",
                          200, 0, 1000000),
      OptionSpec::real("target_accept", "Target acceptance",
                       "The mean acceptance probability the step-size adaptation aims for "
                       "(0.6 to 0.9 is efficient for HMC).",
                       0.8, 0.1, 0.99),
      OptionSpec::real("initial_step_size", "Initial step size",
                       "Starting point of the step-size search (Hoffman & Gelman's heuristic "
                       "refines it before warm-up).",
                       0.01, 1e-6, 10.0),
      OptionSpec::integer("thinning", "Thinning",
                          "Keep every k-th state after warm-up (saves memory; the chain is "
                          "unchanged).",
                          1, 1, 100000),
      OptionSpec::integer("max_samples", "Samples kept per chain",
                          "At most this many draws per chain are kept (the most recent; fewer "
                          "for large networks, at most 16 million numbers in all); they form "
                          "the posterior and posterior.json.",
                          500, 1, 1000000),
      monitorWeightOption()};
  d.options[4].logScale = true;
  d.create = [](const Problem& p) { return std::make_unique<HmcMethod>(p); };
  // The current weights of each of the C chains; kept draws are state (stateBytes).
  d.parameterFormula = "C \u03a3 (d_in d_out + d_out) (C chains' current weights)";
  d.formulaParameterCount = [](const MlpLayout& layout, const OptionValues& options) {
    return options.integer("chains") * layout.parameterCount();
  };
  return d;
}

BAYESLAB_END_NAMESPACE
