#include "engine/methods/sgld/sgld_method.h"

#include <cmath>

#include "engine/methods/common/initialisation.h"

BAYESLAB_BEGIN_NAMESPACE

double SgldStepSchedule::at(Index t) const {
  return a * std::pow(b + static_cast<double>(t), -gamma);
}

SgldMethod::SgldMethod(const Problem& problem)
    : m_target(problem),
      m_burnIn(problem.options.integer("burn_in")),
      m_thinning(problem.options.integer("thinning")),
      m_monitor(std::min<Index>(problem.options.integer("monitor_weight"),
                                problem.layout.parameterCount() - 1)) {
  checkSamplerProblem(problem, "sgld");
  m_schedule.a = problem.options.number("step_size_a");
  m_schedule.b = problem.options.number("step_size_b");
  m_schedule.gamma = problem.options.number("step_size_gamma");
  const Index P = problem.layout.parameterCount();
  m_store = ChainStore(1, P, problem.options.integer("max_samples"));
  m_weights.resize(P);
  m_gradient.resize(P);
  m_noise.resize(P);
  RandomStream rng = problem.initRng;
  initialiseWeights(problem.layout, rng, m_weights.data());
}

void SgldMethod::setPrior(std::shared_ptr<const Prior> prior) {
  if (prior->hyperparameterCount() == 0) m_target.setPrior(std::move(prior));
}

StepStats SgldMethod::step(StepInput& input) {
  StepStats stats;
  const Batch& batch = *input.batch;
  const double scale = static_cast<double>(input.datasetSize) / static_cast<double>(batch.size());
  const LogJointTerms terms =
      m_target.evaluate(batch, scale, m_weights.data(), m_gradient.data(), input.threads);
  const double eps = m_schedule.at(m_t);
  stats.expectedLogLikelihood = terms.logLikelihood;
  stats.kl = -terms.logPrior;
  stats.elbo = terms.total();
  stats.objective = -stats.elbo;
  if (!std::isfinite(stats.elbo) || !std::isfinite(m_gradient.squaredNorm())) {
    stats.finite = false;
    return stats;
  }
  input.rng.fillNormal(m_noise);
  m_weights +=
      static_cast<Real>(eps / 2) * m_gradient + static_cast<Real>(std::sqrt(eps)) * m_noise;
  ++m_t;
  if (m_t > m_burnIn && (m_t - m_burnIn) % m_thinning == 0)
    m_store.keep(0, m_weights.data(), input.step + 1);
  m_store.refreshDiagnostics(m_monitor);
  stats.addExtra("step_size", eps);
  stats.addExtra("kept_samples", static_cast<double>(m_store.totalKept()));
  stats.addExtra("monitored_weight", m_weights(m_monitor));
  stats.addExtra("r_hat", m_store.monitoredRhat());
  stats.addExtra("ess", m_store.monitoredEss());
  return stats;
}

void SgldMethod::saveCheckpoint(int slot) {
  m_savedWeights.at(static_cast<size_t>(slot)) = m_weights;
  m_savedT.at(static_cast<size_t>(slot)) = m_t;
}

bool SgldMethod::restoreCheckpoint(int slot) {
  const auto k = static_cast<size_t>(slot);
  if (m_savedT.at(k) < 0 || m_savedWeights[k].size() != m_weights.size()) return false;
  m_weights = m_savedWeights[k];
  m_t = m_savedT[k];
  m_cachedAt = -1;  // the store may hold samples from after the checkpoint
  return true;
}

std::shared_ptr<const Posterior> SgldMethod::posterior() const {
  if (m_cached && m_cachedAt == m_t) return m_cached;
  if (m_store.totalKept() > 0) {
    m_cached = m_store.posterior(m_target.kernel(), m_target.likelihoodParameters());
  } else {
    // Still burning in: the current iterate.
    ChainStore current(1, m_weights.size(), 1);
    current.keep(0, m_weights.data(), m_t);
    m_cached = current.posterior(m_target.kernel(), m_target.likelihoodParameters());
  }
  m_cachedAt = m_t;
  return m_cached;
}

