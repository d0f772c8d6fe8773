#include "engine/methods/inducing/inducing_posterior.h"

#include "engine/core/parallel.h"
#include "engine/methods/common/softplus.h"
#include "engine/methods/inducing/inducing_estimator.h"
#include "engine/model/activation.h"

BAYESLAB_BEGIN_NAMESPACE

InducingPosterior::InducingPosterior(MlpKernel kernel, Vector likelihoodParameters,
                                     InducingLayout layout, Vector params, Real priorScale)
    : Posterior(std::move(kernel), std::move(likelihoodParameters)),
      m_layout(std::move(layout)),
      m_params(std::move(params)),
      m_scale(priorScale) {
  const auto L = m_layout.layers.size();
  m_factors.resize(L);
  m_constants.resize(L);
  for (size_t l = 0; l < L; ++l) {
    m_factors[l].compute(m_layout.layers[l], m_params.data(), true);
    m_constants[l].prepare(m_layout.layers[l], m_factors[l], m_params.data(), m_scale);
  }
  computeMoments();
}

void InducingPosterior::computeMoments() {
  const MlpLayout& net = layout();
  m_mean.resize(net.parameterCount());
  m_std.resize(net.parameterCount());
  for (size_t l = 0; l < m_layout.layers.size(); ++l) {
    const InducingLayerShape& s = m_layout.layers[l];
    const InducingFactors& f = m_factors[l];
    const Index M = s.rows, N = s.cols, O = s.outputs, d = s.columns();
    const ConstMatrixMap zr(m_params.data() + s.zr(), M, O), zc(m_params.data() + s.zc(), N, d);
    const Matrix br = f.ar * f.row.l;              // d_out x M
    const Matrix bc = f.col.l.transpose() * f.ac;  // N x d
    Matrix mean, variance;
    if (s.ensemble()) {
      Matrix sum = Matrix::Zero(O, d), sumSquares = Matrix::Zero(O, d);
      for (Index k = 0; k < s.members; ++k) {
        const Matrix w = br * ConstMatrixMap(m_params.data() + s.member(k), M, N) * bc;
        sum += w;
        sumSquares += w.array().square().matrix();
      }
      const Real K = static_cast<Real>(s.members);
      mean = sum / K;
      variance = (sumSquares / K - mean.array().square().matrix()).cwiseMax(Real(0));
    } else {
      mean = br * ConstMatrixMap(m_params.data() + s.mean(), M, N) * bc;
      Matrix sigmaSquared(M, N), unused(M, N);
      softplusWithDerivative(m_params.data() + s.rhoV(), M * N, sigmaSquared.data(), unused.data());
      sigmaSquared = sigmaSquared.array().square().matrix();
      variance = br.array().square().matrix() * sigmaSquared * bc.array().square().matrix();
    }
    // Conditional variance of p(W~ | U): 1 - (P_r)_ii (P_c)_jj.
    const Vector pr = (f.ar.array() * zr.transpose().array()).rowwise().sum().matrix();
    const RowVector pc = (zc.array() * f.ac.array()).colwise().sum().matrix();
    const Matrix conditional = (Real(1) - (pr * pc).array()).cwiseMax(Real(0)).matrix();
    variance += (f.lambda * f.lambda) * conditional;
    const LayerShape& ls = net.layer(static_cast<Index>(l));
    MatrixMap(m_mean.data() + ls.weightOffset, O, d) = m_scale * mean;
    MatrixMap(m_std.data() + ls.weightOffset, O, d) = m_scale * variance.array().sqrt().matrix();
  }
}

