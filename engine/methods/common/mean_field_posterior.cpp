#include "engine/methods/common/mean_field_posterior.h"

#include "engine/core/gemm.h"
#include "engine/core/parallel.h"
#include "engine/model/activation.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

// A standard normal costs about as much as this many multiply-adds.
constexpr double kMeanFieldNormalCost = 100.0;

}  // namespace

MeanFieldPosterior::MeanFieldPosterior(MlpKernel kernel, Vector likelihoodParameters, Vector mean,
                                       Vector std)
    : Posterior(std::move(kernel), std::move(likelihoodParameters)),
      m_mean(std::move(mean)),
      m_std(std::move(std)) {}

void MeanFieldPosterior::sampleWeights(const RandomStream& rng, Index s, Real* weights) const {
  const Index P = m_mean.size();
  RandomStream stream = rng.derive(static_cast<std::uint64_t>(s));
  stream.fillNormal(weights, P);
  ArrayMap w(weights, P);
  w = m_mean.array() + m_std.array() * w;
}

void MeanFieldPosterior::sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                       const RandomStream& rng, int threads,
                                       std::vector<Matrix>& out) const {
  sampleWeightFunctions(
      x, samples, threads, [&](Index s, Real* w) { sampleWeights(rng, s, w); }, out);
}

void MeanFieldPosterior::sampleMarginalOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                               const RandomStream& rng, int threads,
                                               std::vector<Matrix>& out) const {
  const MlpLayout& shape = layout();
  const Index L = shape.layerCount(), M = x.cols(), S = samples;
  // Multiply-adds and normals of the two ways, for all draws.
  double perInputProducts = 0.0, outputsAfterFirst = 0.0, units = 0.0;
  for (Index l = 0; l < L; ++l) {
    const LayerShape& s = shape.layer(l);
    perInputProducts += static_cast<double>(s.inputs * s.outputs);
    units += static_cast<double>(s.outputs);
    if (l > 0) outputsAfterFirst += static_cast<double>(s.inputs * s.outputs);
  }
  const double md = static_cast<double>(M), sd = static_cast<double>(S);
  const double weightCost =
      sd * (md * perInputProducts + kMeanFieldNormalCost * static_cast<double>(m_mean.size()));
  const double firstLayer = static_cast<double>(shape.layer(0).inputs * shape.layer(0).outputs);
  const double localCost =
      2.0 * md * firstLayer + sd * md * (2.0 * outputsAfterFirst + kMeanFieldNormalCost * units);
  if (localCost >= weightCost) {
    sampleOutputs(x, samples, rng, threads, out);
    return;
  }

  const Vector variance = m_std.array().square().matrix();
  const Index chunks = unitCount(M, kSweepColumns, 64);
  out.resize(static_cast<size_t>(S));
  for (Matrix& o : out) o.resize(shape.outputDim(), M);

  // The first layer's mean and variance depend on the inputs only.
  const LayerShape& first = shape.layer(0);
  Matrix firstMean(first.outputs, M), firstVariance(first.outputs, M);
  parallelFor(threads, chunks, [&](Index c) {
    const Range cols = partRange(M, chunks, c);
    const auto xc = x.middleCols(cols.begin, cols.size);
    const ConstMatrixMap muW(m_mean.data() + first.weightOffset, first.outputs, first.inputs);
    const ConstMatrixMap varW(variance.data() + first.weightOffset, first.outputs, first.inputs);
    auto mean = firstMean.middleCols(cols.begin, cols.size);
    auto var = firstVariance.middleCols(cols.begin, cols.size);
    gemm(muW, Op::None, xc, Op::None, mean);
    mean.colwise() += m_mean.segment(first.biasOffset, first.outputs);
    const Matrix xSquared = xc.array().square().matrix();
    gemm(varW, Op::None, xSquared, Op::None, var);
    var.colwise() += variance.segment(first.biasOffset, first.outputs);
  });

  parallelFor(threads, S * chunks, [&](Index u) {
    const Index s = u / chunks, c = u % chunks;
    const Range cols = partRange(M, chunks, c);
    RandomStream stream =
        rng.derive(static_cast<std::uint64_t>(s)).derive(static_cast<std::uint64_t>(c));
    Matrix a, z, mean, var, aSquared;
    z = firstVariance.middleCols(cols.begin, cols.size);
    a.resize(z.rows(), z.cols());
    stream.fillNormal(a.data(), a.size());
    z = firstMean.middleCols(cols.begin, cols.size).array() + z.array().sqrt() * a.array();
    for (Index l = 1; l < L; ++l) {
      applyActivation(kernel().activation(), z);
      a.swap(z);
      const LayerShape& ls = shape.layer(l);
      const ConstMatrixMap muW(m_mean.data() + ls.weightOffset, ls.outputs, ls.inputs);
      const ConstMatrixMap varW(variance.data() + ls.weightOffset, ls.outputs, ls.inputs);
      mean.resize(ls.outputs, cols.size);
      var.resize(ls.outputs, cols.size);
      gemm(muW, Op::None, a, Op::None, mean);
      mean.colwise() += m_mean.segment(ls.biasOffset, ls.outputs);
      aSquared = a.array().square().matrix();
      gemm(varW, Op::None, aSquared, Op::None, var);
      var.colwise() += variance.segment(ls.biasOffset, ls.outputs);
      z.resize(ls.outputs, cols.size);
      stream.fillNormal(z.data(), z.size());
      z = mean.array() + var.array().sqrt() * z.array();
    }
    out[static_cast<size_t>(s)].middleCols(cols.begin, cols.size) = z;
  });
}

PosteriorSummary MeanFieldPosterior::summary() const {
  return summaryFromFlat(layout(), PosteriorKind::Gaussian, m_mean, m_std);
}

BAYESLAB_END_NAMESPACE
