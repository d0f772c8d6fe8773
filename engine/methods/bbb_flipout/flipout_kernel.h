#pragma once
// Flipout (Wen, Vicol, Ba, Tran & Grosse 2018, "Flipout: Efficient Pseudo-Independent
// Weight Perturbations on Mini-Batches") for a network whose weights and biases are
// independent Gaussians N(mu, sigma^2). One base perturbation per Monte Carlo sample,
//   Delta = sigma * E,  E ~ N(0, I),
// is shared by the minibatch and decorrelated across examples by random sign vectors
// s_i (layer inputs) and r_i (layer outputs), drawn per example and layer:
//
//   z = mu_W a + mu_b + r * (Delta_W (s * a) + Delta_b).
//
// Because q is symmetric about mu, r_i s_i^T * Delta_W has the distribution of Delta_W
// for every example, so each example still sees an exact draw from q (unbiased), while
// the examples' perturbations are nearly independent (lower variance than one shared
// sample). Backward, with u = s * a, v = Delta_W u + Delta_b and delta = dJ/dz:
//   dJ/dmu_W = delta a^T,              dJ/dmu_b = sum_examples delta,
//   dv = r * delta,
//   dJ/dDelta_W = dv u^T,              dJ/dDelta_b = sum_examples dv,
//   dJ/dsigma = dJ/dDelta * E          (Delta = sigma * E),
//   dJ/da = mu_W^T delta + s * (Delta_W^T dv).
//
// Work is split as in LocalReparameterisationKernel: activations over (sample, batch
// chunk) units with their sign streams, weight gradients over (layer, mean or sigma,
// block of input columns) units with one GEMM over the whole batch; the base
// perturbation is drawn over (sample, parameter block) units. Thread-count
// independent and allocation-free once sized.

#include <memory>
#include <vector>

#include "engine/core/random.h"
#include "engine/data/dataset.h"
#include "engine/likelihood/likelihood.h"
#include "engine/model/activation.h"
#include "engine/model/mlp_layout.h"

BAYESLAB_BEGIN_NAMESPACE

class FlipoutKernel {
 public:
  // Multiply-adds per weight-gradient job: large enough that a small network's layer
  // is one GEMM, small enough that a 784-400 layer splits across threads. Any value
  // gives the same results up to rounding (tests use small ones to split small layers).
  static constexpr Index kDefaultJobWork = Index(1) << 22;

  FlipoutKernel(MlpLayout layout, Activation activation,
                std::shared_ptr<const Likelihood> likelihood, Index jobWork = kDefaultJobWork);

  // Returns sum_s sum_i log p(y_i | z_L(x_i; Delta_s, signs)) over `samples` base
  // perturbations. If dMu is given, writes gradientScale * d/dmu and d/dsigma of that
  // sum into dMu and dSigma (P entries each, overwritten) and adds gradientScale *
  // d/dphi to dPhi. Deterministic given rng.
  double evaluate(const Batch& batch, Index samples, const Real* mu, const Real* sigma,
                  const Real* phi, Real gradientScale, Real* dMu, Real* dSigma, Real* dPhi,
                  const RandomStream& rng, int threads);

 private:
  struct Unit {
    Vector scratch;  // max(width) x chunk columns
    Matrix outputGradient;
    Vector likelihoodGradient;
    double logLikelihood = 0.0;
  };
  struct Job {
    Index layer = 0;
    bool sigma = false;
    Index columnBegin = 0, columnCount = 0;  // a block of the layer's inputs
    Matrix scratch;  // d_out x B (layer 0 sample sum) or d_out x columns (one sample's product)
  };

  void prepare(Index samples, Index batch);
  void forwardChunk(Unit& unit, Index s, Index c, const Batch& batch, const Real* mu,
                    const RandomStream& rng);
  void backwardChunk(Unit& unit, Index s, Index c, const Real* mu);
  void weightGradient(Job& job, const Batch& batch, Real* dMu, Real* dSigma);

  MlpLayout m_layout;
  Activation m_activation;
  std::shared_ptr<const Likelihood> m_likelihood;
  Index m_jobWork;

  Index m_samples = -1, m_batch = -1, m_chunks = 0;
  Matrix m_unitNoise;                // E, P x S
  Matrix m_perturbation;             // Delta = sigma * E, P x S
  std::vector<Matrix> m_output;      // per layer: f(z) (hidden) or z (output), d_out x S B
  std::vector<Matrix> m_inputSign;   // per layer: s, d_in x S B
  std::vector<Matrix> m_flipped;     // per layer: u = s * a, d_in x S B
  std::vector<Matrix> m_outputSign;  // per layer: r, then dv = r * delta; d_out x S B
  std::vector<Matrix> m_delta;       // per layer: dJ/dz, d_out x S B
  std::vector<Unit> m_units;
  std::vector<Job> m_jobs;
};

BAYESLAB_END_NAMESPACE
