#pragma once
// The data term of multiplicative normalising flows (Louizos & Welling 2017):
// local reparameterisation (Kingma, Salimans & Welling 2015) with the noise z
// drawn per example. Given z, the weights are independent Gaussians
// W_ji ~ N(z_i mu_ji, sigma_ji^2), so for a layer input a every pre-activation
// is Gaussian:
//
//   z ~ q(z) (one draw per example and layer: base noise, flow, masks),
//   b = mu_W (a . z) + mu_b + sqrt(v) . eps,   v = sigma_W^2 a^2 + sigma_b^2,
//   D ~ (1/S) sum_s sum_i log p(y_i | b_L(x_i; z, eps)).
//
// Backward, given delta = dJ/db (as LocalReparameterisationKernel, with the
// mean path's input a . z):
//   dv = delta eps / (2 sqrt(v)),   g = mu_W^T delta,
//   dJ/dz = a . g (then back through q(z)'s flow to its parameters),
//   dJ/da = z . g + 2 a . (sigma_W^2^T dv),
//   dJ/dmu_W = delta (a . z)^T,  dJ/dsigma_W^2 = dv (a^2)^T,  dJ/dlog sigma = 2 sigma^2
//   dJ/dsigma^2.
//
// Work is split as in the mean-field kernel, after (0) transposing the weights
// the backward passes multiply by, once per step: (1) forward and backward of one
// (sample, batch chunk) unit, flows included, over whole blocks of columns
// (gemm, no per-example loops), its noise from rng.derive(s).derive(chunk);
// (2) gradient jobs, each one product over the whole batch: the weights' mean
// and variance parts by blocks of input columns, each flow step's parameters,
// each layer's base Gaussian. Results do not depend on the thread count, and
// nothing is allocated once the buffers have been sized.
//
// The method runs the units and jobs in its own parallel passes (beside the
// auxiliary bound's), so the kernel exposes them rather than a single call.
#include <memory>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/likelihood/likelihood.h"
#include "engine/methods/mnf/mnf_structure.h"
#include "engine/model/activation.h"

BAYESLAB_BEGIN_NAMESPACE

class MnfKernel {
 public:
  // Multiply-adds per weight-gradient job (as LocalReparameterisationKernel).
  static constexpr Index kDefaultJobWork = Index(1) << 22;

  MnfKernel(MnfStructure structure, Activation activation,
            std::shared_ptr<const Likelihood> likelihood, Index jobWork = kDefaultJobWork);

  struct Arguments {
    const Batch* batch = nullptr;
    Index samples = 1;
    const Real* mu = nullptr;         // P, layout order
    const Real* variance = nullptr;   // sigma^2, P
    const Real* auxiliary = nullptr;  // the auxiliary block (q(z) is read)
    const Real* phi = nullptr;        // likelihood parameters
    // Gradients (null: value only) of gradientScale * the summed log-likelihood:
    // dMu, dLogSigma (P, overwritten), dAuxiliary (q(z)'s parameters
    // overwritten, r's untouched), dPhi (added to, by addLikelihoodGradient).
    Real gradientScale = 1;
    Real* dMu = nullptr;
    Real* dLogSigma = nullptr;
    Real* dAuxiliary = nullptr;
    RandomStream rng;
    bool fixedMultipliers = false;  // z = 1 (a test hook: mean-field LRT)
  };

  // Sizes the buffers for the batch and squares its inputs (serial, cheap).
  void begin(const Arguments& args);
  // Phase 0 (after begin, before the units): transposes of the weights that the
  // backward passes multiply by, made once per step instead of once per unit.
  Index preparationCount() const { return static_cast<Index>(m_preparations.size()); }
  void runPreparation(Index i, const Arguments& args);
  // Layer l's q(z) flow weights as NormalisingFlow::transposeWeights() writes
  // them, valid after phase 0 (for the bound's backward pass through q(z)).
  const Real* transposedFlow(Index l) const {
    return m_transposed.data() + m_flowT[static_cast<size_t>(l)];
  }
  // Phase 1: forward and backward of unit u in [0, unitCount()).
  Index unitCount() const { return m_samples * m_chunks; }
  void runUnit(Index u, const Arguments& args);
  // sum_s sum_i log p(y_i | ...) over the units, in a fixed order.
  double logLikelihood() const;
  void addLikelihoodGradient(Real* dPhi) const;
  // Phase 2 (with gradients): job j in [0, jobCount()).
  Index jobCount() const { return static_cast<Index>(m_jobs.size()); }
  void runJob(Index j, const Arguments& args);
  // The network outputs of the last units (d_out x S B, sample-major): for tests.
  const Matrix& lastOutput() const { return m_output.back(); }

 private:
  enum class JobKind { Mean, Variance, FlowStep, Base };
  // A transpose of phase 0: mu_W or sigma_W^2 of a layer, or a flow step's weights.
  struct Preparation {
    JobKind kind = JobKind::Mean;  // Mean, Variance or FlowStep
    Index layer = 0, step = 0;
  };
  struct Job {
    JobKind kind = JobKind::Mean;
    Index layer = 0;
    Index step = 0;                          // FlowStep
    Index columnBegin = 0, columnCount = 0;  // Mean, Variance
    Matrix sampleSum;                        // Variance of layer 0 with S > 1
  };
  struct Unit {
    Matrix v, g, t;                              // O x n, D x n, D x n (the widest layer)
    std::vector<NormalisingFlow::Scratch> flow;  // per layer
    Matrix outputGradient;
    Vector likelihoodGradient;
    double logLikelihood = 0.0;
  };

  void prepare(Index samples, Index batch);
  void forward(Unit& unit, Index s, Index c, const Arguments& args);
  void backward(Unit& unit, Index s, Index c, const Arguments& args);
  void weightGradient(Job& job, const Arguments& args);

  MnfStructure m_structure;
  MlpLayout m_layout;
  Activation m_activation;
  std::shared_ptr<const Likelihood> m_likelihood;
  Index m_jobWork;

  Index m_samples = 0, m_batch = -1, m_chunks = 0;
  Matrix m_inputSquared;                              // x^2, d_in x B
  std::vector<Matrix> m_noiseDraw;                    // per layer: z, D x S B
  std::vector<Matrix> m_scaledInput;                  // per layer: a . z, D x S B
  std::vector<Matrix> m_inputSquaredHidden;           // per layer l >= 1: a_{l-1}^2, D x S B
  std::vector<Matrix> m_output;                       // per layer: f(b) (hidden) or b (output)
  std::vector<Matrix> m_noise;                        // per layer: eps / (2 sqrt(v)), then dv
  std::vector<Matrix> m_delta;                        // per layer: dJ/db
  std::vector<MultiplierDistribution::Tape> m_tapes;  // per layer, S B columns
  std::vector<Unit> m_units;
  std::vector<Job> m_jobs;
  std::vector<Preparation> m_preparations;
  // Per layer: mu_W^T, sigma_W^2^T (layers after the first), q(z)'s flow's
  // transposed weights; offsets into m_transposed.
  Vector m_transposed;
  std::vector<Index> m_meanT, m_varianceT, m_flowT;
};

BAYESLAB_END_NAMESPACE
