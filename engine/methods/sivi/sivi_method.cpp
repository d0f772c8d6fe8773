#include "engine/methods/sivi/sivi_method.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "engine/core/math_constants.h"
#include "engine/core/parallel.h"
#include "engine/methods/common/softplus.h"
#include "engine/methods/sivi/k_sample_bounds.h"
#include "engine/methods/sivi/sivi_posterior.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

constexpr std::uint64_t kMixingStream = 0x6d6978;  // "mix": the mixing noise eps
// A step keeps P (K + 1) offsets per Monte Carlo sample: K is capped so that
// they stay within 2^26 values (256 MB in float) per sample.
constexpr Index kMaxOffsets = Index(1) << 26;

Index maxMixingDraws(Index weights) {
  return std::max<Index>(1, kMaxOffsets / std::max<Index>(1, weights) - 1);
}

}  // namespace

SiviMethod::SiviMethod(const Problem& problem)
    : GradientMethod(problem),
      m_evaluator(MlpKernel(problem.layout, problem.activation), problem.likelihood),
      m_likelihood(problem.likelihood),
      m_prior(problem.prior),
      m_network(problem.layout.parameterCount(), problem.options.integer("mixing_hidden"),
                problem.options.integer("noise_dim")),
      m_weightCount(problem.layout.parameterCount()),
      m_mixingDraws(problem.options.integer("mixing_draws")) {
  const Index P = m_weightCount, L = m_likelihood->parameterCount();
  const Index Hp = m_prior->hyperparameterCount();
  if (m_mixingDraws > maxMixingDraws(P))
    throw InputError("", "method.mixing_draws",
                     "at most " + std::to_string(maxMixingDraws(P)) + " for a network of " +
                         std::to_string(P) + " weights (memory: P (K + 1) offsets per draw)");
  const double sigma = problem.options.number("init_sigma");
  m_params.resize(m_network.parameterCount() + P + L + Hp);
  m_gradient.resize(m_params.size());
  RandomStream rng = problem.initRng;
  m_network.initialise(problem.layout, sigma, rng, m_params.data());
  m_params.segment(rhoOffset(), P).setConstant(static_cast<Real>(inverseSoftplus(sigma)));
  m_likelihood->initialParameters(m_params.data() + rhoOffset() + P);
  m_prior->initialHyperparameters(m_params.data() + rhoOffset() + P + L);
  resetOptimizer();
}

void SiviMethod::setPrior(std::shared_ptr<const Prior> prior) {
  // A different number of hyperparameters would change the parameter vector: needs a reset.
  if (prior->hyperparameterCount() == m_prior->hyperparameterCount()) m_prior = std::move(prior);
}

void SiviMethod::setLiveOptions(const OptionValues& options) {
  // Beyond the memory cap K stays at the cap; the extra mixing_draws shows the K in use.
  if (options.has("mixing_draws"))
    m_mixingDraws =
        std::clamp<Index>(options.integer("mixing_draws"), 1, maxMixingDraws(m_weightCount));
}

