#include "engine/methods/mnf/mnf_posterior.h"

#include "engine/core/gemm.h"
#include "engine/core/parallel.h"
#include "engine/model/activation.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
// As MeanFieldPosterior: what a standard normal costs in multiply-adds.
constexpr double kMnfNormalCost = 100.0;
// Draws per batch when estimating the moments of z.
constexpr Index kMomentBatch = 128;
constexpr std::uint64_t kMnfMomentSeed = 0x6d6e66;  // "mnf"
}  // namespace

MnfPosterior::MnfPosterior(MlpKernel kernel, Vector likelihoodParameters, MnfStructure structure,
                           Vector mean, Vector std, std::vector<Vector> noise,
                           bool fixedMultipliers)
    : Posterior(std::move(kernel), std::move(likelihoodParameters)),
      m_structure(std::move(structure)),
      m_mean(std::move(mean)),
      m_std(std::move(std)),
      m_noise(std::move(noise)),
      m_fixedMultipliers(fixedMultipliers) {}

void MnfPosterior::sampleMultipliers(Index l, RandomStream& stream, Eigen::Ref<Matrix> z) const {
  if (m_fixedMultipliers) {
    z.setOnes();
    return;
  }
  const MultiplierDistribution& q = m_structure.layer(l).noise;
  MultiplierDistribution::Tape tape;
  tape.resize(q, z.cols());
  NormalisingFlow::Scratch scratch;
  scratch.resize(q.flow(), z.cols());
  q.draw(m_noise[static_cast<size_t>(l)].data(), z, tape, 0, stream, nullptr, scratch);
}

void MnfPosterior::sampleWeights(const RandomStream& rng, Index s, Real* weights) const {
  const MlpLayout& shape = layout();
  RandomStream stream = rng.derive(static_cast<std::uint64_t>(s));
  const Index P = m_mean.size();
  stream.fillNormal(weights, P);
  ArrayMap w(weights, P);
  w *= m_std.array();
  Matrix z;
  for (Index l = 0; l < shape.layerCount(); ++l) {
    const LayerShape& ls = shape.layer(l);
    z.resize(ls.inputs, 1);
    sampleMultipliers(l, stream, z);
    for (Index i = 0; i < ls.inputs; ++i) {
      const Index offset = ls.weightOffset + i * ls.outputs;
      ArrayMap(weights + offset, ls.outputs) +=
          z(i, 0) * m_mean.array().segment(offset, ls.outputs);
    }
    ArrayMap(weights + ls.biasOffset, ls.outputs) +=
        m_mean.array().segment(ls.biasOffset, ls.outputs);
  }
}

void MnfPosterior::sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                 const RandomStream& rng, int threads,
                                 std::vector<Matrix>& out) const {
  sampleWeightFunctions(
      x, samples, threads, [&](Index s, Real* w) { sampleWeights(rng, s, w); }, out);
}

void MnfPosterior::sampleMarginalOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                         const RandomStream& rng, int threads,
                                         std::vector<Matrix>& out) const {
  const MlpLayout& shape = layout();
  const Index L = shape.layerCount(), M = x.cols(), S = samples;
  // Multiply-adds (normals weighted by kMnfNormalCost) of the two ways, for all draws.
  double products = 0.0, flowPerDraw = 0.0, units = 0.0, inputs = 0.0;
  for (Index l = 0; l < L; ++l) {
    const LayerShape& s = shape.layer(l);
    const NormalisingFlow& flow = m_structure.layer(l).noise.flow();
    products += static_cast<double>(s.inputs * s.outputs);
    units += static_cast<double>(s.outputs);
    inputs += static_cast<double>(s.inputs);
    if (!m_fixedMultipliers) flowPerDraw += static_cast<double>(flow.parameterCount());
  }
  const double md = static_cast<double>(M), sd = static_cast<double>(S);
  const double weightCost =
      sd * (md * products + kMnfNormalCost * static_cast<double>(m_mean.size()) + flowPerDraw);
  const double localCost =
      sd * md * (2.0 * products + flowPerDraw + kMnfNormalCost * (units + inputs));
  if (localCost >= weightCost) {
    sampleOutputs(x, samples, rng, threads, out);
    return;
  }

  const Vector variance = m_std.array().square().matrix();
  const Index chunks = unitCount(M, kSweepColumns, 64);
  out.resize(static_cast<size_t>(S));
  for (Matrix& o : out) o.resize(shape.outputDim(), M);
  parallelFor(threads, S * chunks, [&](Index u) {
    const Index s = u / chunks, c = u % chunks;
    const Range cols = partRange(M, chunks, c);
    const Index n = cols.size;
    RandomStream stream =
        rng.derive(static_cast<std::uint64_t>(s)).derive(static_cast<std::uint64_t>(c));
    Matrix a = x.middleCols(cols.begin, n), z, b, v, noise;
    for (Index l = 0; l < L; ++l) {
      const LayerShape& ls = shape.layer(l);
      const ConstMatrixMap muW(m_mean.data() + ls.weightOffset, ls.outputs, ls.inputs);
      const ConstMatrixMap varW(variance.data() + ls.weightOffset, ls.outputs, ls.inputs);
      z.resize(ls.inputs, n);
      sampleMultipliers(l, stream, z);
      b.resize(ls.outputs, n);
      v.resize(ls.outputs, n);
      const Matrix scaled = a.cwiseProduct(z);
      gemm(muW, Op::None, scaled, Op::None, b);
      const Matrix squared = a.array().square().matrix();
      gemm(varW, Op::None, squared, Op::None, v);
      b.colwise() += m_mean.segment(ls.biasOffset, ls.outputs);
      v.colwise() += variance.segment(ls.biasOffset, ls.outputs);
      noise.resize(ls.outputs, n);
      stream.fillNormal(noise.data(), noise.size());
      b.array() += v.array().sqrt() * noise.array();
      if (l + 1 < L) applyActivation(kernel().activation(), b);
      a.swap(b);
    }
    out[static_cast<size_t>(s)].middleCols(cols.begin, n) = a;
  });
}

