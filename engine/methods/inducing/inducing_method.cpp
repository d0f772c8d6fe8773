#include "engine/methods/inducing/inducing_method.h"

#include <cmath>

#include "engine/methods/common/softplus.h"
#include "engine/methods/inducing/inducing_posterior.h"
#include "engine/prior/gaussian_prior.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

// Initial values as in the PyTorch reference (BENCHMARKS.md w7): Z_r ~ N(0, 1/M),
// Z_c ~ N(0, 1/N), D = sigma_V = lambda = 10^-3 and m (or each V_k) ~ N(0, I),
// so that E[W] starts as a random low-rank matrix of about the usual 1/sqrt(d) scale.
constexpr double kInitialSoftplus = 1e-3;
constexpr int kMaxLambdaExtras = 6;
constexpr const char* kLambdaNames[kMaxLambdaExtras] = {"lambda_1", "lambda_2", "lambda_3",
                                                        "lambda_4", "lambda_5", "lambda_6"};

const GaussianPrior& gaussianPrior(const std::shared_ptr<const Prior>& prior) {
  const auto* gaussian = dynamic_cast<const GaussianPrior*>(prior.get());
  if (!gaussian)
    throw InputError("", "prior.name",
                     std::string("inducing weights need the prior 'gaussian' N(0, s\u00b2), the "
                                 "marginal of their matrix-normal prior over W and U (not '") +
                         prior->id() + "'); choose 'gaussian' and set its scale s");
  return *gaussian;
}

bool isEnsemble(const OptionValues& options) {
  return options.text("q") == "ensemble";
}

void initialise(const InducingLayout& layout, RandomStream& rng, Real* params) {
  const Real rho = static_cast<Real>(inverseSoftplus(kInitialSoftplus));
  for (const InducingLayerShape& s : layout.layers) {
    ArrayMap zr(params + s.zr(), s.rows * s.outputs);
    rng.fillNormal(zr.data(), zr.size());
    zr *= static_cast<Real>(1.0 / std::sqrt(static_cast<double>(s.rows)));
    ArrayMap zc(params + s.zc(), s.cols * s.columns());
    rng.fillNormal(zc.data(), zc.size());
    zc *= static_cast<Real>(1.0 / std::sqrt(static_cast<double>(s.cols)));
    ArrayMap(params + s.rhoR(), s.rows + s.cols + 1).setConstant(rho);
    const Index means = s.ensemble() ? s.members : 1;
    rng.fillNormal(params + s.mean(), means * s.inducingCount());
    if (!s.ensemble()) ArrayMap(params + s.rhoV(), s.inducingCount()).setConstant(rho);
  }
}

}  // namespace

InducingLayout inducingLayoutFor(const MlpLayout& layout, const OptionValues& options) {
  return InducingLayout(layout, options.integer("rows"), options.integer("cols"),
                        isEnsemble(options) ? options.integer("members") : 0);
}

InducingMethod::InducingMethod(const Problem& problem)
    : GradientMethod(problem),
      m_kernel(problem.layout, problem.activation),
      m_likelihood(problem.likelihood),
      m_estimator(problem.layout, problem.activation, problem.likelihood,
                  inducingLayoutFor(problem.layout, problem.options),
                  problem.options.text("sampling") == "function" ? LayerSampling::Cheaper
                                                                 : LayerSampling::Weight),
      m_scale(gaussianPrior(problem.prior).scale()),
      m_members(isEnsemble(problem.options) ? problem.options.integer("members") : 0) {
  const InducingLayout& layout = m_estimator.layout();
  const Index L = m_likelihood->parameterCount();
  m_params.resize(layout.parameterCount + L);
  m_gradient.resize(m_params.size());
  RandomStream rng = problem.initRng;
  initialise(layout, rng, m_params.data());
  m_likelihood->initialParameters(m_params.data() + layout.parameterCount);
  resetOptimizer();
}

void InducingMethod::setPrior(std::shared_ptr<const Prior> prior) {
  // Only the Gaussian's scale can change live (another prior family needs a reset,
  // and the constructor rejects it).
  if (const auto* gaussian = dynamic_cast<const GaussianPrior*>(prior.get()))
    m_scale = gaussian->scale();
}

