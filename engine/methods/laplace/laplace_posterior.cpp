#include "engine/methods/laplace/laplace_posterior.h"

#include <cmath>
#include <numbers>

#include "engine/core/parallel.h"
#include "engine/likelihood/likelihood.h"
#include "engine/methods/laplace/linearised_network.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
constexpr Index kFunctionalChunkColumns = 128;  // inputs per unit of the functional-variance pass
}

LaplacePosterior::LaplacePosterior(MlpKernel kernel, Vector likelihoodParameters, Vector mode,
                                   std::shared_ptr<const LaplaceCovariance> covariance,
                                   LaplacePredictive predictive, LaplaceEvidenceSummary evidence)
    : Posterior(std::move(kernel), std::move(likelihoodParameters)),
      m_mode(std::move(mode)),
      m_covariance(std::move(covariance)),
      m_predictive(predictive),
      m_evidence(evidence) {
  m_std = m_covariance->marginalVariance().cwiseSqrt().cast<Real>();
}

void LaplacePosterior::sampleDeviation(const RandomStream& rng, Index s, Real* eps) const {
  RandomStream draw = rng.derive(static_cast<std::uint64_t>(s));
  m_covariance->sample(draw, eps);
}

void LaplacePosterior::sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                     const RandomStream& rng, int threads,
                                     std::vector<Matrix>& out) const {
  out.resize(static_cast<size_t>(samples));
  const Index P = m_mode.size();
  if (m_predictive == LaplacePredictive::MonteCarlo) {
    parallelFor(threads, samples, [&](Index s) {
      Vector w(P);
      sampleDeviation(rng, s, w.data());
      w += m_mode;
      MlpWorkspace ws;
      out[static_cast<size_t>(s)] = kernel().forward(w.data(), x, ws);
    });
    return;
  }
  MlpWorkspace modeWs;  // forward pass at w*, shared read-only by the draws
  const Matrix mean = kernel().forward(m_mode.data(), x, modeWs);
  parallelFor(threads, samples, [&](Index s) {
    Vector eps(P);
    sampleDeviation(rng, s, eps.data());
    Matrix& f = out[static_cast<size_t>(s)];
    jacobianVectorProduct(kernel(), m_mode.data(), x, modeWs, eps.data(), f);
    f += mean;
  });
}

void LaplacePosterior::linearisedMoments(const Eigen::Ref<const Matrix>& x, int threads,
                                         Matrix& mean, Matrix& variance) const {
  const Index K = layout().outputDim(), M = x.cols();
  mean.resize(K, M);
  variance.resize(K, M);
  const Index chunks =
      std::max<Index>(1, (M + kFunctionalChunkColumns - 1) / kFunctionalChunkColumns);
  parallelFor(threads, chunks, [&](Index chunk) {
    const Range r = partRange(M, chunks, chunk);
    const auto xc = x.middleCols(r.begin, r.size);
    MlpWorkspace ws;
    mean.middleCols(r.begin, r.size) = kernel().forward(m_mode.data(), xc, ws);
    // Seed e_k for every output k of every input: column n K + k.
    Eigen::MatrixXd seeds = Eigen::MatrixXd::Zero(K, r.size * K);
    for (Index n = 0; n < r.size; ++n) seeds.middleCols(n * K, K).setIdentity();
    std::vector<LayerFactors> factors;
    pullBackSeeds(kernel(), m_mode.data(), xc, ws, seeds, K, factors);
    const Eigen::VectorXd v = m_covariance->functionalVariance(factors);
    variance.middleCols(r.begin, r.size) =
        Eigen::Map<const Eigen::MatrixXd>(v.data(), K, r.size).cast<Real>();
  });
}

bool LaplacePosterior::classProbabilities(const Eigen::Ref<const Matrix>& x,
                                          const Likelihood& likelihood, int threads,
                                          Matrix& out) const {
  if (m_predictive != LaplacePredictive::Linearised || likelihood.task() != Task::Classification)
    return false;
  Matrix mean, variance;
  linearisedMoments(x, threads, mean, variance);
  const Matrix scaled =
      mean.array() / (Real(1) + Real(std::numbers::pi / 8) * variance.array()).sqrt();
  likelihood.predictiveMean(scaled, out);
  return true;
}

PosteriorSummary LaplacePosterior::summary() const {
  return summaryFromFlat(layout(), PosteriorKind::Gaussian, m_mode, m_std);
}

BAYESLAB_END_NAMESPACE
