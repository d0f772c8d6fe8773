#pragma once
// The K-sample bounds of semi-implicit VI on the ELBO.
//
// q(w) = E_{psi ~ q(psi)} N(w; psi, diag sigma^2) has no closed-form density,
// so the ELBO E_q[log p(D, w) - log q(w)] cannot be evaluated. Draw psi_0 from
// the mixing distribution, w = psi_0 + sigma * e from q(w | psi_0), and K
// further independent draws psi_1..psi_K. Then
//
//   L_K = E[ log p(D, w) - log (1/(K+1)) sum_{k=0..K} q(w | psi_k) ]  <=  ELBO
//   L^K = E[ log p(D, w) - log (1/K)     sum_{k=1..K} q(w | psi_k) ]  >=  ELBO
//
// L_K is non-decreasing and L^K non-increasing in K, and both tend to the
// ELBO as K -> infinity: the average that contains the psi_0 which produced w
// over-estimates log q(w) in expectation (psi_0 is, given w, a draw from the
// posterior q(psi | w)), the average without it is an importance-sampling
// estimate of q(w) with proposal q(psi), whose log under-estimates log q(w)
// (Jensen), as in IWAE.
//
// References: Yin & Zhou (2018), Semi-Implicit Variational Inference, ICML
// (the lower bound L_K, trained, and its monotonicity in K); Molchanov,
// Kharitonov, Sobolev & Vetrov (2019), Doubly Semi-Implicit Variational
// Inference, AISTATS (the sandwich L_K <= ELBO <= L^K, both asymptotically
// exact); Sobolev & Vetrov (2019), Importance Weighted Hierarchical
// Variational Inference, NeurIPS (both as bounds on log q(w)).
//
// With the Gaussian kernel N(w; psi_k, diag sigma^2), in standardised units
// u = (w - m) / sigma and z_k = (psi_k - m) / sigma (any fixed m: the method
// uses the mixing network's m),
//   a_k = log q(w | psi_k) = -1/2 |u - z_k|^2 - sum_i log sigma_i - (P/2) log 2 pi,
// where only the first term differs between the k. With r_k = exp(a_k) /
// sum_j exp(a_j) (j = 0..K) the gradient of lambda = log (1/(K+1)) sum_k
// exp(a_k) with respect to u and each z_k (sigma's -1/sigma is the method's) is
//   d lambda / du    = -sum_k r_k (u - z_k),
//   d lambda / dz_k  =  r_k (u - z_k).
// (The method adds the path u = z_0 + e.) The upper bound is only reported,
// never differentiated.
#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

// The two estimates of log q(w) from one draw.
struct KSampleLogDensity {
  double withOwn = 0.0;     // log (1/(K+1)) sum_{k=0..K} q(w | psi_k): gives L_K
  double withoutOwn = 0.0;  // log (1/K) sum_{k=1..K} q(w | psi_k): gives L^K
};

// From a[0..K] = log q(w | psi_k) (a[0] at the psi_0 that produced w); K >= 1.
// If responsibilities is given, writes r_k (K+1 values, summing to 1).
KSampleLogDensity kSampleLogDensity(const double* a, Index K, double* responsibilities = nullptr);

// Adds -1/2 sum_{i < n} (u_i - z_ik)^2 to quadratic[k] for every column k of
// z (n x (K+1)): a block's share of the a_k without their common constants.
void addKernelQuadratic(const Real* u, const Eigen::Ref<const Matrix>& z, Index n,
                        double* quadratic);

// The gradient of scale * lambda over a block of n weights, from the
// responsibilities r (K+1): adds scale * d lambda/du to dU and overwrites z
// (n x (K+1)) with scale * d lambda/dz_k (the caller's buffer is reused: z is
// not needed afterwards). If dLogScale is given, adds
//   scale * sum_k r_k (u - z_k) (z_k - z_0),
// the derivative with respect to log t_i when every offset is scaled per
// weight, z_k -> t z_k, with the kernel noise e = u - z_0 held fixed (the
// standardised offsets z / sigma depend on sigma that way).
void addKSampleGradient(const Real* u, Eigen::Ref<Matrix> z, Index n, const double* r, Real scale,
                        Real* dU, Real* dLogScale = nullptr);

BAYESLAB_END_NAMESPACE
