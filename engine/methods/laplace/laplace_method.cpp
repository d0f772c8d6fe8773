#include "engine/methods/laplace/laplace_method.h"

#include <cmath>

#include "engine/methods/common/initialisation.h"
#include "engine/methods/laplace/laplace_evidence.h"
#include "engine/methods/laplace/prior_curvature.h"
#include "engine/prior/gaussian_prior.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
constexpr double kNaN = StepStats::kNaN;

LaplaceEvidenceSummary missingEvidence() {
  return {kNaN, kNaN, kNaN};
}
}  // namespace

LaplaceMethod::LaplaceMethod(const Problem& problem)
    : GradientMethod(problem),
      m_evaluator(MlpKernel(problem.layout, problem.activation), problem.likelihood),
      m_likelihood(problem.likelihood),
      m_sessionPrior(problem.prior),
      m_train(problem.train),
      m_data(problem.train.get()),
      m_structure(hessianStructureFromId(problem.options.text("hessian"))),
      m_predictive(problem.options.text("predictive") == "mc" ? LaplacePredictive::MonteCarlo
                                                              : LaplacePredictive::Linearised),
      m_tunePrior(problem.options.flag("tune_prior")),
      m_refreshEvery(problem.options.integer("refresh_every")),
      m_weightCount(problem.layout.parameterCount()),
      m_evidence(missingEvidence()) {
  if (m_sessionPrior->hyperparameterCount() > 0)
    throw InputError("", "prior.name",
                     "laplace learns the prior precision itself (tune_prior): use a prior without "
                     "learned hyperparameters instead of '" +
                         std::string(m_sessionPrior->id()) + "'");
  if (m_structure == HessianStructure::Full && m_weightCount > kMaxFullLaplaceParameters)
    throw InputError("", "method.hessian",
                     "'full' inverts a P x P matrix and allows at most " +
                         std::to_string(kMaxFullLaplaceParameters) +
                         " parameters (this model has " + std::to_string(m_weightCount) +
                         "); use kfac or last_layer_full, or a smaller network");
  const Index L = m_likelihood->parameterCount();
  m_params.resize(m_weightCount + L);
  m_gradient.resize(m_params.size());
  RandomStream rng = problem.initRng;
  initialiseWeights(problem.layout, rng, m_params.data());
  m_likelihood->initialParameters(m_params.data() + m_weightCount);
  resetOptimizer();
}

const Prior& LaplaceMethod::objectivePrior() const {
  return tuning() && m_tunedPrior ? *m_tunedPrior : *m_sessionPrior;
}

void LaplaceMethod::setPrior(std::shared_ptr<const Prior> prior) {
  if (prior->hyperparameterCount() > 0) return;
  m_sessionPrior = std::move(prior);
  m_tunedPrior.reset();  // a prior set by the user or by sequential learning takes over
  m_tunedPrecision = 0.0;
  m_cached.reset();
}

double LaplaceMethod::evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                               StepStats& stats) {
  if (input.data) m_data = input.data;
  m_threads = input.threads;
  // Refresh the evidence (and the tuned prior) at this step's parameters; repeated
  // calls for the same step (gradient checks) do not repeat it.
  if (input.step > 0 && input.step % m_refreshEvery == 0 && input.step != m_lastRefresh) {
    m_lastRefresh = input.step;
    m_evidence = laplaceAt(params, input.threads)->evidence();
    if (tuning() && std::isfinite(m_evidence.priorPrecision)) {
      m_tunedPrecision = m_evidence.priorPrecision;
      m_tunedPrior = std::make_shared<GaussianPrior>(1.0 / std::sqrt(m_tunedPrecision));
    }
  }
  const Batch& batch = *input.batch;
  const Index P = m_weightCount;
  const Index L = m_likelihood->parameterCount();
  const double scale = static_cast<double>(input.datasetSize) / static_cast<double>(batch.size());
  Real* g = gradient ? gradient->data() : nullptr;
  if (g) gradient->tail(L).setZero();
  const double logLik =
      m_evaluator.evaluate(batch, 1, params.data(), params.data() + P, static_cast<Real>(-scale), g,
                           g ? g + P : nullptr, input.threads);
  const double logPrior = objectivePrior().logDensity(params.data(), P, Real(-1), g);
  stats.expectedLogLikelihood = scale * logLik;
  stats.kl = -logPrior;
  stats.elbo = stats.expectedLogLikelihood - stats.kl;
  stats.addExtra("log_marginal_likelihood", m_evidence.logMarginalLikelihood);
  stats.addExtra("prior_precision", m_evidence.priorPrecision);
  stats.addExtra("effective_parameters", m_evidence.effectiveParameters);
  return -stats.elbo;
}

