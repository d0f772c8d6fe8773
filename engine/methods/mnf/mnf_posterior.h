#pragma once
// The approximate posterior of multiplicative normalising flows:
//
//   q(W) = integral prod_ij N(W_ji; z_i mu_ji, sigma_ji^2) q(z) dz   per layer,
//   q(b) = N(mu_b, sigma_b^2),
//
// with q(z) = MultiplierDistribution (a flow of a diagonal Gaussian).
//
// Function draws (sampleOutputs) draw one z per layer and draw (shared by all
// inputs), then W ~ N(z mu, sigma^2): whole, consistent functions. Marginal
// draws (sampleMarginalOutputs: per-input summaries) may instead draw z per
// input and the pre-activations by local reparameterisation, exact per input;
// the cheaper way is used, by a count of multiply-adds and normals.
//
// The weight views and posterior.json get the marginal moments
//   E[W_ji] = E[z_i] mu_ji,   Var[W_ji] = Var[z_i] mu_ji^2 + sigma_ji^2,
// with E[z] and Var[z] estimated from kMomentDraws draws of a fixed seed (the
// flow has no closed-form moments): the same snapshot always gives the same
// numbers, within about sqrt(Var z / kMomentDraws) of the exact ones.
#include <mutex>
#include <vector>

#include "engine/methods/mnf/mnf_structure.h"
#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

class MnfPosterior final : public Posterior {
 public:
  static constexpr Index kMomentDraws = 1024;

  // noise[l]: layer l's q(z) parameters. fixedMultipliers: z = 1 (test hook).
  MnfPosterior(MlpKernel kernel, Vector likelihoodParameters, MnfStructure structure, Vector mean,
               Vector std, std::vector<Vector> noise, bool fixedMultipliers = false);

  void sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples, const RandomStream& rng,
                     int threads, std::vector<Matrix>& out) const override;
  void sampleMarginalOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                             const RandomStream& rng, int threads,
                             std::vector<Matrix>& out) const override;
  PosteriorSummary summary() const override;
  Vector flatMean() const override;
  Vector flatStd() const override;

  // The weights and biases of function draw s (z from rng.derive(s)).
  void sampleWeights(const RandomStream& rng, Index s, Real* weights) const;
  // n draws of layer l's z (D x n), from `stream`.
  void sampleMultipliers(Index l, RandomStream& stream, Eigen::Ref<Matrix> z) const;
  // The estimated E[z] and Var[z] of layer l (kMomentDraws seeded draws).
  const Vector& multiplierMean(Index l) const;
  const Vector& multiplierVariance(Index l) const;

  const Vector& conditionalMean() const { return m_mean; }  // mu
  const Vector& conditionalStd() const { return m_std; }    // sigma

 private:
  void computeMoments() const;

  MnfStructure m_structure;
  Vector m_mean, m_std;
  std::vector<Vector> m_noise;
  bool m_fixedMultipliers;
  mutable std::once_flag m_momentsOnce;
  mutable std::vector<Vector> m_zMean, m_zVariance;
  mutable Vector m_flatMean, m_flatStd;
};

BAYESLAB_END_NAMESPACE