void InducingPosterior::sampleWeights(const RandomStream& rng, Index s, Real* weights,
                                      const std::vector<bool>* only) const {
  const RandomStream stream = rng.derive(static_cast<std::uint64_t>(s));
  MatheronSampler sampler;
  Matrix v, eps;
  for (size_t l = 0; l < m_layout.layers.size(); ++l) {
    if (only && !(*only)[l]) continue;
    const InducingLayerShape& shape = m_layout.layers[l];
    const RandomStream layerStream = stream.derive(static_cast<std::uint64_t>(l));
    if (shape.ensemble()) {
      v = ConstMatrixMap(m_params.data() + shape.member(s % shape.members), shape.rows, shape.cols);
    } else {
      eps.resize(shape.rows, shape.cols);
      layerStream.derive(kInducingStream).fillNormal(eps);
      Matrix sigma(shape.rows, shape.cols), unused(shape.rows, shape.cols);
      softplusWithDerivative(m_params.data() + shape.rhoV(), shape.inducingCount(), sigma.data(),
                             unused.data());
      v = ConstMatrixMap(m_params.data() + shape.mean(), shape.rows, shape.cols).array() +
          sigma.array() * eps.array();
    }
    sampler.resize(shape);
    sampler.draw(m_factors[l], m_params.data(), v, m_scale, layerStream,
                 weights + layout().layer(static_cast<Index>(l)).weightOffset);
  }
}

void InducingPosterior::sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                      const RandomStream& rng, int threads,
                                      std::vector<Matrix>& out) const {
  sampleWeightFunctions(
      x, samples, threads, [&](Index s, Real* w) { sampleWeights(rng, s, w); }, out);
}

void InducingPosterior::sampleMarginalOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                              const RandomStream& rng, int threads,
                                              std::vector<Matrix>& out) const {
  const MlpLayout& net = layout();
  const Index L = net.layerCount(), M = x.cols(), S = samples;
  const Index chunks = unitCount(M, kSweepColumns, 64);
  const Index chunkColumns = partRange(M, chunks, 0).size;
  std::vector<bool> weightLayer(static_cast<size_t>(L));
  bool anyWeight = false;
  for (Index l = 0; l < L; ++l) {
    const auto k = static_cast<size_t>(l);
    weightLayer[k] = !functionSpaceIsCheaper(m_layout.layers[k], chunkColumns, l == 0, false);
    anyWeight = anyWeight || weightLayer[k];
  }
  out.resize(static_cast<size_t>(S));
  for (Matrix& o : out) o.resize(net.outputDim(), M);
  Matrix weights;
  if (anyWeight) {
    weights.resize(net.parameterCount(), S);
    parallelFor(threads, S,
                [&](Index s) { sampleWeights(rng, s, weights.col(s).data(), &weightLayer); });
  }
  const RandomStream perInput = rng.derive(std::string_view("marginal"));
  parallelFor(threads, S * chunks, [&](Index u) {
    const Index s = u / chunks, c = u % chunks;
    const Range cols = partRange(M, chunks, c);
    RandomStream stream =
        perInput.derive(static_cast<std::uint64_t>(s)).derive(static_cast<std::uint64_t>(c));
    Matrix a = x.middleCols(cols.begin, cols.size), z;
    FunctionSpaceSampler sampler;
    for (Index l = 0; l < L; ++l) {
      const auto k = static_cast<size_t>(l);
      const InducingLayerShape& shape = m_layout.layers[k];
      z.resize(shape.outputs, cols.size);
      if (weightLayer[k]) {
        const LayerShape& ls = net.layer(l);
        const Real* w = weights.col(s).data();
        z.noalias() = ConstMatrixMap(w + ls.weightOffset, ls.outputs, ls.inputs) * a;
        z.colwise() += ConstVectorMap(w + ls.biasOffset, ls.outputs);
      } else {
        sampler.resize(shape, cols.size);
        const Index member = shape.ensemble() ? s % shape.members : 0;
        sampler.forward(m_constants[k], member, a, 0, stream, z);
      }
      if (l + 1 < L) applyActivation(kernel().activation(), z);
      a.swap(z);
    }
    out[static_cast<size_t>(s)].middleCols(cols.begin, cols.size) = a;
  });
}

PosteriorSummary InducingPosterior::summary() const {
  return summaryFromFlat(layout(), PosteriorKind::Gaussian, m_mean, m_std);
}

BAYESLAB_END_NAMESPACE