double SiviMethod::evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                            StepStats& stats) {
  const Index P = m_weightCount, L = m_likelihood->parameterCount();
  const Index Hp = m_prior->hyperparameterCount();
  const Index H = m_network.hiddenCount(), D = m_network.noiseDim();
  const Index S = std::max(1, input.mcSamples), K = m_mixingDraws, J = K + 1, M = S * J;
  const Index blocks = parameterBlocks(P);
  const Index rho = rhoOffset(), phi = rho + P, hyper = phi + L;
  const double beta = input.klWeight;
  const double dataScale =
      static_cast<double>(input.datasetSize) / static_cast<double>(input.batch->size());
  const Real* theta = params.data();
  const Real* mean = theta + m_network.meanOffset();
  Real* g = gradient ? gradient->data() : nullptr;

  m_eps.resize(D, M);
  m_sigma.resize(P);
  m_sigmoid.resize(P);
  m_logScale.resize(P);
  m_scale.resize(P);
  m_u.resize(P, S);
  m_w.resize(P, S);
  m_wGradient.resize(P, S);
  m_z.resize(static_cast<size_t>(blocks));
  m_dHidden.resize(static_cast<size_t>(blocks));
  m_quadratic.setZero(M, blocks);
  m_blockLogPrior.resize(S, blocks);
  m_blockLogSigma.resize(blocks);
  m_blockHyperGradient.setZero(Hp, blocks);
  m_logDensity.resize(M);
  m_responsibility.resize(M);

  // The mixing draws eps_sk (tiny: D x (K+1) per sample) and their hidden units.
  const RandomStream mixing = input.rng.derive(kMixingStream);
  for (Index s = 0; s < S; ++s)
    mixing.derive(static_cast<std::uint64_t>(s)).fillNormal(m_eps.col(s * J).data(), D * J);
  m_network.hidden(theta, m_eps, m_hidden);

  // Per block of weights: sigma, the standardised offsets zh_sk = z_sk / sigma
  // (kept in z), u_s = zh_s0 + e_s, the weights w_s = m + sigma u_s =
  // psi_s0 + sigma e_s and the block's share of every log q(w_s | psi_sk).
  parallelFor(input.threads, blocks, [&](Index b) {
    const Range r = partRange(P, blocks, b);
    softplusWithDerivative(theta + rho + r.begin, r.size, m_sigma.data() + r.begin,
                           m_sigmoid.data() + r.begin);
    const ConstArrayMap sigma(m_sigma.data() + r.begin, r.size);
    m_blockLogSigma(b) = static_cast<double>(sigma.log().sum());
    Matrix& z = m_z[static_cast<size_t>(b)];
    z.resize(r.size, M);
    Real* scale = m_scale.data() + r.begin;
    m_network.scales(theta, r, scale);
    m_network.offsets(theta, m_hidden, r, scale, z);
    z.array().colwise() /= sigma;
    for (Index s = 0; s < S; ++s) {
      Real* u = m_u.col(s).data() + r.begin;
      input.rng.derive(static_cast<std::uint64_t>(s))
          .derive(static_cast<std::uint64_t>(b))
          .fillNormal(u, r.size);
      ArrayMap(u, r.size) += z.col(s * J).array();
      ArrayMap(m_w.col(s).data() + r.begin, r.size) =
          ConstArrayMap(mean + r.begin, r.size) + sigma * ConstArrayMap(u, r.size);
      addKernelQuadratic(u, z.middleCols(s * J, J), r.size, m_quadratic.col(b).data() + s * J);
    }
  });

  // The data term and its gradient with respect to every w_s.
  if (g) gradient->segment(phi, L + Hp).setZero();
  const Real wScale = static_cast<Real>(-dataScale / static_cast<double>(S));
  const double logLik =
      m_evaluator.evaluate(*input.batch, S, m_w.data(), theta + phi, wScale,
                           g ? m_wGradient.data() : nullptr, g ? g + phi : nullptr, input.threads);

  // log q(w_s | psi_sk), reduced over blocks in order, and the two estimates of log q(w_s).
  const double constant = -m_blockLogSigma.sum() - static_cast<double>(P) * kHalfLogTwoPi;
  m_logDensity = m_quadratic.rowwise().sum().array() + constant;
  double withOwn = 0.0, withoutOwn = 0.0;
  for (Index s = 0; s < S; ++s) {
    const KSampleLogDensity d =
        kSampleLogDensity(m_logDensity.data() + s * J, K, m_responsibility.data() + s * J);
    withOwn += d.withOwn;
    withoutOwn += d.withoutOwn;
  }

  // Per block: the prior, and the gradients of m, sigma (into rho) and A.
  const Real klScale = static_cast<Real>(beta / static_cast<double>(S));
  parallelFor(input.threads, blocks, [&](Index b) {
    const Range r = partRange(P, blocks, b);
    PriorContext context;
    context.offset = r.begin;
    context.hyperparameters = theta + hyper;
    context.hyperGradient = g && Hp > 0 ? m_blockHyperGradient.col(b).data() : nullptr;
    for (Index s = 0; s < S; ++s)
      m_blockLogPrior(s, b) =
          m_prior->logDensity(m_w.col(s).data() + r.begin, r.size, -klScale,
                              g ? m_wGradient.col(s).data() + r.begin : nullptr, context);
    if (!g) return;
    const ConstArrayMap sigma(m_sigma.data() + r.begin, r.size);
    Matrix& z = m_z[static_cast<size_t>(b)];
    VectorMap dMean(g + m_network.meanOffset() + r.begin, r.size);
    ArrayMap dSigma(g + rho + r.begin, r.size);
    ArrayMap dLogScale(m_logScale.data() + r.begin, r.size);
    dMean.setZero();
    dSigma.setZero();
    dLogScale.setZero();
    for (Index s = 0; s < S; ++s) {
      // dL/dw_s (data and prior), through w = m + z_s0 + sigma e_s.
      ArrayMap dW(m_wGradient.col(s).data() + r.begin, r.size);
      const ConstArrayMap u(m_u.col(s).data() + r.begin, r.size);
      dMean += dW.matrix();
      dSigma += dW * (u - z.col(s * J).array());  // e_s
      dW *= sigma;                                // now dL/du_s by the path through w
      addKSampleGradient(u.data(), z.middleCols(s * J, J), r.size, m_responsibility.data() + s * J,
                         klScale, dW.data(), dLogScale.data());
      z.col(s * J) += dW.matrix();  // u_s = zh_s0 + e_s
    }
    // zh = z / sigma and lambda's -sum log sigma; then the chain rule to rho,
    // and dL/dz = dL/dzh / sigma.
    dSigma -= (dLogScale + static_cast<Real>(beta)) / sigma;
    dSigma *= m_sigmoid.array().segment(r.begin, r.size);
    z.array().colwise() /= sigma;
    Matrix& dHidden = m_dHidden[static_cast<size_t>(b)];
    dHidden.resize(H, M);
    m_network.backwardRows(theta, m_hidden, r, m_scale.data() + r.begin, z, g, dHidden);
  });

  double logPrior = 0.0;
  for (Index b = 0; b < blocks; ++b) logPrior += m_blockLogPrior.col(b).sum();
  if (g) {
    m_dHiddenTotal = m_dHidden[0];
    for (Index b = 1; b < blocks; ++b) m_dHiddenTotal += m_dHidden[static_cast<size_t>(b)];
    m_network.backwardHidden(m_eps, m_hidden, m_dHiddenTotal, g);
    if (Hp > 0) gradient->segment(hyper, Hp) = m_blockHyperGradient.rowwise().sum();
  }

  const double invS = 1.0 / static_cast<double>(S);
  stats.expectedLogLikelihood = dataScale * logLik * invS;
  stats.kl = (withOwn - logPrior) * invS;
  stats.elbo = stats.expectedLogLikelihood - stats.kl;
  const double upper = stats.expectedLogLikelihood - (withoutOwn - logPrior) * invS;
  for (Index k = 0; k < Hp; ++k)
    stats.addExtra(m_prior->hyperparameterName(k), m_prior->hyperparameterValue(k, theta + hyper));
  stats.addExtra("elbo_lower", stats.elbo);
  stats.addExtra("elbo_upper", upper);
  stats.addExtra("mixing_draws", static_cast<double>(K));
  return -(stats.expectedLogLikelihood - beta * stats.kl);
}

