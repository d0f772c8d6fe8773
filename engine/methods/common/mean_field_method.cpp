#include "engine/methods/common/mean_field_method.h"

#include <cmath>
#include <numbers>

#include "engine/core/math_constants.h"
#include "engine/core/parallel.h"
#include "engine/methods/common/initialisation.h"
#include "engine/methods/common/mean_field_posterior.h"
#include "engine/methods/common/softplus.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
constexpr std::uint64_t kKlStream = 0x6b6c;  // "kl"
}  // namespace

OptionSpec initialRhoOption() {
  return OptionSpec::real("init_rho", "Initial \u03c1",
                          "Initial value of every \u03c1; \u03c3 = softplus(\u03c1). -5 gives "
                          "\u03c3 \u2248 0.0067: start near a point estimate.",
                          -5.0, -12.0, 3.0);
}

MeanFieldMethod::MeanFieldMethod(const Problem& problem,
                                 std::unique_ptr<DataTermEstimator> estimator)
    : GradientMethod(problem),
      m_kernel(problem.layout, problem.activation),
      m_likelihood(problem.likelihood),
      m_prior(problem.prior),
      m_estimator(std::move(estimator)),
      m_weightCount(problem.layout.parameterCount()) {
  const Index P = m_weightCount, L = m_likelihood->parameterCount();
  const Index H = m_prior->hyperparameterCount();
  m_params.resize(2 * P + L + H);
  m_gradient.resize(m_params.size());
  RandomStream rng = problem.initRng;
  initialiseWeights(problem.layout, rng, m_params.data());
  m_params.segment(P, P).setConstant(static_cast<Real>(problem.options.number("init_rho")));
  m_likelihood->initialParameters(m_params.data() + 2 * P);
  m_prior->initialHyperparameters(m_params.data() + 2 * P + L);
  resetOptimizer();
}

void MeanFieldMethod::setPrior(std::shared_ptr<const Prior> prior) {
  // A prior with a different number of hyperparameters needs a reset (the
  // parameter vector changes); keep the old one rather than corrupt the state.
  if (prior->hyperparameterCount() != m_prior->hyperparameterCount()) return;
  m_prior = std::move(prior);
}

