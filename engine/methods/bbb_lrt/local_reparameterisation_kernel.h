#pragma once
// The local reparameterisation trick (Kingma, Salimans & Welling 2015, "Variational
// Dropout and the Local Reparameterization Trick") for a network whose weights and
// biases are independent Gaussians N(mu, sigma^2). Instead of one weight sample per
// minibatch, each pre-activation is drawn from its exact Gaussian given the layer's
// input a (element-wise squares, one eps per example and unit, every layer including
// the output layer):
//
//   b = mu_W a + mu_b + sqrt(v) * eps,   v = sigma_W^2 a^2 + sigma_b^2,   eps ~ N(0, 1).
//
// Backward, given delta = dJ/db:
//   dmean = delta,   dv = delta * eps / (2 sqrt(v)),
//   dJ/dmu_W = delta a^T,            dJ/dmu_b = sum_examples delta,
//   dJ/d(sigma_W^2) = dv (a^2)^T,    dJ/d(sigma_b^2) = sum_examples dv,
//   dJ/da = mu_W^T delta + 2 a * ((sigma_W^2)^T dv),
// and dJ/dsigma = 2 sigma dJ/d(sigma^2). The examples of a minibatch get independent
// noise, so the estimator's variance falls as 1/B instead of staying at the level set
// by one shared weight sample. S Monte Carlo samples are S independent noise draws.
//
// Work is split in three phases, each over units that depend only on the problem's
// shape: (0) sigma^2 over parameter blocks and x^2 over batch chunks; (1) forward
// and backward of the activations over (sample, batch chunk) units, each with its
// own noise stream rng.derive(s).derive(chunk); (2) the weight gradients over
// (layer, mean or variance, block of input columns) jobs, each a single GEMM over
// the whole batch (all samples concatenated), so no per-chunk gradient copies need
// reducing. A caller's block passes (BlockPasses) run inside phases 0 and 2: its
// `prepare` on a block just before that block's sigma^2, its `finish` on a column
// block's parameters as soon as both its mean and its variance job are done, while
// they are still in cache; each block's weights and each layer's biases are one
// finish part. Results are identical
// for any thread count, and nothing is allocated once the buffers have been sized by
// the first call.

#include <atomic>
#include <memory>
#include <vector>

#include "engine/core/random.h"
#include "engine/data/dataset.h"
#include "engine/likelihood/likelihood.h"
#include "engine/methods/common/data_term_estimator.h"
#include "engine/model/activation.h"
#include "engine/model/mlp_layout.h"

BAYESLAB_BEGIN_NAMESPACE

class LocalReparameterisationKernel {
 public:
  // Multiply-adds per weight-gradient job: large enough that a small network's layer
  // is one GEMM, small enough that a 784-400 layer splits across threads. Any value
  // gives the same results up to rounding (tests use small ones to split small layers).
  static constexpr Index kDefaultJobWork = Index(1) << 22;

  LocalReparameterisationKernel(MlpLayout layout, Activation activation,
                                std::shared_ptr<const Likelihood> likelihood,
                                Index jobWork = kDefaultJobWork);

  // Returns sum_s sum_i log p(y_i | b_L(x_i; noise s)) over `samples` noise draws.
  // If dMu is given, writes gradientScale * d/dmu and gradientScale * d/dsigma of that
  // sum into dMu and dSigma (P entries each, overwritten) and adds gradientScale *
  // d/dphi to dPhi. Deterministic given rng.
  double evaluate(const Batch& batch, Index samples, const Real* mu, const Real* sigma,
                  const Real* phi, Real gradientScale, Real* dMu, Real* dSigma, Real* dPhi,
                  const RandomStream& rng, int threads);
  // evaluate() running a caller's passes inside its own (see above): `prepare` writes
  // sigma block by block; `finish` runs on finishParts(samples, batch size) parts.
  double evaluate(const Batch& batch, Index samples, const Real* mu, const Real* sigma,
                  const Real* phi, Real gradientScale, Real* dMu, Real* dSigma, Real* dPhi,
                  const RandomStream& rng, int threads, const BlockPasses& passes);
  Index finishParts(Index samples, Index batch);

 private:
  // One (sample, batch chunk) unit's scratch space and results.
  struct Unit {
    Vector scratch;  // max(width) x chunk columns
    Matrix outputGradient;
    Vector likelihoodGradient;
    double logLikelihood = 0.0;
  };
  // One weight-gradient job: `columnCount` input columns of layer `layer`'s gradient
  // from `columnBegin`, for the means (variance == false) or the standard deviations.
  // The mean and variance jobs of a column block are a pair: whichever completes
  // second runs the finish of the block's weights (part `part`) and, for the first
  // block, of the layer's biases (part + 1).
  struct Job {
    Index layer = 0;
    bool variance = false;
    Index columnBegin = 0, columnCount = 0;
    Index pair = 0, part = 0;
    Matrix sampleSum;  // layer 0 with S > 1: the delta summed over samples
  };

  void prepare(Index samples, Index batch);
  double run(const Batch& batch, Index samples, const Real* mu, const Real* sigma, const Real* phi,
             Real gradientScale, Real* dMu, Real* dSigma, Real* dPhi, const RandomStream& rng,
             int threads, const BlockPasses* passes);
  void forwardChunk(Unit& unit, Index s, Index c, const Batch& batch, const Real* mu,
                    const RandomStream& rng);
  void backwardChunk(Unit& unit, Index s, Index c, const Real* mu);
  void weightGradient(Job& job, const Batch& batch, const Real* sigma, Real* dMu, Real* dSigma);
  // The parameters of job j's finish parts: its weights, and its layer's biases.
  Range jobWeights(const Job& job) const;

  MlpLayout m_layout;
  Activation m_activation;
  std::shared_ptr<const Likelihood> m_likelihood;
  Index m_jobWork;

  Index m_samples = -1, m_batch = -1, m_chunks = 0;
  Vector m_variance;                         // sigma^2, flat
  Matrix m_inputSquared;                     // x^2, d_in x B
  std::vector<Matrix> m_output;              // per layer: f(b) (hidden) or b (output), d_out x S B
  std::vector<Matrix> m_inputSquaredHidden;  // per layer l >= 1: a_{l-1}^2, d_in x S B
  std::vector<Matrix> m_noise;               // per layer: eps / (2 sqrt(v)), then dv; d_out x S B
  std::vector<Matrix> m_delta;               // per layer: dJ/db, d_out x S B
  std::vector<Unit> m_units;
  std::vector<Job> m_jobs;
  Index m_parts = 0;
  std::vector<std::atomic<int>> m_pairDone;  // per pair: how many of its two jobs are done
};

BAYESLAB_END_NAMESPACE
