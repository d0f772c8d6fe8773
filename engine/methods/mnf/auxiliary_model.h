#pragma once
// The auxiliary inverse model r(z | W) of one MNF layer (Louizos & Welling
// 2017, section 3.2). q(z) is not known in closed form once W is integrated
// out, so the bound uses r(z | W) in place of q(z | W):
//
//   ELBO >= E_{q(z) q(W|z)} [log p(y|x,W) + log p(W) - log q(W|z) + log r(z|W) - log q(z)],
//
// looser than the true ELBO by E_{q(W)} KL(q(z|W) || r(z|W)).
//
// r is a diagonal Gaussian after its own normalising flow y = f_r(z):
//   log r(z | W) = log N(y; nu, diag(exp(-rho))) + log |det dy/dz|,
//   nu = b1 abar,  rho = b2 abar  (rho the log precision),
//   abar = (1/O) sum_j tanh(a_j),   a = c^T W  (O outputs),
// and since W | z is Gaussian, c^T W is read through local
// reparameterisation: a_j = A_j + sqrt(V_j) e_j, e_j ~ N(0, 1), with
//   A_j = sum_i c_i z_i mu_ji,   V_j = sum_i c_i^2 sigma_ji^2.
//
// Gradients of J = scale * (-log r): with prec = exp(rho), diff = y - nu,
//   dJ/dy = s prec diff,  dJ/dnu = -s prec diff,  dJ/drho = s (prec diff^2 - 1) / 2,
//   dJ/db1 = abar dJ/dnu,  dJ/db2 = abar dJ/drho,
//   gA_j = dJ/dA_j = (1 - tanh^2 a_j) / O * sum_i (b1_i dJ/dnu_i + b2_i dJ/drho_i),
//   gV_j = dJ/dV_j = gA_j e_j / (2 sqrt(V_j)),
// and per input column i (conditionalGradient), through the conditional means
// M_ji = z_i mu_ji and the sds of q(W | z):
//   dJ/dM_ji = gA_j c_i,  dJ/dsigma_ji = 2 sigma_ji gV_j c_i^2,
//   dJ/dc_i = z_i (mu^T gA)_i + 2 c_i (sigma^2 T gV)_i,
// besides dJ/dz through the flow (weight -s on its log-determinant).
//
// Parameters, flat: [c (D) | b1 (D) | b2 (D) | flow].
#include "engine/methods/mnf/normalising_flow.h"

BAYESLAB_BEGIN_NAMESPACE

class AuxiliaryModel {
 public:
  AuxiliaryModel() = default;
  AuxiliaryModel(Index inputs, Index outputs, Index flowSteps, Index flowHidden)
      : m_outputs(outputs), m_flow(inputs, flowSteps, flowHidden) {}

  Index inputs() const { return m_flow.dim(); }
  Index outputs() const { return m_outputs; }
  const NormalisingFlow& flow() const { return m_flow; }
  Index parameterCount() const { return 3 * inputs() + m_flow.parameterCount(); }
  // c, b1, b2 ~ N(0, 1 / D); the flow as its steps.
  void initialise(RandomStream& rng, Real* params) const;

  // One evaluation's values, kept for the gradient.
  struct State {
    Matrix cz, cc;            // c . z and c^2 (D x 1)
    Matrix a, spread, e;      // A then tanh(a); sqrt(V); noise (O x 1)
    Matrix y;                 // f_r(z) (D x 1)
    Matrix gMean, gVariance;  // gA, gV (O x 1)
    Matrix dz;                // dJ/dz through the flow and r's density (D x 1)
    NormalisingFlow::Tape tape;
    NormalisingFlow::Scratch scratch;
    void resize(const AuxiliaryModel& r);
  };

  // Returns -log r(z | W) for one z (D) and W ~ q(W | z) with means z_i mu_ji
  // and variances `variance` (mu, variance: O x D, column-major), its noise
  // drawn from `stream` (e, then the flow's masks). If dParams: writes scale *
  // the gradient of (b1, b2, flow) into dParams (c's part is left to
  // conditionalGradient) and keeps gA, gV and dJ/dz in the state.
  double negativeLogDensity(const Real* params, const Real* mu, const Real* variance, const Real* z,
                            RandomStream& stream, Real scale, Real* dParams, State& state) const;

  // Input columns [begin, begin + n) (after negativeLogDensity with dParams):
  // writes dJ/dM = gA c_i and dJ/dsigma = 2 sigma gV c_i^2 (O x n, M = z_i mu_ji
  // the conditional means, see ConditionalWeightKl) and dc for those columns.
  void conditionalGradient(const Real* params, const Real* mu, const Real* sigma, const Real* z,
                           Index begin, Index n, const State& state, Real* dMean, Real* dSigma,
                           Real* dParams) const;

 private:
  Index m_outputs = 0;
  NormalisingFlow m_flow;
};

BAYESLAB_END_NAMESPACE
