#include "engine/methods/sivi/k_sample_bounds.h"

#include <algorithm>
#include <cmath>

BAYESLAB_BEGIN_NAMESPACE

KSampleLogDensity kSampleLogDensity(const double* a, Index K, double* responsibilities) {
  // Log-sum-exp about the largest term; the densities of a few thousand
  // weights differ by hundreds of nats between draws.
  double top = a[0];
  for (Index k = 1; k <= K; ++k) top = std::max(top, a[k]);
  double others = 0.0;
  for (Index k = 1; k <= K; ++k) others += std::exp(a[k] - top);
  const double own = std::exp(a[0] - top);
  const double all = own + others;
  KSampleLogDensity result;
  result.withOwn = top + std::log(all) - std::log(static_cast<double>(K + 1));
  // others may underflow to 0 when psi_0 dominates: the upper bound is then +inf
  // in this draw (log 0), which is what the estimate is.
  double topOthers = a[1];
  for (Index k = 2; k <= K; ++k) topOthers = std::max(topOthers, a[k]);
  double sumOthers = 0.0;
  for (Index k = 1; k <= K; ++k) sumOthers += std::exp(a[k] - topOthers);
  result.withoutOwn = topOthers + std::log(sumOthers) - std::log(static_cast<double>(K));
  if (responsibilities)
    for (Index k = 0; k <= K; ++k) responsibilities[k] = std::exp(a[k] - top) / all;
  return result;
}

void addKernelQuadratic(const Real* u, const Eigen::Ref<const Matrix>& z, Index n,
                        double* quadratic) {
  const ConstVectorMap ui(u, n);
  for (Index k = 0; k < z.cols(); ++k)
    quadratic[k] -= 0.5 * static_cast<double>((ui - z.col(k)).squaredNorm());
}

void addKSampleGradient(const Real* u, Eigen::Ref<Matrix> z, Index n, const double* r, Real scale,
                        Real* dU, Real* dLogScale) {
  const ConstArrayMap ui(u, n);
  ArrayMap gu(dU, n);
  // Column 0 last: the others' scale term needs z_0.
  for (Index j = 1; j <= z.cols(); ++j) {
    const Index k = j % z.cols();
    auto d = z.col(k).array();
    const Real weight = scale * static_cast<Real>(r[k]);
    if (dLogScale && k > 0) ArrayMap(dLogScale, n) += weight * (ui - d) * (d - z.col(0).array());
    d = weight * (ui - d);
    gu -= d;
  }
}

BAYESLAB_END_NAMESPACE
