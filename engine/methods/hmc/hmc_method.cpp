#include "engine/methods/hmc/hmc_method.h"

#include <cmath>
#include <limits>

#include "engine/core/parallel.h"
#include "engine/methods/common/initialisation.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
constexpr double kStepJitter = 0.1;    // "hmc": eps drawn from eps (1 +- 10%) after warm-up
constexpr double kLengthJitter = 0.5;  // and L from L (1 +- 50%)
}  // namespace

HmcMethod::HmcMethod(const Problem& problem)
    : m_data(fullBatch(*problem.train)),
      m_dataSource(problem.train.get()),
      m_weightCount(problem.layout.parameterCount()),
      m_nuts(problem.options.text("sampler") == "nuts"),
      m_denseMetric(problem.options.text("metric") == "dense" ||
                    (problem.options.text("metric") == "auto" &&
                     problem.layout.parameterCount() <= kDenseMetricWeights)),
      m_leapfrogSteps(problem.options.integer("leapfrog_steps")),
      m_maxTreeDepth(problem.options.integer("max_tree_depth")),
      m_warmup(problem.options.integer("warmup")),
      m_thinning(problem.options.integer("thinning")),
      m_monitor(std::min<Index>(problem.options.integer("monitor_weight"),
                                problem.layout.parameterCount() - 1)),
      m_targetAccept(problem.options.number("target_accept")),
      m_windows(m_warmup) {
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
    const auto density = [this, &c](const Vector& w, Vector& gradient) {
      if (stopRequested(m_stop)) {
        // Abandoned: a zero density ends NUTS's tree (divergent) and rejects HMC's
        // proposal without evaluating anything; the result is discarded.
        gradient.setZero();
        return -std::numeric_limits<double>::infinity();
      }
      c.lastTerms = c.target.evaluate(m_data, 1.0, w.data(), gradient.data(), m_threads);
      return c.lastTerms.total();
    };
    c.sampler = HmcSampler(density);
    c.nuts = NutsSampler(density);
    c.metricEstimator = MetricEstimator(m_weightCount, m_denseMetric);
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

void HmcMethod::transition(Chain& c, RandomStream& rng, bool warming) {
  if (m_nuts) {
    NutsSettings settings;
    settings.stepSize = c.stepSize;
    settings.maxTreeDepth = m_maxTreeDepth;
    settings.metric = &c.metric;
    const NutsTransition t = c.nuts.transition(c.state, settings, rng);
    c.accept = t.acceptStatistic;
    c.treeDepth = t.treeDepth;
    c.leapfrogSteps = t.leapfrogSteps;
    c.divergent = t.divergent;
    // The drawn point may lie anywhere on the trajectory: its terms, without a gradient.
    if (t.moved) c.terms = c.target.evaluate(m_data, 1.0, c.state.position.data(), nullptr, 1);
    return;
  }
  HmcSettings settings;
  settings.stepSize = c.stepSize;
  settings.leapfrogSteps = m_leapfrogSteps;
  settings.stepJitter = warming ? 0.0 : kStepJitter;
  settings.lengthJitter = warming ? 0.0 : kLengthJitter;
  settings.metric = &c.metric;
  const HmcTransition t = c.sampler.transition(c.state, settings, rng);
  c.accept = t.acceptProbability;
  c.treeDepth = 0;
  c.leapfrogSteps = m_leapfrogSteps;
  c.divergent = t.divergent;
  if (t.accepted) c.terms = c.lastTerms;
}

// Warm-up transition m_transitions of chain c is done: adapt eps and M^-1.
void HmcMethod::adapt(Chain& c, Index chainIndex) {
  const Index t = m_transitions;
  c.adaptation.update(c.accept);
  c.stepSize = c.adaptation.stepSize();
  if (m_windows.collects(t)) c.metricEstimator.add(c.state.position);
  if (m_windows.endsWindow(t) && c.metricEstimator.count() >= 2) {
    // New metric: every coordinate rescaled, so the step size search and the
    // dual averaging start again from it.
    c.metric = c.metricEstimator.metric();
    c.metricEstimator.restart();
    RandomStream search = RandomStream(m_adaptationSeed)
                              .derive(static_cast<std::uint64_t>(chainIndex))
                              .derive(static_cast<std::uint64_t>(t));
    c.stepSize = c.sampler.findReasonableStepSize(c.state, c.stepSize, search, &c.metric);
    DualAveraging::Settings settings;
    settings.targetAcceptance = m_targetAccept;
    c.adaptation = DualAveraging(c.stepSize, settings);
  }
  // The last warm-up transition fixes the averaged step size for sampling.
  if (t + 1 >= m_warmup) c.stepSize = c.adaptation.averagedStepSize();
}

void HmcMethod::refreshMinEss() {
  // Every weight's ESS costs O(draws x lags): recomputed when the monitored
  // weight's diagnostics are (5% new draws).
  const Index kept = m_store.totalKept();
  if (kept < 4 * chainCount() || (kept - m_keptAtMinEss) * 20 < kept) return;
  m_keptAtMinEss = kept;
  double lowest = std::numeric_limits<double>::infinity();
  for (Index i = 0; i < m_weightCount; ++i) {
    const double e = m_store.ess(i);
    if (std::isfinite(e)) lowest = std::min(lowest, e);
  }
  m_minEss = std::isfinite(lowest) ? lowest : std::numeric_limits<double>::quiet_NaN();
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
  if (m_transitions == 0) m_adaptationSeed = input.rng.derive("metric").key();
  parallelFor(input.threads, K, [&](Index k) {
    Chain& c = m_chains[static_cast<size_t>(k)];
    RandomStream rng = input.rng.derive(static_cast<std::uint64_t>(k));
    transition(c, rng, warming);
    if (warming) adapt(c, k);
  });

  // Reductions over chains in a fixed order.
  if (m_transitions == m_warmup) {  // sampling starts
    m_acceptSum = 0.0, m_acceptCount = 0, m_gradientSum = 0.0;
  }
  StepStats stats;
  double logLik = 0.0, logPrior = 0.0, stepSize = 0.0, depth = 0.0;
  for (const Chain& c : m_chains) {
    logLik += c.terms.logLikelihood;
    logPrior += c.terms.logPrior;
    stepSize += c.stepSize;
    depth += c.treeDepth;
    m_acceptSum += c.accept;
    m_gradientSum += c.leapfrogSteps;
    ++m_acceptCount;
    if (!warming) {
      if (c.divergent) ++m_divergences;
      m_sampledGradients += c.leapfrogSteps;
    }
  }
  ++m_transitions;
  if (!warming && (m_transitions - m_warmup) % m_thinning == 0)
    for (Index k = 0; k < K; ++k)
      m_store.keep(k, m_chains[static_cast<size_t>(k)].state.position.data(), input.step + 1);
  m_store.refreshDiagnostics(m_monitor);
  refreshMinEss();

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
  if (m_nuts) stats.addExtra("tree_depth", depth / k);
  stats.addExtra("gradients_per_draw", m_gradientSum / static_cast<double>(m_acceptCount));
  stats.addExtra("min_ess", m_minEss);
  stats.addExtra("min_ess_per_gradient", m_sampledGradients > 0
                                             ? m_minEss / m_sampledGradients
                                             : std::numeric_limits<double>::quiet_NaN());
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
      "the approximations are judged against. How long to simulate matters: too short and the "
      "chain crawls, and a fixed length can resonate with the posterior (every trajectory "
      "returns near its start). The default No-U-Turn sampler (NUTS) therefore doubles each "
      "trajectory, forwards or backwards in time at random, until it starts to turn back on "
      "itself, and draws the next state from the whole trajectory with weights "
      "e<sup>&minus;H</sup>; "
      "plain HMC with L steps (jittered) remains as the \"hmc\" sampler. During warm-up each "
      "chain tunes &epsilon; by dual averaging to reach the target acceptance rate, and a "
      "diagonal mass matrix to the variance of its draws (in Stan's widening windows), so that "
      "one step size suits weights of very different scales; warm-up draws are thrown away, "
      "afterwards &epsilon; and the mass matrix are fixed and every thinning-th state is kept. "
      "The Chains view reports the tree depth (NUTS), divergences (trajectories whose energy "
      "error blew up: the posterior is too curved there for &epsilon;) and the effective sample "
      "size per gradient evaluation of the slowest weight. Several chains from different "
      "starts run in parallel threads: R&#770; (split R-hat) near 1 says they agree, and the "
      "effective sample size says how many independent draws the correlated chain is worth. "
      "Each step uses the whole training set (the minibatch size is ignored), so HMC is for "
      "small networks and data sets.";
  d.objective =
      "H(w, p) = &minus;log p(D | w) &minus; log p(w) + "
      "&frac12;p<sup>T</sup>M<sup>&minus;1</sup>p, "
      "&nbsp; p ~ N(0, M); &nbsp; leapfrog: p &larr; p + &frac12;&epsilon;&nabla;log &pi;(w), "
      "w &larr; w + &epsilon;M<sup>&minus;1</sup>p, p &larr; p + &frac12;&epsilon;&nabla;log "
      "&pi;(w); &nbsp; NUTS: double the trajectory until p<sub>&plusmn;</sub><sup>T</sup>"
      "M<sup>&minus;1</sup>&Sigma;p &le; 0 at an end, draw a state &prop; exp(&minus;H); "
      "&nbsp; HMC: L steps, accept with probability min(1, exp(H<sub>0</sub> &minus; "
      "H<sub>L</sub>))";
  d.reference =
      "Neal (2011), MCMC using Hamiltonian dynamics; Hoffman &amp; Gelman (2014), the "
      "No-U-Turn sampler and the step-size adaptation; Betancourt (2017) for the multinomial "
      "NUTS and Stan's warm-up windows; Vehtari et al. (2021) for R-hat and ESS";
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
      OptionSpec::choice("sampler", "Sampler",
                         "nuts: the No-U-Turn sampler sets each trajectory's length itself "
                         "(doubling until it turns back), so results do not hinge on L. hmc: "
                         "L leapfrog steps per transition (jittered by ±50 % after warm-up); a "
                         "fixed length can resonate with a near-Gaussian posterior.",
                         {"nuts", "hmc"}, "nuts"),
      OptionSpec::choice("metric", "Mass matrix",
                         "The mass matrix adapted in warm-up to the chain's own draws: "
                         "diagonal rescales each weight to its posterior spread; dense also "
                         "undoes correlations (a regression's slope and intercept) but needs "
                         "many warm-up draws per weight; auto is dense up to 16 weights, "
                         "diagonal beyond.",
                         {"auto", "diagonal", "dense"}, "auto"),
      OptionSpec::integer("leapfrog_steps", "Leapfrog steps L (hmc)",
                          "Leapfrog steps per transition of the hmc sampler: longer "
                          "trajectories move further (less correlated draws) at L gradient "
                          "evaluations each. NUTS ignores it.",
                          20, 1, 1000),
      OptionSpec::integer("max_tree_depth", "Maximum tree depth (nuts)",
                          "NUTS doubles a trajectory at most this many times (at most "
                          "2^depth − 1 gradient evaluations per transition); hitting it "
                          "often means a badly scaled posterior or too small a step.",
                          10, 1, 15),
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
  d.options[7].logScale = true;
  d.create = [](const Problem& p) { return std::make_unique<HmcMethod>(p); };
  // The current weights of each of the C chains; kept draws are state (stateBytes).
  d.parameterFormula = "C \u03a3 (d_in d_out + d_out) (C chains' current weights)";
  d.formulaParameterCount = [](const MlpLayout& layout, const OptionValues& options) {
    return options.integer("chains") * layout.parameterCount();
  };
  return d;
}

BAYESLAB_END_NAMESPACE
