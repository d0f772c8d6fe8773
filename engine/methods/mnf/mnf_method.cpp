#include "engine/methods/mnf/mnf_method.h"

#include <algorithm>
#include <cmath>

#include "engine/core/parallel.h"
#include "engine/methods/common/initialisation.h"
#include "engine/methods/mnf/mnf_posterior.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
constexpr std::uint64_t kBoundStream = 0x6b6c;       // "kl": z_T and r per layer
constexpr std::uint64_t kWeightKlStream = 0x776b6c;  // "wkl": Monte Carlo weight KL
// Weights per unit of the KL pass: enough to amortise a unit's claim, small
// enough that the 784 x 400 layer of the MNIST network splits in about 20.
constexpr Index kKlUnitWeights = 16384;
}  // namespace

MnfMethod::MnfMethod(const Problem& problem)
    : GradientMethod(problem),
      m_structure(problem.layout, problem.options.integer("flow_length"),
                  problem.options.integer("flow_hidden")),
      m_network(problem.layout, problem.activation),
      m_likelihood(problem.likelihood),
      m_prior(problem.prior),
      m_kernel(m_structure, problem.activation, problem.likelihood) {
  const MlpLayout& layout = problem.layout;
  const Index P = layout.parameterCount(), A = m_structure.auxiliaryCount();
  const Index L = m_likelihood->parameterCount(), H = m_prior->hyperparameterCount();
  m_params.resize(2 * P + A + L + H);
  m_gradient.resize(m_params.size());
  RandomStream rng = problem.initRng;
  initialiseWeights(layout, rng, m_params.data());
  m_params.segment(P, P).setConstant(static_cast<Real>(problem.options.number("init_log_sigma")));
  m_structure.initialiseAuxiliary(rng, m_params.data() + 2 * P);
  m_likelihood->initialParameters(m_params.data() + 2 * P + A);
  m_prior->initialHyperparameters(m_params.data() + 2 * P + A + L);
  resetOptimizer();

  m_sigma.resize(P);
  m_variance.resize(P);
  m_bounds.resize(static_cast<size_t>(layout.layerCount()));
  for (Index l = 0; l < layout.layerCount(); ++l) {
    const MnfLayerBlock& block = m_structure.layer(l);
    LayerBound& bound = m_bounds[static_cast<size_t>(l)];
    bound.z.resize(block.noise.dim(), 1);
    bound.dz.resize(block.noise.dim(), 1);
    bound.tape.resize(block.noise, 1);
    bound.scratch.resize(block.noise.flow(), 1);
    bound.r.resize(block.auxiliary);
    const LayerShape& s = layout.layer(l);
    const Index blocks = std::clamp<Index>(
        (s.inputs * s.outputs + kKlUnitWeights - 1) / kKlUnitWeights, 1, s.inputs);
    for (Index b = 0; b < blocks; ++b) {
      const Range cols = partRange(s.inputs, blocks, b);
      KlUnit unit;
      unit.layer = l;
      unit.columnBegin = cols.begin;
      unit.columnCount = cols.size;
      unit.dMean.resize(s.outputs * cols.size);
      unit.dSigma.resize(s.outputs * cols.size);
      m_klUnits.push_back(std::move(unit));
    }
  }
}

void MnfMethod::setPrior(std::shared_ptr<const Prior> prior) {
  // A prior with a different number of hyperparameters needs a reset (the
  // parameter vector changes); keep the old one rather than corrupt the state.
  if (prior->hyperparameterCount() != m_prior->hyperparameterCount()) return;
  m_prior = std::move(prior);
}

void MnfMethod::drawBound(Index l, const Real* mu, const Real* auxiliary, Real beta,
                          Real* dAuxiliary, const RandomStream& rng) {
  const MnfLayerBlock& block = m_structure.layer(l);
  const LayerShape& shape = m_structure.layout().layer(l);
  LayerBound& bound = m_bounds[static_cast<size_t>(l)];
  if (m_fixedMultipliers) {
    bound.z.setOnes();
    bound.logQ = bound.negativeLogR = 0.0;
    return;
  }
  RandomStream stream = rng.derive(static_cast<std::uint64_t>(l));
  const Real* q = auxiliary + block.noiseOffset;
  Real logDet = 0;
  block.noise.draw(q, bound.z, bound.tape, 0, stream, &logDet, bound.scratch);
  bound.logQ = block.noise.expectedLogBase(q, 0, nullptr) - static_cast<double>(logDet);
  bound.negativeLogR = block.auxiliary.negativeLogDensity(
      auxiliary + block.auxiliaryOffset, mu + shape.weightOffset,
      m_variance.data() + shape.weightOffset, bound.z.data(), stream, beta,
      dAuxiliary ? dAuxiliary + block.auxiliaryOffset : nullptr, bound.r);
}

