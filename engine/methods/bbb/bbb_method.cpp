#include "engine/methods/bbb/bbb_method.h"

#include <cmath>
#include <numbers>

#include "engine/core/parallel.h"
#include "engine/methods/common/initialisation.h"
#include "engine/methods/common/mean_field_posterior.h"
#include "engine/methods/common/softplus.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
constexpr Index kParameterBlock = 16384;
const double kHalfLogTwoPi = 0.5 * std::log(2.0 * std::numbers::pi);
}  // namespace

BbbMethod::BbbMethod(const Problem& problem)
    : GradientMethod(problem),
      m_evaluator(MlpKernel(problem.layout, problem.activation), problem.likelihood),
      m_prior(problem.prior),
      m_weightCount(problem.layout.parameterCount()) {
  const Index P = m_weightCount, L = problem.likelihood->parameterCount();
  m_params.resize(2 * P + L);
  m_gradient.resize(m_params.size());
  RandomStream rng = problem.initRng;
  initialiseWeights(problem.layout, rng, m_params.data());
  m_params.segment(P, P).setConstant(static_cast<Real>(problem.options.number("init_rho")));
  problem.likelihood->initialParameters(m_params.data() + 2 * P);
  resetOptimizer();
}

double BbbMethod::evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                           StepStats& stats) {
  const Batch& batch = *input.batch;
  const Index P = m_weightCount;
  const Index S = std::max(1, input.mcSamples);
  const Index blocks = unitCount(P, kParameterBlock, 64);
  const Real beta = static_cast<Real>(input.klWeight);
  const bool closedForm = m_prior->hasClosedFormKl();
  const double dataScale =
      static_cast<double>(input.datasetSize) / static_cast<double>(batch.size());
  const Real* mu = params.data();
  const Real* rho = params.data() + P;
  const Real* phi = params.data() + 2 * P;

  m_sigma.resize(P);
  m_sigmoid.resize(P);
  m_eps.resize(P, S);
  m_weights.resize(P, S);
  m_weightGradient.resize(P, S);
  m_blockKl.assign(static_cast<size_t>(blocks), 0.0);

  // 1. sigma = softplus(rho), and the weight draws w_s = mu + sigma * eps_s, per block.
  parallelFor(input.threads, blocks, [&](Index b) {
    const Range r = partRange(P, blocks, b);
    softplusWithDerivative(rho + r.begin, r.size, m_sigma.data() + r.begin,
                           m_sigmoid.data() + r.begin);
    for (Index s = 0; s < S; ++s) {
      RandomStream stream =
          input.rng.derive(static_cast<std::uint64_t>(s)).derive(static_cast<std::uint64_t>(b));
      Real* eps = m_eps.col(s).data() + r.begin;
      stream.fillNormal(eps, r.size);
      ArrayMap(m_weights.col(s).data() + r.begin, r.size) =
          ConstArrayMap(mu + r.begin, r.size) +
          m_sigma.array().segment(r.begin, r.size) * ConstArrayMap(eps, r.size);
    }
  });

  // 2. The data term and its gradient with respect to each weight draw.
  Real* g = gradient ? gradient->data() : nullptr;
  if (g) gradient->tail(params.size() - 2 * P).setZero();
  const double logLik = m_evaluator.evaluate(
      batch, S, m_weights.data(), phi, static_cast<Real>(-dataScale / static_cast<double>(S)),
      g ? m_weightGradient.data() : nullptr, g ? g + 2 * P : nullptr, input.threads);

  // 3. KL and the chain rule to (mu, rho), per block.
  parallelFor(input.threads, blocks, [&](Index b) {
    const Range r = partRange(P, blocks, b);
    double kl = 0.0;
    if (!closedForm) {
      for (Index s = 0; s < S; ++s) {
        const Real* w = m_weights.col(s).data() + r.begin;
        Real* gw = g ? m_weightGradient.col(s).data() + r.begin : nullptr;
        const double logPrior = m_prior->logDensity(w, r.size, -beta / static_cast<Real>(S), gw);
        const auto eps = m_eps.col(s).segment(r.begin, r.size).array();
        const double logQ =
            -static_cast<double>(m_sigma.segment(r.begin, r.size).array().log().sum()) -
            0.5 * static_cast<double>(eps.square().sum()) -
            static_cast<double>(r.size) * kHalfLogTwoPi;
        kl += (logQ - logPrior) / static_cast<double>(S);
      }
    }
    if (g) {
      VectorMap dMu(g + r.begin, r.size), dSigma(g + P + r.begin, r.size);
      dMu = m_weightGradient.col(0).segment(r.begin, r.size);
      dSigma = (m_weightGradient.col(0).segment(r.begin, r.size).array() *
                m_eps.col(0).segment(r.begin, r.size).array())
                   .matrix();
      for (Index s = 1; s < S; ++s) {
        dMu += m_weightGradient.col(s).segment(r.begin, r.size);
        dSigma.array() += m_weightGradient.col(s).segment(r.begin, r.size).array() *
                          m_eps.col(s).segment(r.begin, r.size).array();
      }
      if (closedForm)
        kl = m_prior->klGaussian(mu + r.begin, m_sigma.data() + r.begin, r.size, beta, dMu.data(),
                                 dSigma.data());
      else
        dSigma.array() -= beta * m_sigma.segment(r.begin, r.size).array().inverse();
      dSigma.array() *= m_sigmoid.segment(r.begin, r.size).array();  // now dL/drho
    } else if (closedForm) {
      kl = m_prior->klGaussian(mu + r.begin, m_sigma.data() + r.begin, r.size, 0, nullptr, nullptr);
    }
    m_blockKl[static_cast<size_t>(b)] = kl;
  });

  double kl = 0.0;
  for (double part : m_blockKl) kl += part;
  stats.expectedLogLikelihood = dataScale * logLik / static_cast<double>(S);
  stats.kl = kl;
  stats.elbo = stats.expectedLogLikelihood - kl;
  return -(stats.expectedLogLikelihood - static_cast<double>(beta) * kl);
}