double InducingMethod::evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                                StepStats& stats) {
  const InducingLayout& layout = m_estimator.layout();
  const Index P = layout.parameterCount, L = m_likelihood->parameterCount();
  const Index samples = std::max(1, input.mcSamples);
  const Index passes = (m_members > 0 ? m_members : 1) * samples;
  const double dataScale =
      static_cast<double>(input.datasetSize) / static_cast<double>(input.batch->size());
  const Real beta = static_cast<Real>(input.klWeight);
  Real* g = gradient ? gradient->data() : nullptr;
  if (g) gradient->tail(L).setZero();
  const double logLik = m_estimator.evaluate(
      *input.batch, passes, params.data(), params.data() + P, static_cast<Real>(m_scale),
      static_cast<Real>(-dataScale), g, g ? g + P : nullptr, input.rng, input.threads);

  double kl = 0.0;
  int extras = 0;
  for (const InducingLayerShape& s : layout.layers) {
    if (s.ensemble()) {
      const Real memberScale = beta / static_cast<Real>(s.members);
      for (Index k = 0; k < s.members; ++k)
        kl += memberNegativeLogPrior(s, params.data(), k, memberScale, g) /
              static_cast<double>(s.members);
    } else {
      kl += whitenedKl(s, params.data(), beta, g, m_klScratch);
    }
    Real lambda = 0, sigmoid = 0;
    softplusWithDerivative(params.data() + s.rhoLambda(), 1, &lambda, &sigmoid);
    double derivative = 0.0;
    kl += lambdaRegulariser(s, static_cast<double>(lambda), &derivative);
    if (g) g[s.rhoLambda()] += static_cast<Real>(static_cast<double>(beta) * derivative) * sigmoid;
    if (extras < kMaxLambdaExtras) stats.addExtra(kLambdaNames[extras++], lambda);
  }
  stats.expectedLogLikelihood = dataScale * logLik;
  stats.kl = kl;
  stats.elbo = stats.expectedLogLikelihood - kl;
  return -(stats.expectedLogLikelihood - static_cast<double>(beta) * kl);
}

std::shared_ptr<const Posterior> InducingMethod::posterior() const {
  const Vector& params = parameters();
  const InducingLayout& layout = m_estimator.layout();
  const Index P = layout.parameterCount, L = m_likelihood->parameterCount();
  return std::make_shared<InducingPosterior>(m_kernel, params.segment(P, L), layout, params.head(P),
                                             static_cast<Real>(m_scale));
}

