#pragma once
// Multiplicative normalising flows (Louizos & Welling 2017, "Multiplicative
// Normalizing Flows for Variational Bayesian Neural Networks").
//
// Every layer's weights are Gaussian given a multiplicative noise z with one
// entry per input unit, and z has a flexible distribution of its own:
//
//   q(W | z) = prod_ij N(W_ji; z_i mu_ji, sigma_ji^2),   q(z) = flow of a diagonal Gaussian,
//
// so q(W) = integral q(W | z) q(z) dz is a continuous mixture of mean-field
// Gaussians with correlations along each input's column. The biases are
// mean-field, N(mu_b, sigma_b^2). With the auxiliary model r(z | W) of
// AuxiliaryModel the bound maximised is
//
//   L = E[log p(y | x, W)] - sum_layers { KL(q(W | z_T) || p(W)) + KL(q(b) || p(b))
//                                         - log r(z_T | W) + log q(z_T) },
//
// the braces being the "kl" column (elbo = L, a lower bound on the true ELBO,
// looser by E KL(q(z | W) || r(z | W))). Monte Carlo: the data term draws z per
// example and pre-activations by local reparameterisation (MnfKernel); the
// braces use one z_T per layer and step (MultiplierDistribution, log q(z_T) =
// E log q_0 - log det), W read through c^T W by local reparameterisation for r,
// and KL(q(W | z_T) || p) in closed form through the prior when it has one,
// else one Monte Carlo weight draw (ConditionalWeightKl). Everything is
// differentiated pathwise; learned likelihood noise and empirical-Bayes prior
// scales are optimised jointly, as in MeanFieldMethod.
//
// Parameters: [mu (P) | log sigma (P) | q(z), r(z | W) per layer (MnfStructure)
//              | likelihood | prior hyperparameters].
#include <memory>
#include <vector>

#include "engine/methods/common/gradient_method.h"
#include "engine/methods/mnf/auxiliary_model.h"
#include "engine/methods/mnf/conditional_weight_kl.h"
#include "engine/methods/mnf/mnf_kernel.h"

BAYESLAB_BEGIN_NAMESPACE

class MnfMethod final : public GradientMethod {
 public:
  explicit MnfMethod(const Problem& problem);

  double evaluate(const StepInput& input, const Vector& params, Vector* gradient,
                  StepStats& stats) override;
  std::shared_ptr<const Posterior> posterior() const override;
  void setPrior(std::shared_ptr<const Prior> prior) override;

  const MnfStructure& structure() const { return m_structure; }
  // Test hook: z = 1 in every layer, no flows and no r. MNF is then mean-field
  // local reparameterisation with sigma = exp(log sigma), its "kl" the
  // mean-field KL(q(w) || p(w)).
  void setFixedMultipliersForTesting(bool fixed) { m_fixedMultipliers = fixed; }

 private:
  // One unit of the KL pass: a block of input columns of one layer.
  struct KlUnit {
    Index layer = 0;
    Index columnBegin = 0, columnCount = 0;
    ConditionalWeightKl kl;
    Vector dMean, dSigma;  // dJ/dM and dJ/dsigma of the block (then of the biases)
    double value = 0.0;
  };
  // One layer's draw z_T and its auxiliary terms.
  struct LayerBound {
    Matrix z;   // z_T (D x 1)
    Matrix dz;  // dJ/dz_T from the weights' KL and r's c^T W (D x 1)
    MultiplierDistribution::Tape tape;
    NormalisingFlow::Scratch scratch;
    AuxiliaryModel::State r;
    double logQ = 0.0, negativeLogR = 0.0;
  };

  void drawBound(Index l, const Real* mu, const Real* auxiliary, Real beta, Real* dAuxiliary,
                 const RandomStream& rng);
  void finishBound(Index l, const Real* auxiliary, Real beta, Real* dAuxiliary);

  MnfStructure m_structure;
  MlpKernel m_network;
  std::shared_ptr<const Likelihood> m_likelihood;
  std::shared_ptr<const Prior> m_prior;
  MnfKernel m_kernel;
  bool m_fixedMultipliers = false;
  // Per-evaluation buffers, sized once.
  Vector m_sigma, m_variance;
  std::vector<LayerBound> m_bounds;
  std::vector<KlUnit> m_klUnits;
  Matrix m_unitHyperGradient;  // prior hyperparameters x KL units
};

MethodDescriptor mnfMethodDescriptor();

BAYESLAB_END_NAMESPACE