std::shared_ptr<const Posterior> BbbMethod::posterior() const {
  const Index P = m_weightCount;
  Vector sigma(P), sigmoid(P);
  softplusWithDerivative(m_params.data() + P, P, sigma.data(), sigmoid.data());
  return std::make_shared<MeanFieldPosterior>(
      m_evaluator.kernel(), m_params.tail(m_params.size() - 2 * P), m_params.head(P), sigma);
}

MethodDescriptor bbbMethodDescriptor() {
  MethodDescriptor d;
  d.id = "bbb";
  d.displayName = "Bayes by Backprop";
  d.summary = "Mean-field Gaussian variational inference with the reparameterisation trick.";
  d.explanation =
      "Every weight and bias gets an independent Gaussian q(w) = N(&mu;, &sigma;&sup2;) with "
      "&sigma; = softplus(&rho;). Each step samples a weight vector w = &mu; + &sigma;&epsilon;, "
      "&epsilon; ~ N(0, I), runs the network, and follows the gradient of the ELBO through the "
      "sample (the reparameterisation trick). The KL to the prior is closed form for a Gaussian "
      "prior and a Monte Carlo estimate otherwise. One weight sample is shared by the whole "
      "minibatch, so the gradient noise is larger than with local reparameterisation.";
  d.objective =
      "ELBO = (N/B) &Sigma;<sub>i&isin;batch</sub> E<sub>q</sub>[log p(y<sub>i</sub> | "
      "x<sub>i</sub>, w)] &minus; &beta; KL(q(w) || p(w)), &nbsp; w = &mu; + softplus(&rho;) "
      "&#8857; &epsilon;";
  d.reference =
      "Blundell, Cornebise, Kavukcuoglu, Wierstra (2015), Weight Uncertainty in Neural Networks";
  d.klLabel = "KL(q || p)";
  d.options = {OptionSpec::real("init_rho", "Initial \u03c1",
                                "Initial value of every \u03c1; \u03c3 = softplus(\u03c1). "
                                "-5 gives \u03c3 \u2248 0.0067: start near a point estimate.",
                                -5.0, -12.0, 3.0)};
  d.create = [](const Problem& p) { return std::make_unique<BbbMethod>(p); };
  return d;
}

BAYESLAB_END_NAMESPACE