double MeanFieldMethod::evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                                 StepStats& stats) {
  const Index P = m_weightCount;
  const Index L = m_likelihood->parameterCount();
  const Index H = m_prior->hyperparameterCount();
  const Index blocks = parameterBlocks(P);
  const Real beta = static_cast<Real>(input.klWeight);
  const double dataScale =
      static_cast<double>(input.datasetSize) / static_cast<double>(input.batch->size());
  const Real* mu = params.data();
  const Real* rho = mu + P;
  const Real* phi = mu + 2 * P;
  const Real* psi = mu + 2 * P + L;

  const Index parts = m_estimator->finishParts(input, P);
  m_sigma.resize(P);
  m_sigmoid.resize(P);
  m_partKl.assign(static_cast<size_t>(parts), 0.0);
  m_partGradientNorm.assign(static_cast<size_t>(parts), Real(0));
  m_partHyperGradient.setZero(H, parts);
  Real* g = gradient ? gradient->data() : nullptr;

  const bool closedForm = m_prior->hasClosedFormKl();
  const Index klSamples = std::max(1, input.mcSamples);
  if (!closedForm) {
    m_klEps.resize(P);
    m_klWeights.resize(P);
    m_klGradient.resize(P);
  }
  const RandomStream klRng = input.rng.derive(kKlStream);
  // Block passes, run by the estimator around (or inside) its own: the pending
  // update of (mu, rho) and sigma before the data term; after it, on each of
  // the estimator's parts, the KL and its gradient, the chain rule to rho and
  // the part's share of the gradient's squared norm (for step()).
  BlockPasses passes;
  passes.prepare = [&](Index b) {
    const Range r = partRange(P, blocks, b);
    applyPendingUpdate(b);
    // Block 0's update has read the likelihood and prior parameters' gradient
    // (no other unit touches it before the data term).
    if (b == 0 && g) gradient->tail(L + H).setZero();
    softplusWithDerivative(rho + r.begin, r.size, m_sigma.data() + r.begin,
                           m_sigmoid.data() + r.begin);
  };
  passes.finish = [&](Range r, Index part) {
    PriorContext context;
    context.offset = r.begin;
    context.hyperparameters = psi;
    context.hyperGradient = H > 0 ? m_partHyperGradient.col(part).data() : nullptr;
    Real* dMu = g ? g + r.begin : nullptr;
    Real* dSigma = g ? g + P + r.begin : nullptr;
    const Real* sigma = m_sigma.data() + r.begin;
    double kl = 0.0;
    if (closedForm) {
      kl = m_prior->klGaussian(mu + r.begin, sigma, r.size, beta, dMu, dSigma, context);
    } else {
      const Real scale = beta / static_cast<Real>(klSamples);
      const double logSigma = static_cast<double>(ConstArrayMap(sigma, r.size).log().sum());
      for (Index s = 0; s < klSamples; ++s) {
        RandomStream stream =
            klRng.derive(static_cast<std::uint64_t>(s)).derive(static_cast<std::uint64_t>(part));
        ArrayMap eps(m_klEps.data() + r.begin, r.size);
        ArrayMap w(m_klWeights.data() + r.begin, r.size);
        ArrayMap gw(m_klGradient.data() + r.begin, r.size);
        stream.fillNormal(eps.data(), r.size);
        w = ConstArrayMap(mu + r.begin, r.size) + ConstArrayMap(sigma, r.size) * eps;
        gw.setZero();
        const double logPrior =
            m_prior->logDensity(w.data(), r.size, -scale, g ? gw.data() : nullptr, context);
        const double logQ = -logSigma - 0.5 * static_cast<double>(eps.square().sum()) -
                            static_cast<double>(r.size) * kHalfLogTwoPi;
        kl += (logQ - logPrior) / static_cast<double>(klSamples);
        if (g) {
          ArrayMap(dMu, r.size) += gw;
          ArrayMap(dSigma, r.size) += gw * eps;
        }
      }
      if (g) ArrayMap(dSigma, r.size) -= beta * ConstArrayMap(sigma, r.size).inverse();
    }
    if (g) {
      ArrayMap(dSigma, r.size) *= m_sigmoid.array().segment(r.begin, r.size);  // now dL/drho
      m_partGradientNorm[static_cast<size_t>(part)] =
          ConstVectorMap(dMu, r.size).squaredNorm() + ConstVectorMap(dSigma, r.size).squaredNorm();
    }
    m_partKl[static_cast<size_t>(part)] = kl;
  };
  const double logLik =
      m_estimator->estimateWithPasses(input, mu, m_sigma.data(), phi, static_cast<Real>(-dataScale),
                                      g, g ? g + P : nullptr, g ? g + 2 * P : nullptr, P, passes);

  double kl = 0.0;
  for (double part : m_partKl) kl += part;
  if (g) {
    if (H > 0) gradient->tail(H) = m_partHyperGradient.rowwise().sum();
    Real norm = gradient->tail(L + H).squaredNorm();
    for (Real part : m_partGradientNorm) norm += part;
    reportGradientSquaredNorm(norm);
  }
  stats.expectedLogLikelihood = dataScale * logLik;
  stats.kl = kl;
  stats.elbo = stats.expectedLogLikelihood - kl;
  for (Index k = 0; k < H; ++k)
    stats.addExtra(m_prior->hyperparameterName(k), m_prior->hyperparameterValue(k, psi));
  m_estimator->addExtras(stats);
  return -(stats.expectedLogLikelihood - static_cast<double>(beta) * kl);
}

Index MeanFieldMethod::updateBlockCount() const {
  return parameterBlocks(m_weightCount);
}

void MeanFieldMethod::updateBlock(Index b) const {
  const Index P = m_weightCount;
  const Range r = partRange(P, updateBlockCount(), b);
  m_optimizer->update(m_params.data(), m_gradient.data(), r.begin, r.size);
  m_optimizer->update(m_params.data(), m_gradient.data(), P + r.begin, r.size);
  if (b == 0)
    m_optimizer->update(m_params.data(), m_gradient.data(), 2 * P, m_params.size() - 2 * P);
}

std::shared_ptr<const Posterior> MeanFieldMethod::posterior() const {
  settle();
  const Index P = m_weightCount, L = m_likelihood->parameterCount();
  Vector sigma(P), sigmoid(P);
  softplusWithDerivative(m_params.data() + P, P, sigma.data(), sigmoid.data());
  auto posterior = std::make_shared<MeanFieldPosterior>(m_kernel, m_params.segment(2 * P, L),
                                                        m_params.head(P), sigma);
  if (m_prior->hyperparameterCount() > 0)
    posterior->setLearnedPrior(m_prior->withHyperparameters(m_params.data() + 2 * P + L));
  return posterior;
}

Index meanFieldParameterCount(const MlpLayout& layout, const OptionValues& /*options*/) {
  return 2 * layout.parameterCount();
}

BAYESLAB_END_NAMESPACE