void MnfPosterior::computeMoments() const {
  std::call_once(m_momentsOnce, [this] {
    const MlpLayout& shape = layout();
    const Index L = shape.layerCount();
    m_zMean.resize(static_cast<size_t>(L));
    m_zVariance.resize(static_cast<size_t>(L));
    const RandomStream root(kMnfMomentSeed);
    Matrix z;
    for (Index l = 0; l < L; ++l) {
      const Index D = shape.layer(l).inputs;
      Eigen::VectorXd sum = Eigen::VectorXd::Zero(D), sumSquares = Eigen::VectorXd::Zero(D);
      z.resize(D, kMomentBatch);
      for (Index batch = 0; batch < kMomentDraws / kMomentBatch; ++batch) {
        RandomStream stream =
            root.derive(static_cast<std::uint64_t>(l)).derive(static_cast<std::uint64_t>(batch));
        sampleMultipliers(l, stream, z);
        const Eigen::MatrixXd zd = z.cast<double>();
        sum += zd.rowwise().sum();
        sumSquares += zd.array().square().matrix().rowwise().sum();
      }
      const double n = static_cast<double>(kMomentDraws);
      const Eigen::VectorXd mean = sum / n;
      const Eigen::VectorXd var =
          ((sumSquares / n).array() - mean.array().square()).max(0.0).matrix() * (n / (n - 1));
      m_zMean[static_cast<size_t>(l)] = mean.cast<Real>();
      m_zVariance[static_cast<size_t>(l)] =
          m_fixedMultipliers ? Vector::Zero(D) : Vector(var.cast<Real>());
    }
    m_flatMean = m_mean;
    Eigen::ArrayXd variance = m_std.cast<double>().array().square();
    for (Index l = 0; l < L; ++l) {
      const LayerShape& ls = shape.layer(l);
      const Vector& ez = m_zMean[static_cast<size_t>(l)];
      const Vector& vz = m_zVariance[static_cast<size_t>(l)];
      for (Index i = 0; i < ls.inputs; ++i) {
        const Index offset = ls.weightOffset + i * ls.outputs;
        const auto mu = m_mean.segment(offset, ls.outputs).cast<double>().array();
        m_flatMean.segment(offset, ls.outputs) *= ez(i);
        variance.segment(offset, ls.outputs) += static_cast<double>(vz(i)) * mu.square();
      }
    }
    m_flatStd = variance.sqrt().cast<Real>().matrix();
  });
}

const Vector& MnfPosterior::multiplierMean(Index l) const {
  computeMoments();
  return m_zMean[static_cast<size_t>(l)];
}

const Vector& MnfPosterior::multiplierVariance(Index l) const {
  computeMoments();
  return m_zVariance[static_cast<size_t>(l)];
}

Vector MnfPosterior::flatMean() const {
  computeMoments();
  return m_flatMean;
}

Vector MnfPosterior::flatStd() const {
  computeMoments();
  return m_flatStd;
}

PosteriorSummary MnfPosterior::summary() const {
  computeMoments();
  return summaryFromFlat(layout(), PosteriorKind::Gaussian, m_flatMean, m_flatStd);
}

BAYESLAB_END_NAMESPACE
