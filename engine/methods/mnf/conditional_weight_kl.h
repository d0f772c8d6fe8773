#pragma once
// KL(q(W | z) || p(W)) for a block of one MNF layer's weights, given the
// multiplicative noise z:
//
//   q(W_ji | z) = N(M_ji, sigma_ji^2),   M_ji = z_i mu_ji   (j an output, i an input column).
//
// In closed form through prior.klGaussian() at the means M when the prior has
// one (entry by entry, with the entries' flat offsets, so the previous
// posterior of sequential learning works as a prior); otherwise the one-sample
// Monte Carlo estimate log q(w | z) - log p(w) at w = M + sigma eps,
// differentiated through w (as Blundell et al.).
//
// The gradient is taken with respect to (M, sigma) and added to the caller's
// buffers, where the other term that sees W only through q(W | z) (r's
// c^T W, AuxiliaryModel::conditionalGradient) has put its own; one chain rule
// (chainConditionalGradient) then takes the sum to the parameters:
//   dJ/dmu_ji += z_i dJ/dM_ji,  dJ/dlog sigma_ji += sigma_ji dJ/dsigma_ji,
//   dJ/dz_i = sum_j mu_ji dJ/dM_ji.
#include "engine/core/random.h"
#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

class ConditionalWeightKl {
 public:
  // Entries: `columns` columns of `rows` values each, contiguous from mu, sigma
  // (flat offset context.offset for the prior). z: one value per column, or
  // null for z = 1 (the biases). If dMean: adds scale * dKL/dM to dMean and
  // scale * dKL/dsigma to dSigma (rows x columns each). `mc` is the noise of
  // the Monte Carlo estimate.
  double evaluate(const Prior& prior, Index rows, Index columns, const Real* mu, const Real* sigma,
                  const Real* z, Real scale, Real* dMean, Real* dSigma, PriorContext context,
                  RandomStream& mc);

 private:
  // Scratch, grown to the largest block.
  Vector m_mean, m_eps, m_dWeight;
};

// The chain rule from (M, sigma) to (mu, log sigma, z) for the same block:
// adds to dMu and dLogSigma, writes dz (one per column; not touched if z is null).
void chainConditionalGradient(Index rows, Index columns, const Real* mu, const Real* sigma,
                              const Real* z, const Real* dMean, const Real* dSigma, Real* dMu,
                              Real* dLogSigma, Real* dz);

BAYESLAB_END_NAMESPACE
