#pragma once
// The data term of the inducing-weight objective over a minibatch,
//   D = (1/P) sum_{p = 1..P} sum_{i in batch} log p(y_i | f_p(x_i)),
// and its gradient with respect to every layer's parameters: P passes, each a
// draw of the network (FFG-U: P = S Monte Carlo samples; Ensemble-U: S samples
// for each of the K members, pass p belonging to member p / S).
//
// Each layer is drawn in one of two ways, both unbiased for the same ELBO:
//   weight space   one W per pass by the extended Matheron rule (matheron_sampler.h),
//                  shared by the batch; evaluated either by forming W (explicit) or
//                  in factored form, W X~ = s (A_r T (A_c X~) + lambda E_1 X~), which
//                  skips forming W and its gradient dJ/dW (fewer multiply-adds for a
//                  wide layer: 63 M instead of 111 M per step for 784 -> 400, batch 128);
//   function space the layer's outputs drawn per input (function_space_sampler.h).
// With sampling = "weight" every layer is drawn in weight space, explicitly or
// factored, whichever costs fewer multiply-adds (cheapestDraw). With "function",
// each layer takes the cheapest of the three: the hidden layers of a wide network
// in function space, a narrow output layer (400 -> 10) in weight space, where one
// 10 x 401 draw per step costs less than the per-input products Z_c x~.
//
// Work is split as in the local reparameterisation kernel, into units fixed by
// the problem's shape: (1) the layers' small factors (K, Cholesky, inverses);
// (2) weight-space layers' draws over (layer, pass, column block of E);
// (3) forward and backward of the activations over (pass, batch chunk), each
// with its own noise stream; (4) the products over the whole batch (dJ/dW of
// explicit layers, dJ/dA_r and dJ/dA_c of factored ones, dJ/dZ_r and dJ/dZ_c of
// function-space ones) over blocks of their rows or columns; (5) the Matheron
// backward over (layer, pass, block);
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

// The stream the inducing weights U are drawn from, by the estimator in training
// and by the posterior alike.
inline constexpr std::uint64_t kInducingStream = 0x56;  // "V"

// True when drawing the layer's outputs per input costs fewer multiply-adds
// (normals weighted by their cost) than one weight draw for `inputs` inputs:
// for a training step (forward and backward) or for a forward pass alone.
bool functionSpaceIsCheaper(const InducingLayerShape& shape, Index inputs, bool firstLayer,
                            bool training);

enum class LayerDraw { Explicit, Factored, Function };
// The draw with the fewest multiply-adds (normals weighted by their cost) for a
// training step on `inputs` inputs; function space only when allowed.
LayerDraw cheapestDraw(const InducingLayerShape& shape, Index inputs, bool firstLayer,
                       bool allowFunction);

// How the layers are drawn: in weight space (sampling = "weight"), the cheapest way
// (sampling = "function"), or, for tests, every layer one way.
enum class LayerSampling { Weight, Cheaper, Function, WeightExplicit, WeightFactored };

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
  // Which layers the last evaluate() drew in function space, and how each was drawn.
  const std::vector<bool>& functionLayers() const { return m_function; }
  const std::vector<LayerDraw>& layerDraws() const { return m_draw; }

 private:
  struct Unit {
    Matrix outputGradient;
    Vector likelihoodGradient;
    std::vector<FunctionSpaceGradient> gradients;  // per layer (function space)
    std::vector<Matrix> factoredDt;                // per layer (factored): dT
    std::vector<double> factoredLambda;            // and <delta~, E_1 X~>
    double logLikelihood = 0.0;
  };
  struct Job {
    enum Kind {
      WeightGradient,  // explicit: dJ/dW of a pass, a block of its columns
      RowsGradient,    // function space: dJ/dZ_r, a block of its columns
      ColsGradient,    // function space: dJ/dZ_c, a block of its columns
      FactoredRows,    // factored: dJ/dA_r, a block of its rows
      FactoredCols     // factored: dJ/dA_c, a block of its columns
    } kind = WeightGradient;
    Index layer = 0, pass = 0, begin = 0, count = 0;
  };
  struct BlockUnit {
    Index layer = 0, pass = 0, block = 0;
  };

  void prepare(Index passes, Index batch);
  Index memberOf(Index pass) const;
  void drawWeights(const Real* params, Real priorScale, const RandomStream& rng, int threads);
  void chunk(Unit& unit, Index p, Index c, const Batch& batch, const Real* phi, Real priorScale,
             Real gradientScale, bool wantGradient, const RandomStream& rng);
  void forwardFactored(Index l, Index p, const Eigen::Ref<const Matrix>& x, Index col,
                       Real priorScale, Eigen::Ref<Matrix> out);
  void backwardFactored(Unit& unit, Index l, Index p, Index col,
                        const Eigen::Ref<const Matrix>& delta, Real priorScale, Real* dx);
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
  std::vector<LayerDraw> m_draw;
  // Factored layers, over all columns: A_c X~ (N), T A_c X~ (M), E_1 X~ (d_out),
  // A_r^T delta~ (M), T^T A_r^T delta~ (N, summed over passes in m_qSum for the first layer).
  std::vector<Matrix> m_cx, m_tcx, m_ex, m_rho, m_q;
  Matrix m_qSum;
  std::vector<InducingFactors> m_factors;
  std::vector<FunctionSpaceConstants> m_constants;
  std::vector<FactorGradient> m_factorGradients;
  std::vector<FunctionSpaceSampler> m_samplers;  // per layer
  std::vector<MatheronSampler> m_draws;          // per (layer, pass), weight space
  std::vector<Matrix> m_vNoise, m_v;             // per (layer, pass): FFG-U eps_V and V
  Matrix m_weights, m_weightGradients;           // network layout x passes
  std::vector<Matrix> m_output, m_delta;         // per layer: d_out x (passes B)
  std::vector<Unit> m_units;
  std::vector<Job> m_jobs;
  std::vector<BlockUnit> m_blockUnits;
  std::vector<Index> m_drawUnits;            // layer x passes + pass of every weight-space draw
  std::vector<Vector> m_vSigma, m_vSigmoid;  // per layer: FFG-U sigma_V, sigmoid(rho_V)
};

BAYESLAB_END_NAMESPACE
