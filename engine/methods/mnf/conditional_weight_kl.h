#pragma once
// KL(q(W | z) || p(W)) for a block of one MNF layer's weights, given the
// multiplicative noise z:
//
//   q(W_ji | z) = N(z_i mu_ji, sigma_ji^2)   (j an output, i an input column).
//
// In closed form through prior.klGaussian() at the means z_i mu_ji when the
// prior has one (entry by entry, with the entries' flat offsets, so the
// previous posterior of sequential learning works as a prior); otherwise the
// one-sample Monte Carlo estimate log q(w | z) - log p(w) at
// w = z_i mu_ji + sigma_ji eps_ji, differentiated through w (as Blundell et al.).
//
// Gradients with scale s, M = the means z_i mu_ji:
//   dJ/dmu_ji += s z_i dKL/dM_ji,  dJ/dlog sigma_ji += s sigma_ji dKL/dsigma_ji,
//   dJ/dz_i += s sum_j mu_ji dKL/dM_ji.
#include "engine/core/random.h"
#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

class ConditionalWeightKl {
 public:
  // Entries: `columns` columns of `rows` values each, contiguous from mu, sigma
  // (and flat offset `offset` for the prior). z: one value per column, or null
  // for z = 1 (the biases). Adds to dMu, dLogSigma and (unless z is null) dz
  // when dMu is given; `mc` is the noise of the Monte Carlo estimate.
  double evaluate(const Prior& prior, Index rows, Index columns, const Real* mu, const Real* sigma,
                  const Real* z, Real scale, Real* dMu, Real* dLogSigma, Real* dz,
                  PriorContext context, RandomStream& mc);

 private:
  // Scratch, grown to the largest block.
  Vector m_mean, m_dMean, m_dSigma, m_eps;
};

BAYESLAB_END_NAMESPACE