void MnfMethod::finishBound(Index l, const Real* auxiliary, Real beta, Real* dAuxiliary) {
  if (m_fixedMultipliers) return;
  const MnfLayerBlock& block = m_structure.layer(l);
  LayerBound& bound = m_bounds[static_cast<size_t>(l)];
  const Real* q = auxiliary + block.noiseOffset;
  Real* dq = dAuxiliary + block.noiseOffset;
  // dJ/dz_T: the weights' KL and r's c^T W (the KL pass) and r through its flow.
  bound.dz += bound.r.dz;
  // J holds beta log q(z_T) = beta (E log q_0 - log det): weight -beta on log det.
  block.noise.backward(q, bound.dz, bound.tape, 0, -beta, bound.scratch,
                       m_kernel.transposedFlow(l));
  block.noise.parameterGradient(q, bound.tape, 0, 1, dq, true);
  block.noise.expectedLogBase(q, beta, dq);
}

double MnfMethod::evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                           StepStats& stats) {
  const MlpLayout& layout = m_structure.layout();
  const Index P = layout.parameterCount(), A = m_structure.auxiliaryCount();
  const Index L = m_likelihood->parameterCount(), H = m_prior->hyperparameterCount();
  const Index layers = layout.layerCount();
  const Index S = std::max(1, input.mcSamples);
  const Real beta = static_cast<Real>(input.klWeight);
  const double dataScale =
      static_cast<double>(input.datasetSize) / static_cast<double>(input.batch->size());
  const Real* mu = params.data();
  const Real* logSigma = mu + P;
  const Real* auxiliary = mu + 2 * P;
  const Real* phi = auxiliary + A;
  const Real* psi = phi + L;
  Real* g = gradient ? gradient->data() : nullptr;
  Real* dMu = g;
  Real* dLogSigma = g ? g + P : nullptr;
  Real* dAuxiliary = g ? g + 2 * P : nullptr;
  Real* dPhi = g ? g + 2 * P + A : nullptr;
  if (g) gradient->tail(L + H).setZero();
  if (g && m_fixedMultipliers) gradient->segment(2 * P, A).setZero();

  // sigma and sigma^2 by parameter blocks.
  const Index blocks = parameterBlocks(P);
  parallelFor(input.threads, blocks, [&](Index b) {
    const Range r = partRange(P, blocks, b);
    ArrayMap sigma(m_sigma.data() + r.begin, r.size);
    sigma = ConstArrayMap(logSigma + r.begin, r.size).exp();
    ArrayMap(m_variance.data() + r.begin, r.size) = sigma.square();
  });

  MnfKernel::Arguments args;
  args.batch = input.batch;
  args.samples = S;
  args.mu = mu;
  args.variance = m_variance.data();
  args.auxiliary = auxiliary;
  args.phi = phi;
  args.gradientScale = static_cast<Real>(-dataScale / static_cast<double>(S));
  args.dMu = dMu;
  args.dLogSigma = dLogSigma;
  args.dAuxiliary = dAuxiliary;
  args.rng = input.rng;
  args.fixedMultipliers = m_fixedMultipliers;
  m_kernel.begin(args);
  parallelFor(input.threads, m_kernel.preparationCount(),
              [&](Index i) { m_kernel.runPreparation(i, args); });

  // The data term's units beside each layer's draw of z_T and r(z_T | W).
  const RandomStream boundRng = input.rng.derive(kBoundStream);
  parallelFor(input.threads, m_kernel.unitCount() + layers, [&](Index u) {
    if (u < m_kernel.unitCount())
      m_kernel.runUnit(u, args);
    else
      drawBound(u - m_kernel.unitCount(), mu, auxiliary, beta, dAuxiliary, boundRng);
  });
  // The data term's gradient products (they write the gradients the KL adds to).
  if (g)
    parallelFor(input.threads, m_kernel.jobCount(), [&](Index j) { m_kernel.runJob(j, args); });

  // KL(q(W | z_T) || p(W)), KL of the biases and r's c^T W, by blocks of input columns.
  const RandomStream weightKlRng = input.rng.derive(kWeightKlStream);
  const auto units = static_cast<Index>(m_klUnits.size());
  m_unitHyperGradient.setZero(H, units);
  parallelFor(input.threads, units, [&](Index u) {
    KlUnit& unit = m_klUnits[static_cast<size_t>(u)];
    const LayerShape& s = layout.layer(unit.layer);
    const MnfLayerBlock& block = m_structure.layer(unit.layer);
    LayerBound& bound = m_bounds[static_cast<size_t>(unit.layer)];
    const Index O = s.outputs, i0 = unit.columnBegin, n = unit.columnCount;
    const Index offset = s.weightOffset + i0 * O;
    RandomStream mc = weightKlRng.derive(static_cast<std::uint64_t>(u));
    PriorContext context;
    context.offset = offset;
    context.hyperparameters = psi;
    context.hyperGradient = H > 0 ? m_unitHyperGradient.col(u).data() : nullptr;
    // Both terms that see W only through q(W | z): r's c^T W writes its
    // gradient with respect to (M, sigma), the KL adds its own, one chain rule.
    Real* dMean = g ? unit.dMean.data() : nullptr;
    Real* dSigma = g ? unit.dSigma.data() : nullptr;
    if (g && !m_fixedMultipliers) {
      block.auxiliary.conditionalGradient(
          auxiliary + block.auxiliaryOffset, mu + s.weightOffset, m_sigma.data() + s.weightOffset,
          bound.z.data(), i0, n, bound.r, dMean, dSigma, dAuxiliary + block.auxiliaryOffset);
    } else if (g) {
      unit.dMean.setZero();
      unit.dSigma.setZero();
    }
    unit.value = unit.kl.evaluate(*m_prior, O, n, mu + offset, m_sigma.data() + offset,
                                  bound.z.data() + i0, beta, dMean, dSigma, context, mc);
    if (g)
      chainConditionalGradient(O, n, mu + offset, m_sigma.data() + offset, bound.z.data() + i0,
                               dMean, dSigma, dMu + offset, dLogSigma + offset,
                               bound.dz.data() + i0);
    if (i0 != 0) return;
    // The biases: mean-field (z = 1).
    context.offset = s.biasOffset;
    if (g) {
      unit.dMean.head(O).setZero();
      unit.dSigma.head(O).setZero();
    }
    unit.value += unit.kl.evaluate(*m_prior, O, 1, mu + s.biasOffset, m_sigma.data() + s.biasOffset,
                                   nullptr, beta, dMean, dSigma, context, mc);
    if (g)
      chainConditionalGradient(O, 1, mu + s.biasOffset, m_sigma.data() + s.biasOffset, nullptr,
                               dMean, dSigma, dMu + s.biasOffset, dLogSigma + s.biasOffset,
                               nullptr);
  });
  // Back through q(z) from each layer's z_T.
  if (g)
    parallelFor(input.threads, layers,
                [&](Index l) { finishBound(l, auxiliary, beta, dAuxiliary); });

  double klWeights = 0.0, logQ = 0.0, logR = 0.0;
  for (const KlUnit& unit : m_klUnits) klWeights += unit.value;
  for (const LayerBound& bound : m_bounds) {
    logQ += bound.logQ;
    logR -= bound.negativeLogR;
  }
  if (g) {
    m_kernel.addLikelihoodGradient(dPhi);
    if (H > 0) gradient->tail(H) = m_unitHyperGradient.rowwise().sum();
  }
  const double kl = klWeights - logR + logQ;
  stats.expectedLogLikelihood = dataScale * m_kernel.logLikelihood() / static_cast<double>(S);
  stats.kl = kl;
  stats.elbo = stats.expectedLogLikelihood - kl;
  for (Index k = 0; k < H; ++k)
    stats.addExtra(m_prior->hyperparameterName(k), m_prior->hyperparameterValue(k, psi));
  stats.addExtra("kl_weights", klWeights);
  stats.addExtra("log_r_z", logR);
  stats.addExtra("log_q_z", logQ);
  return -(stats.expectedLogLikelihood - static_cast<double>(beta) * kl);
}