MethodDescriptor inducingMethodDescriptor() {
  MethodDescriptor d;
  d.id = "inducing";
  d.displayName = "Inducing weights";
  d.summary =
      "Each weight matrix summarised by a small inducing matrix U: fewer parameters than a "
      "deterministic network.";
  d.explanation =
      "Each layer's weight matrix W (d<sub>out</sub> &times; d, the bias as its last column) "
      "gets a small M &times; N companion U, the <i>inducing weights</i>. Prior: W and U are "
      "jointly matrix normal, U = Z<sub>r</sub> W Z<sub>c</sub><sup>T</sup> plus noise, with "
      "the session's N(0, s&sup2;) as the marginal of every weight. The posterior keeps a "
      "distribution only over U (mean-field, FFG-U, or an ensemble of K values, Ensemble-U) "
      "and sets W given U to the prior's conditional p(W | U), its spread scaled by a learned "
      "&lambda;. So the uncertainty lives in M N numbers per layer instead of d<sub>out</sub> d: "
      "the whole posterior (Z<sub>r</sub>, Z<sub>c</sub>, q(U), &lambda;) has far fewer "
      "parameters than a mean-field posterior (2 d<sub>out</sub> d) and even than a single "
      "deterministic network. A weight draw uses the <i>extended Matheron rule</i>: a joint "
      "prior draw corrected by A<sub>r</sub>(U &minus; \u0168)A<sub>c</sub>, which costs "
      "O(d<sub>out</sub> d (M + N)). With sampling = function the network's outputs are drawn "
      "per input instead, at a cost of N d<sub>in</sub> + M d<sub>out</sub> per input instead of "
      "d<sub>in</sub> d<sub>out</sub> (the same ELBO, with lower variance, as local "
      "reparameterisation): fewer multiply-adds than the deterministic network itself, so this "
      "Bayesian network can train faster than MAP.";
  d.objective =
      "maximise &nbsp; (N/B) &Sigma;<sub>i&isin;batch</sub> E<sub>q(W,U)</sub>[log "
      "p(y<sub>i</sub> | x<sub>i</sub>, W)] &minus; &beta; &Sigma;<sub>layers</sub> [KL(q(U) "
      "\u2016 p(U)) + R(&lambda;)], &nbsp; R(&lambda;) = d<sub>out</sub> d "
      "(&lambda;&sup2;/2 &minus; log &lambda; &minus; 1/2); Ensemble-U: KL(q(U) \u2016 p(U)) "
      "&rarr; (1/K) &Sigma;<sub>k</sub> &minus;log p(V<sub>k</sub>)";
  d.reference =
      "Ritter, Kukla, Zhang, Li (2021), Sparse Uncertainty Representation in Deep Learning with "
      "Inducing Weights (NeurIPS)";
  d.klLabel = "KL(q(U) \u2016 p(U)) + R(\u03bb)";  // Ensemble-U: see the objective
  d.traits.sequential = false;
  d.options = {
      OptionSpec::integer("rows", "Inducing rows M",
                          "Rows M of each layer's inducing matrix U (M \u00d7 N). 0: "
                          "\u230a\u221ad_out\u230b per layer; any value is capped at d_out. "
                          "Larger M keeps more of W's uncertainty and costs more parameters "
                          "and time (O(M d_out) per input).",
                          0, 0, 4096),
      OptionSpec::integer("cols", "Inducing columns N",
                          "Columns N of each layer's inducing matrix U. 0: "
                          "\u230a\u221a(d_in + 1)\u230b per layer; capped at d_in + 1 (the bias "
                          "is a column of W). Cost O(N d_in) per input.",
                          0, 0, 4096),
      OptionSpec::choice("q", "q(U)",
                         "ffg: a mean-field Gaussian over U in whitened coordinates (FFG-U). "
                         "ensemble: K point values of U sharing everything else (Ensemble-U), "
                         "each trained by MAP in whitened coordinates; the predictive mixes "
                         "them.",
                         {"ffg", "ensemble"}, "ffg"),
      OptionSpec::integer("members", "Members K",
                          "Ensemble-U only: the number of inducing matrices U_k. They add only "
                          "K M N parameters per layer; each step trains every member on the "
                          "batch, so time grows linearly with K.",
                          5, 1, 64),
      OptionSpec::choice(
          "sampling", "Sampling",
          "function: draw each layer's outputs per input (exact per input, like local "
          "reparameterisation; O(N d_in + M d_out) per input, a narrow output layer is "
          "drawn in weight space when that is cheaper). weight: one W per step by the "
          "extended Matheron rule, shared by the batch. Both estimate the same ELBO; "
          "function space has lower variance and, on wide layers, is faster than a "
          "deterministic network.",
          {"function", "weight"}, "function")};
  d.create = [](const Problem& p) { return std::make_unique<InducingMethod>(p); };
  d.parameterFormula =
      "\u03a3 (M d_out + N d + 2MN + M + N + 1),  d = d_in + 1 (Ensemble-U: K MN for 2MN)";
  d.formulaParameterCount = [](const MlpLayout& layout, const OptionValues& options) {
    const Index K = isEnsemble(options) ? options.integer("members") : 2;
    Index total = 0;
    for (const InducingLayerShape& s : inducingLayoutFor(layout, options).layers) {
      const Index M = s.rows, N = s.cols, dOut = s.outputs, d = s.inputs + 1;
      total += M * dOut + N * d + K * M * N + M + N + 1;
    }
    return total;
  };
  return d;
}

BAYESLAB_END_NAMESPACE
