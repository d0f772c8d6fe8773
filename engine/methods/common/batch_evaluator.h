#pragma once
// The data term of an objective, sum_i log p(y_i | f(x_i; w_s)), for S weight
// vectors over one batch, with its gradient with respect to each w_s.
//
// The batch is cut into a fixed number of column chunks (depending only on the
// batch size), and the (sample, chunk) units run in parallel, each with its own
// workspace; chunk gradients are then summed in a fixed order. Results are
// therefore identical for any thread count, and nothing is allocated once the
// buffers have been sized by the first call.

#include <memory>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/likelihood/likelihood.h"
#include "engine/model/mlp_kernel.h"

BAYESLAB_BEGIN_NAMESPACE

class BatchEvaluator {
 public:
  BatchEvaluator() = default;
  BatchEvaluator(MlpKernel kernel, std::shared_ptr<const Likelihood> likelihood);

  const MlpKernel& kernel() const { return m_kernel; }
  const Likelihood& likelihood() const { return *m_likelihood; }

  // weights: S flat vectors of P values, stored one after another.
  // gradients (optional): S x P output, gradients + s P receives
  //   gradientScale * d/dw_s sum_i log p(y_i | f(x_i; w_s)).
  // likelihoodGradient (optional): += gradientScale * d/dphi, summed over samples.
  // Returns sum_s sum_i log p(y_i | f(x_i; w_s)); per-sample sums in sampleLogLikelihood().
  double evaluate(const Batch& batch, Index samples, const Real* weights,
                  const Real* likelihoodParams, Real gradientScale, Real* gradients,
                  Real* likelihoodGradient, int threads);

  // As evaluate(), but the gradient of each (sample, chunk) unit stays in the
  // unit for the caller to reduce in its own pass over the parameters (one
  // pass less for the mean-field estimators): sample s's gradient is the sum
  // over c < chunkCount(batch.size()) of unitGradient(s, c), in that order.
  double evaluateUnreduced(const Batch& batch, Index samples, const Real* weights,
                           const Real* likelihoodParams, Real gradientScale,
                           Real* likelihoodGradient, int threads);
  const Vector& unitGradient(Index s, Index c, Index chunks) const {
    return m_units[static_cast<size_t>(s * chunks + c)].gradient;
  }

  double sampleLogLikelihood(Index s) const { return m_sampleLogLik[static_cast<size_t>(s)]; }
  static Index chunkCount(Index batchSize);

 private:
  double run(const Batch& batch, Index samples, const Real* weights, const Real* likelihoodParams,
             Real gradientScale, Real* gradients, bool reduce, Real* likelihoodGradient,
             int threads);

  struct Unit {
    MlpWorkspace workspace;
    Vector gradient;
    Vector likelihoodGradient;
    double logLikelihood = 0.0;
  };

  MlpKernel m_kernel;
  std::shared_ptr<const Likelihood> m_likelihood;
  std::vector<Unit> m_units;
  std::vector<double> m_sampleLogLik;
};

BAYESLAB_END_NAMESPACE
