#pragma once
// The data term of the inducing-weight objective over a minibatch,
//   D = (1/P) sum_{p = 1..P} sum_{i in batch} log p(y_i | f_p(x_i)),
// and its gradient with respect to every layer's parameters: P passes, each a
// draw of the network (FFG-U: P = S Monte Carlo samples; Ensemble-U: S samples
// for each of the K members, pass p belonging to member p / S).
//
// Each layer is drawn in one of two ways, both unbiased for the same ELBO:
//   weight space   one W per pass by the extended Matheron rule (matheron_sampler.h),
//                  shared by the batch;
//   function space the layer's outputs drawn per input (function_space_sampler.h).
// With sampling = "weight" every layer is drawn in weight space. With
// "function", each layer takes whichever costs fewer multiply-adds for the batch
// (functionSpaceIsCheaper): the hidden layers of a wide network in function
// space, a narrow output layer (400 -> 10) in weight space, where one 10 x 401
// draw per step costs less than the per-input products Z_c x~.
//
// Work is split as in the local reparameterisation kernel, into units fixed by
// the problem's shape: (1) the layers' small factors (K, Cholesky, inverses);
// (2) weight-space layers' draws over (layer, pass, column block of E);
// (3) forward and backward of the activations over (pass, batch chunk), each
// with its own noise stream; (4) the products over the whole batch (dJ/dW of
// weight-space layers, dJ/dZ_r and dJ/dZ_c of function-space layers) over
// blocks of their columns; (5) the Matheron backward over (layer, pass, block);
// (6) per layer, the small sums in a fixed order and the chain rule through the
// factors. Results are identical for any thread count, and nothing is
// allocated once the buffers have been sized by the first call.
#include <memory>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/likelihood/likelihood.h"
#include "engine/methods/inducing/function_space_sampler.h"
#include "engine/methods/inducing/matheron_sampler.h"
#include "engine/model/activation.h"
#include "engine/model/mlp_layout.h"

BAYESLAB_BEGIN_NAMESPACE

// True when drawing the layer's outputs per input costs fewer multiply-adds
// (normals weighted by their cost) than one weight draw for `inputs` inputs:
// for a training step (forward and backward) or for a forward pass alone.
bool functionSpaceIsCheaper(const InducingLayerShape& shape, Index inputs, bool firstLayer,
                            bool training);

// How the layers are drawn: all in weight space (sampling = "weight"), each
// the cheaper way (sampling = "function"), or all in function space (tests).
enum class LayerSampling { Weight, Cheaper, Function };

class InducingEstimator {
 public:
  static constexpr Index kDefaultJobWork = Index(1) << 22;

  // jobWork, blockWork: multiply-adds per unit of the whole-batch products and
  // per column block of a weight draw (tests use small values to split small
  // layers). Both fix how work is cut by the problem's shape, never by the
  // thread count.
  InducingEstimator(MlpLayout network, Activation activation,
                    std::shared_ptr<const Likelihood> likelihood, InducingLayout layout,
                    LayerSampling sampling, Index jobWork = kDefaultJobWork,
                    Index blockWork = MatheronSampler::kDefaultBlockWork);
  // Takes effect at the next evaluate().
  void setLayerSampling(LayerSampling sampling);

  // Returns D (above) for P = `passes` passes (a multiple of the member count
  // for Ensemble-U). If gradient is given, writes gradientScale * dD/dtheta for
  // every layer parameter (overwritten, at the layout's offsets) and adds
  // gradientScale * dD/dphi to dPhi. Returns NaN when a layer's K is not
  // positive definite. Deterministic given rng.
  double evaluate(const Batch& batch, Index passes, const Real* params, const Real* phi,
                  Real priorScale, Real gradientScale, Real* gradient, Real* dPhi,
                  const RandomStream& rng, int threads);

  const InducingLayout& layout() const { return m_layout; }
  // Which layers the last evaluate() drew in function space.
  const std::vector<bool>& functionLayers() const { return m_function; }

 private:
  struct Unit {
    Matrix outputGradient;
    Vector likelihoodGradient;
    std::vector<FunctionSpaceGradient> gradients;  // per layer (function space)
    double logLikelihood = 0.0;
  };
  struct Job {
    enum Kind { WeightGradient, RowsGradient, ColsGradient } kind = WeightGradient;
    Index layer = 0, pass = 0, begin = 0, count = 0;
  };
  struct BlockUnit {
    Index layer = 0, pass = 0, block = 0;
  };

  void prepare(Index passes, Index batch);
  Index memberOf(Index pass) const;
  void drawWeights(const Real* params, Real priorScale, const RandomStream& rng, int threads);
  void chunk(Unit& unit, Index p, Index c, const Batch& batch, const Real* phi,
             Real gradientScale, bool wantGradient, const RandomStream& rng);
  void runJob(const Job& job, const Batch& batch, Real priorScale);
  void finishLayer(Index l, const Real* params, Real* gradient);

  MlpLayout m_network;
  Activation m_activation;
  std::shared_ptr<const Likelihood> m_likelihood;
  InducingLayout m_layout;
  LayerSampling m_sampling;
  Index m_jobWork, m_blockWork;

  Index m_passes = -1, m_batch = -1, m_chunks = 0;
  std::vector<bool> m_function;
  std::vector<InducingFactors> m_factors;
  std::vector<FunctionSpaceConstants> m_constants;
  std::vector<FactorGradient> m_factorGradients;
  std::vector<FunctionSpaceSampler> m_samplers;     // per layer
  std::vector<MatheronSampler> m_draws;             // per (layer, pass), weight space
  std::vector<Matrix> m_vNoise, m_v;                // per (layer, pass): FFG-U eps_V and V
  Matrix m_weights, m_weightGradients;              // network layout x passes
  std::vector<Matrix> m_output, m_delta;            // per layer: d_out x (passes B)
  std::vector<Unit> m_units;
  std::vector<Job> m_jobs;
  std::vector<BlockUnit> m_blockUnits;
  std::vector<Vector> m_vSigma, m_vSigmoid;         // per layer: FFG-U sigma_V, sigmoid(rho_V)
};

BAYESLAB_END_NAMESPACE