MethodDescriptor sgldMethodDescriptor() {
  MethodDescriptor d;
  d.id = "sgld";
  d.displayName = "Stochastic gradient Langevin dynamics";
  d.summary =
      "Minibatch gradient ascent plus Gaussian noise: the iterates become posterior samples.";
  d.explanation =
      "Takes ordinary minibatch gradient steps on the log posterior, but adds Gaussian noise of "
      "variance &epsilon;<sub>t</sub> (the step size) to every step. The noise keeps the "
      "iterates from settling at the MAP: they wander over the posterior in proportion to its "
      "density, as a discretised Langevin diffusion does. As the step size shrinks, the "
      "injected noise swamps the minibatch noise and the discretisation error vanishes, so the "
      "iterates become samples without any accept/reject step. The first iterates (burn-in) "
      "still remember the initialisation and are dropped; then every thinning-th iterate is "
      "kept. A step size that decays too fast freezes the chain; one that is too large biases "
      "the samples or diverges. Watch the trace of a weight: a chain that mixes looks like a "
      "stationary band, and its effective sample size tells how many independent draws the "
      "correlated samples are worth.";
  d.objective =
      "w &larr; w + &frac12;&epsilon;<sub>t</sub> (&nabla;log p(w) + (N/B) "
      "&Sigma;<sub>i&isin;batch</sub> &nabla;log p(y<sub>i</sub> | x<sub>i</sub>, w)) + "
      "&eta;<sub>t</sub>, &nbsp; &eta;<sub>t</sub> ~ N(0, &epsilon;<sub>t</sub> I), &nbsp; "
      "&epsilon;<sub>t</sub> = a (b + t)<sup>&minus;&gamma;</sup>";
  d.reference =
      "Welling &amp; Teh (2011), Bayesian Learning via Stochastic Gradient Langevin Dynamics";
  d.klLabel = "-log p(w)";
  d.traits.variational = false;
  d.traits.usesMcSamples = false;
  d.traits.usesKlWeight = false;
  d.traits.usesOptimizer = false;
  d.options = {
      OptionSpec::real("step_size_a", "Step size a",
                       "Scale a of the step size eps_t = a (b + t)^-gamma (the defaults start "
                       "at 2.2e-5). Too large: the chain is biased or diverges; too small: it "
                       "barely moves.",
                       1e-3, 1e-12, 1e3),
      OptionSpec::real("step_size_b", "Step size b",
                       "Offset b of the schedule: the step size decays slowly for the first "
                       "~b steps.",
                       1000.0, 0.0, 1e9),
      OptionSpec::real("step_size_gamma", "Decay exponent gamma",
                       "Exponent of the decay. Welling & Teh need 0.5 < gamma <= 1 for exact "
                       "samples in the limit; 0 keeps the step size constant.",
                       0.55, 0.0, 1.0),
      OptionSpec::integer("burn_in", "Burn-in steps",
                          "Steps whose iterates are discarded while the chain forgets its start.",
                          1000, 0, 100000000),
      OptionSpec::integer("thinning", "Thinning",
                          "Keep every k-th iterate after burn-in: consecutive iterates are "
                          "strongly correlated.",
                          10, 1, 1000000),
      OptionSpec::integer("max_samples", "Samples kept",
                          "At most this many iterates are kept (the most recent; fewer for large "
                          "networks, at most 16 million numbers in all); they form the posterior "
                          "and posterior.json.",
                          1000, 1, 1000000),
      monitorWeightOption()};
  d.options[0].logScale = true;
  d.create = [](const Problem& p) { return std::make_unique<SgldMethod>(p); };
  // A sampler learns no distribution's parameters: what it updates is the chain's
  // current weights. The kept samples are state (stateBytes), not parameters.
  d.parameterFormula = "\u03a3 (d_in d_out + d_out) (the chain's current weights)";
  d.formulaParameterCount = [](const MlpLayout& layout, const OptionValues&) {
    return layout.parameterCount();
  };
  return d;
}

BAYESLAB_END_NAMESPACE