std::shared_ptr<const Posterior> MnfMethod::posterior() const {
  const Vector& params = parameters();
  const MlpLayout& layout = m_structure.layout();
  const Index P = layout.parameterCount(), A = m_structure.auxiliaryCount();
  const Index L = m_likelihood->parameterCount();
  Vector sigma = params.segment(P, P).array().exp().matrix();
  std::vector<Vector> noise;
  for (Index l = 0; l < layout.layerCount(); ++l) {
    const MnfLayerBlock& block = m_structure.layer(l);
    noise.emplace_back(params.segment(2 * P + block.noiseOffset, block.noise.parameterCount()));
  }
  auto posterior = std::make_shared<MnfPosterior>(m_network, params.segment(2 * P + A, L),
                                                  m_structure, params.head(P), std::move(sigma),
                                                  std::move(noise), m_fixedMultipliers);
  if (m_prior->hyperparameterCount() > 0)
    posterior->setLearnedPrior(m_prior->withHyperparameters(params.data() + 2 * P + A + L));
  return posterior;
}

MethodDescriptor mnfMethodDescriptor() {
  MethodDescriptor d;
  d.id = "mnf";
  d.displayName = "Multiplicative normalising flows";
  d.summary =
      "Gaussian weights times a flow-distributed noise per input unit: a richer q(W) than "
      "mean field, still trained with local reparameterisation.";
  d.explanation =
      "Each weight is Gaussian given a multiplier z<sub>i</sub> shared by all weights leaving "
      "input unit i: W<sub>ji</sub> ~ N(z<sub>i</sub>&mu;<sub>ji</sub>, "
      "&sigma;<sub>ji</sub>&sup2;). The multipliers z of a layer are drawn from a normalising "
      "flow: a diagonal Gaussian pushed through masked RealNVP coupling steps (planar steps "
      "for a layer with one input). Integrating z out makes q(W) a continuous mixture of "
      "mean-field Gaussians, so the weights of one input become correlated and their "
      "marginals can be skewed or heavy-tailed, which a mean-field Gaussian cannot represent. "
      "Because z only rescales the layer's input (a&middot;z), pre-activations are still "
      "drawn by local reparameterisation, with z drawn per example. The entropy of q(W) has "
      "no closed form, so the bound uses an auxiliary model r(z | W), a Gaussian after its "
      "own flow whose mean and log precision depend on W through tanh(c<sup>T</sup>W); this "
      "makes the bound computable but looser than the true ELBO by "
      "E KL(q(z | W) || r(z | W)), and learning r tightens it. The kl column is that bound's "
      "KL-like part summed over layers; biases are mean-field. The weight views show the "
      "marginal moments E[W] = E[z]&mu; and Var[W] = Var[z]&mu;&sup2; + &sigma;&sup2;. "
      "Details left open by the paper, chosen as in its authors' code: each draw of z (per "
      "example, per bound, per function) gets fresh coupling masks, so the bound holds given "
      "the masks; log q(z) uses the base Gaussian's expected log density minus the flow's log "
      "determinant; r's flow maps z forward and its density follows by change of variables; "
      "the bound uses one draw of z per layer and step.";
  d.objective =
      "ELBO<sub>aux</sub> = (N/B) &Sigma;<sub>i&isin;batch</sub> E[log p(y<sub>i</sub> | "
      "x<sub>i</sub>, W)] &minus; &beta; &Sigma;<sub>layers</sub> "
      "E<sub>q(z)q(W|z)</sub>[KL(q(W | z) || p(W)) &minus; log r(z | W) + log q(z)], "
      "&nbsp; q(W | z) = &prod; N(z<sub>i</sub>&mu;<sub>ji</sub>, &sigma;<sub>ji</sub>&sup2;)";
  d.reference =
      "Louizos & Welling (2017), Multiplicative Normalizing Flows for Variational Bayesian "
      "Neural Networks";
  d.klLabel = "KL(q(W|z) || p) \u2212 log r(z|W) + log q(z)";
  d.options = {
      OptionSpec::integer("flow_length", "Flow length K",
                          "Flow steps of q(z), and of r(z | W). 0: z is a diagonal Gaussian "
                          "(Gaussian multiplicative noise with learned rates). Each step makes "
                          "q(W) more flexible and costs about 6 H d_in multiply-adds per "
                          "example and layer.",
                          2, 0, 10),
      OptionSpec::integer("flow_hidden", "Flow hidden units H",
                          "Hidden units of each coupling step of q(z); r's steps have twice as "
                          "many. More: a more flexible flow and about 9 H d_in more parameters "
                          "per layer and step.",
                          50, 1, 1000),
      OptionSpec::real("init_log_sigma", "Initial log \u03c3",
                       "Initial log \u03c3 of every weight and bias given z. -5 gives \u03c3 "
                       "\u2248 0.0067, a start near a point estimate (as the mean-field "
                       "methods' default); the KL then widens q where the data allow.",
                       -5.0, -12.0, 1.0),
  };
  d.create = [](const Problem& p) -> std::unique_ptr<InferenceMethod> {
    return std::make_unique<MnfMethod>(p);
  };
  d.parameterFormula =
      "2 \u03a3 (d_in d_out + d_out) + \u03a3 [5 d_in + K (9 H d_in + 3 H + 4 d_in)] "
      "(a layer with d_in = 1: planar steps, 5 + 6 K)";
  d.formulaParameterCount = [](const MlpLayout& layout, const OptionValues& o) {
    const Index K = o.integer("flow_length"), H = o.integer("flow_hidden");
    Index total = 0;
    for (const LayerShape& s : layout.layers()) {
      const Index d = s.inputs;
      total += 2 * (d * s.outputs + s.outputs) + 5 * d;
      total += d == 1 ? 6 * K : K * (9 * H * d + 3 * H + 4 * d);
    }
    return total;
  };
  return d;
}

BAYESLAB_END_NAMESPACE