std::shared_ptr<const LaplacePosterior> LaplaceMethod::laplaceAt(const Vector& params,
                                                                 int threads) const {
  const MlpLayout& layout = m_evaluator.kernel().layout();
  const Index P = m_weightCount;
  const Real* w = params.data();
  auto curvature = std::make_shared<const DataCurvature>(computeCurvature(
      m_structure, m_evaluator.kernel(), *m_likelihood, w + P, w, *m_data, threads));
  const Index offset = curvature->coveredOffset, S = curvature->coveredCount();
  LaplaceEvidenceSummary evidence = missingEvidence();
  Eigen::VectorXd priorPrecision;
  if (tuning()) {
    IsotropicEvidence iso;
    iso.logLikelihood = curvature->logLikelihood;
    iso.squaredNorm = params.segment(offset, S).cast<double>().squaredNorm();
    iso.spectrum = curvature->spectrum;
    const double lambda = iso.optimalPrecision();
    priorPrecision.setConstant(P, lambda);
    evidence = {iso.value(std::log(lambda)), lambda, iso.effectiveParameters(lambda)};
  } else {
    priorPrecision = priorCurvature(*m_sessionPrior, w, 0, P);
    if (m_sessionPrior->isIdentical()) {
      const double lambda = priorPrecision.tail(S).mean();
      evidence.priorPrecision = lambda;
      evidence.effectiveParameters =
          (curvature->spectrum.array() / (curvature->spectrum.array() + lambda)).sum();
    }
  }
  auto covariance = std::make_shared<const LaplaceCovariance>(curvature, priorPrecision, layout);
  if (!tuning()) {
    PriorContext context;
    context.offset = offset;
    const double logPrior = m_sessionPrior->logDensity(w + offset, S, Real(0), nullptr, context);
    evidence.logMarginalLikelihood =
        laplaceLogEvidence(curvature->logLikelihood, logPrior, S, covariance->logDetPrecision());
  }
  return std::make_shared<LaplacePosterior>(m_evaluator.kernel(), params.tail(params.size() - P),
                                            params.head(P), std::move(covariance), m_predictive,
                                            evidence);
}

std::shared_ptr<const Posterior> LaplaceMethod::posterior() const {
  if (m_cached && m_cachedData == m_data && m_cachedParams.size() == m_params.size() &&
      m_cachedParams == m_params)
    return m_cached;
  m_cached = laplaceAt(m_params, m_threads);
  m_cachedParams = m_params;
  m_cachedData = m_data;
  return m_cached;
}

std::size_t LaplaceMethod::stateBytes() const {
  const auto laplace = std::dynamic_pointer_cast<const LaplacePosterior>(posterior());
  return GradientMethod::stateBytes() + (laplace ? laplace->covariance().bytes() : 0);
}

MethodDescriptor laplaceMethodDescriptor() {
  MethodDescriptor d;
  d.id = "laplace";
  d.displayName = "Laplace approximation";
  d.summary = "A Gaussian at the MAP with the curvature of the log posterior as its precision.";
  d.explanation =
      "First trains an ordinary network to the MAP w*, exactly as MAP does. Then it fits a "
      "Gaussian there: a second-order Taylor expansion of log p(w | D) around its peak is a "
      "Gaussian with mean w* and precision H, the curvature (Hessian) of the negative log "
      "posterior. Sharply curved directions are well determined by the data; flat ones stay "
      "uncertain. The exact Hessian is too big for a network, so it is approximated by the "
      "generalised Gauss-Newton matrix J<sup>T</sup>&Lambda;J (always positive) or the empirical "
      "Fisher, kept diagonal, per layer as a Kronecker product (KFAC), or in full for the last "
      "layer only. The predictive either samples weights from the Gaussian (MC) or, usually "
      "much better, linearises the network around w* (GLM), for which classification uses the "
      "probit approximation. The same Gaussian gives the log marginal likelihood (evidence), "
      "which can tune the prior precision with no validation data. For a linear model with "
      "Gaussian noise the Laplace approximation is the exact posterior.";
  d.objective =
      "w* = argmax log p(D | w) + log p(w); &nbsp; q(w) = N(w*, H<sup>&minus;1</sup>), &nbsp; "
      "H = &Sigma;<sub>n</sub> J<sub>n</sub><sup>T</sup>&Lambda;<sub>n</sub>J<sub>n</sub> + "
      "&lambda;I; &nbsp; log p(D) &asymp; log p(D | w*) + log p(w*) + (P/2) log 2&pi; "
      "&minus; &frac12; log det H";
  d.reference =
      "MacKay (1992), A Practical Bayesian Framework for Backpropagation Networks; Ritter, "
      "Botev, Barber (2018), A Scalable Laplace Approximation for Neural Networks; Immer, "
      "Korzepa, Bauer (2021); Daxberger et al. (2021), Laplace Redux";
  d.klLabel = "-log p(w)";
  d.traits.variational = false;
  d.traits.usesMcSamples = false;
  d.traits.usesKlWeight = false;
  d.options = {
      OptionSpec::choice(
          "hessian", "Hessian",
          "Structure of the curvature: diag_ggn (diagonal Gauss-Newton), diag_ef (diagonal "
          "empirical Fisher: squared per-example gradients), kfac (a Kronecker product per "
          "layer), last_layer_full (full covariance of the last layer, the rest fixed at the "
          "MAP), full (every weight, networks up to 1000 parameters).",
          hessianStructureIds(), "kfac"),
      OptionSpec::choice("predictive", "Predictive",
                         "glm: linearise the network at the MAP (probit for classification); "
                         "mc: sample weights and run the network.",
                         {"glm", "mc"}, "glm"),
      OptionSpec::boolean("tune_prior", "Tune prior by evidence",
                          "Replace the prior by N(0, 1/\u03bb) with \u03bb maximising the Laplace "
                          "log marginal likelihood, re-estimated every refresh (MacKay's "
                          "evidence framework); the MAP then trains under it.",
                          true),
      OptionSpec::integer("refresh_every", "Refresh every",
                          "Steps between recomputing the curvature on the whole training set: "
                          "the log marginal likelihood shown and the tuned prior precision.",
                          50, 1, 1000000)};
  d.create = [](const Problem& p) { return std::make_unique<LaplaceMethod>(p); };
  // What is learned is the MAP; the curvature is computed from it (state, not parameters).
  d.parameterFormula = "\u03a3 (d_in d_out + d_out) (the MAP)";
  d.formulaParameterCount = [](const MlpLayout& layout, const OptionValues&) {
    return layout.parameterCount();
  };
  return d;
}

BAYESLAB_END_NAMESPACE
