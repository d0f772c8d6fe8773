#pragma once
// q(z) of one MNF layer: the distribution of the multiplicative noise z, one
// entry per input unit (Louizos & Welling 2017). A diagonal Gaussian base
// pushed through a normalising flow,
//
//   z_0 = m + exp(lambda / 2) . eps,  eps ~ N(0, I),   z = f_K(... f_1(z_0)),
//   log q(z) = log q_0(z_0) - sum_k log |det df_k/dz_{k-1}|.
//
// The auxiliary bound uses E_{q_0}[log q_0] = -sum_i (log 2 pi + lambda_i + 1) / 2
// in place of log q_0(z_0) (the same expectation, less noise), as the paper's
// code does: log q(z) ~ E log q_0 - log det.
//
// Gradients are pathwise: dJ/dz_0 from the flow's backward pass, then
//   dJ/dm = dJ/dz_0,   dJ/dlambda = dJ/dz_0 . eps . exp(lambda / 2) / 2.
//
// Parameters, flat: [m (D) | lambda (D) | flow].
#include "engine/methods/mnf/normalising_flow.h"

BAYESLAB_BEGIN_NAMESPACE

class MultiplierDistribution {
 public:
  MultiplierDistribution() = default;
  MultiplierDistribution(Index dim, Index flowSteps, Index flowHidden)
      : m_flow(dim, flowSteps, flowHidden) {}

  Index dim() const { return m_flow.dim(); }
  const NormalisingFlow& flow() const { return m_flow; }
  Index parameterCount() const { return 2 * dim() + m_flow.parameterCount(); }
  // m ~ N(1, 0.1^2) (the noise starts near 1: the network starts near its
  // mean-field self), lambda = log 0.1 (as the paper's code), flow as its steps.
  void initialise(RandomStream& rng, Real* params) const;

  struct Tape {
    Matrix noise;         // eps (D x N); dJ/dlambda's summand after backward
    Matrix baseGradient;  // dJ/dz_0 after backward
    NormalisingFlow::Tape flow;
    void resize(const MultiplierDistribution& q, Index columns);
  };

  // Draws z (D x n, columns [begin, begin + n) of the tape) from `stream`: the
  // base noise first, then the flow's masks. If logDet: logDet[c] += the
  // flow's log-determinant of column c.
  void draw(const Real* params, Eigen::Ref<Matrix> z, Tape& tape, Index begin, RandomStream& stream,
            Real* logDet, NormalisingFlow::Scratch& scratch) const;
  // dz: dJ/dz in (overwritten). Leaves the base's gradient in the tape.
  // `transposed`: the flow's NormalisingFlow::transposeWeights(), or null.
  void backward(const Real* params, Eigen::Ref<Matrix> dz, Tape& tape, Index begin,
                Real logDetWeight, NormalisingFlow::Scratch& scratch,
                const Real* transposed = nullptr) const;
  // Gradient of (m, lambda) from columns [begin, begin + n) of a tape after
  // backward(), written to gradient[0 .. 2D) or added with accumulate.
  void baseGradient(const Real* params, const Tape& tape, Index begin, Index n, Real* gradient,
                    bool accumulate) const;
  // Gradient of all parameters (base and flow).
  void parameterGradient(const Real* params, const Tape& tape, Index begin, Index n, Real* gradient,
                         bool accumulate) const;

  // E_{q_0}[log q_0(z_0)] and, if gradient, adds scale * its derivative to the
  // lambda part of gradient (layout as the parameters).
  double expectedLogBase(const Real* params, Real scale, Real* gradient) const;

 private:
  NormalisingFlow m_flow;
};

BAYESLAB_END_NAMESPACE