std::shared_ptr<const Posterior> SiviMethod::posterior() const {
  settle();
  const Index P = m_weightCount, L = m_likelihood->parameterCount();
  Vector sigma(P), sigmoid(P);
  softplusWithDerivative(m_params.data() + rhoOffset(), P, sigma.data(), sigmoid.data());
  auto posterior =
      std::make_shared<SiviPosterior>(m_evaluator.kernel(), m_params.segment(rhoOffset() + P, L),
                                      m_network, m_params.head(m_network.parameterCount()), sigma);
  if (m_prior->hyperparameterCount() > 0)
    posterior->setLearnedPrior(m_prior->withHyperparameters(m_params.data() + rhoOffset() + P + L));
  return posterior;
}

MethodDescriptor siviMethodDescriptor() {
  MethodDescriptor d;
  d.id = "sivi";
  d.displayName = "Semi-implicit VI";
  d.summary =
      "A mixture of Gaussians whose means come from a noise-driven network, trained on the "
      "K-sample lower bound; the upper bound is shown beside it.";
  d.explanation =
      "Semi-implicit VI makes q(w) richer than a Gaussian by mixing Gaussians: a small network "
      "turns noise &epsilon; ~ N(0, I) into a mean &psi; = g(&epsilon;) = m + A tanh(B&epsilon; "
      "+ c) (each row of A with its own learned scale), and w | &psi; ~ N(&psi;, diag "
      "&sigma;&sup2;) with a learned &sigma;. Its hidden units are shared by all weights, so q "
      "can correlate weights and need not be Gaussian. The mixing distribution q(&psi;) is "
      "<i>implicit</i>: it can be sampled but has no density, so the marginal q(w) = "
      "E<sub>&psi;</sub>[N(w; &psi;, &sigma;&sup2;)], and with it the entropy term "
      "&minus;E[log q(w)] of the ELBO, cannot be computed. SIVI estimates log q(w) by the log of "
      "an average of the Gaussian densities at K + 1 mixing draws, one of them the "
      "&psi;<sub>0</sub> that produced w: on average that over-estimates log q(w), which gives a "
      "lower bound L<sub>K</sub> on the ELBO, the objective trained (and reported as the ELBO). "
      "Leaving &psi;<sub>0</sub> out under-estimates log q(w) and gives an upper bound "
      "L<sup>K</sup> from the same draws (extras elbo_lower and elbo_upper). As K grows "
      "L<sub>K</sub> rises and L<sup>K</sup> falls, both toward the ELBO: the gap between the "
      "two curves is what the bounds still hide. K (mixing draws) can change while training; "
      "each draw costs one Gaussian density over the weights, not a network pass. With "
      "thousands of weights the K draws rarely come near w: L<sup>K</sup> stays far above and "
      "L<sub>K</sub> close to a single Gaussian's bound. The weight views show draws of q.";
  d.objective =
      "L<sub>K</sub> = E[ log p(D, w) &minus; log <sup>1</sup>&frasl;<sub>K+1</sub> "
      "&Sigma;<sub>k=0..K</sub> q(w | &psi;<sub>k</sub>) ] &nbsp;&le;&nbsp; ELBO &nbsp;&le;&nbsp; "
      "L<sup>K</sup> = E[ log p(D, w) &minus; log <sup>1</sup>&frasl;<sub>K</sub> "
      "&Sigma;<sub>k=1..K</sub> q(w | &psi;<sub>k</sub>) ], &nbsp; &psi;<sub>k</sub> = "
      "g(&epsilon;<sub>k</sub>), w = &psi;<sub>0</sub> + &sigma; &#8857; e, &nbsp; log p(D, w) = "
      "(N/B) &Sigma;<sub>i&isin;batch</sub> log p(y<sub>i</sub> | x<sub>i</sub>, w) + log p(w) "
      "(&beta; weighs log q and log p(w) in the objective)";
  d.reference =
      "Yin &amp; Zhou (2018), Semi-Implicit Variational Inference; Molchanov, Kharitonov, Sobolev, "
      "Vetrov (2019), Doubly Semi-Implicit Variational Inference";
  d.klLabel = "KL bound (K draws)";
  // Sequential learning hands the previous part's posterior over as a
  // per-weight Gaussian prior (its marginal means and sds); the prior enters
  // only through log p(w), which takes any prior, so SIVI can learn part by
  // part. What it cannot hand on is its own shape: the correlations and
  // non-Gaussian marginals of q are reduced to those moments at each part.
  d.traits.sequential = true;
  OptionSpec draws = OptionSpec::integer(
      "mixing_draws", "Mixing draws K",
      "K extra draws of the mixing network per weight sample. The trained lower bound L_K "
      "rises and the reported upper bound L^K falls toward the ELBO as K grows; the gap between "
      "the two curves shows how loose they still are. Cost grows linearly with K (one Gaussian "
      "density over the weights per draw); for large networks memory caps it at 2^26 / P - 1. "
      "Changes apply from the next step.",
      50, 1, 1000, true);
  OptionSpec noise = OptionSpec::integer(
      "noise_dim", "Noise dimension D",
      "Dimension of the noise \u03b5 fed to the mixing network. The means \u03c8 = g(\u03b5) "
      "lie on a D-dimensional surface among the weights: larger D, richer mixtures.",
      10, 1, 256);
  OptionSpec hidden = OptionSpec::integer(
      "mixing_hidden", "Mixing hidden units H",
      "Hidden tanh units of the mixing network \u03c8 = m + A tanh(B\u03b5 + c), shared by "
      "every weight. Each weight gets H loadings (a row of A, with its own scale), so the "
      "learned scalars grow as P (H + 3): H shapes how non-Gaussian and correlated q can be, "
      "and the cost of a step grows with it.",
      20, 1, 256);
  OptionSpec sigma = OptionSpec::real(
      "init_sigma", "Initial \u03c3",
      "Initial standard deviation \u03c3 of every weight's Gaussian around \u03c8 (learned; "
      "\u03c3 = softplus(\u03c1)). The mixing network starts with a spread of the same size, so "
      "the bounds see the mixture from the first step. Small values start near a point "
      "estimate; about the posterior's scale trains fastest.",
      0.01, 1e-4, 2.0);
  sigma.logScale = true;
  d.options = {draws, noise, hidden, sigma};
  d.parameterFormula = "P (H + 3) + H (D + 1), P = \u03a3 (d_in d_out + d_out)";
  d.formulaParameterCount = [](const MlpLayout& layout, const OptionValues& options) {
    const Index P = layout.parameterCount();
    const Index H = options.integer("mixing_hidden"), D = options.integer("noise_dim");
    return P * (H + 3) + H * (D + 1);
  };
  d.create = [](const Problem& p) -> std::unique_ptr<InferenceMethod> {
    return std::make_unique<SiviMethod>(p);
  };
  return d;
}

BAYESLAB_END_NAMESPACE
