#pragma once
// One masked RealNVP coupling step, the flow step of multiplicative normalising
// flows (Louizos & Welling 2017, after Dinh, Sohl-Dickstein & Bengio 2017), on
// a D-dimensional z with a tanh hidden layer of H units and a Bernoulli(1/2)
// mask m drawn afresh for every draw (every column):
//
//   h  = tanh(W_in (m . z) + b_in)                       (H)
//   [mu; s] = W_out h + b_out,   g = sigmoid(s)          (D each)
//   z' = m . z + (1 - m) . (g . z + (1 - g) . mu)
//   log |det dz'/dz| = sum_i (1 - m_i) log g_i.
//
// Entries with m_i = 1 pass through and alone feed h, so the Jacobian is
// triangular (after a permutation) with diagonal m_i + (1 - m_i) g_i.
// Inverse (same mask): h, mu and g follow from the kept entries m . z' = m . z,
// then z_i = (z'_i - (1 - g_i) mu_i) / g_i where m_i = 0.
//
// Backward, given dz' = dJ/dz' and a weight gamma of the log-determinant in J:
//   dmu = (1 - m)(1 - g) dz',   ds = (1 - m)(1 - g) (g (z - mu) dz' + gamma),
//   dpre = (1 - h^2) . (W_out^T [dmu; ds]),   du = W_in^T dpre,
//   dz  = (m + (1 - m) g) . dz' + m . du,
//   dW_in = dpre (m . z)^T,  db_in = sum dpre,  dW_out = [dmu; ds] h^T,  db_out = sum [dmu; ds]
// (sums over columns). Columns are independent draws: every product runs over
// a block of columns at once (gemm), never one draw at a time.
//
// Parameters, flat: [W_in (H x D) | b_in (H) | W_out (2D x H) | b_out (2D)],
// 3 H D + H + 2 D of them; b_out's gate half starts at 2 (g ~ 0.88: the step
// starts close to the identity), as in the paper's code.
#include "engine/core/random.h"
#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

class CouplingFlow {
 public:
  CouplingFlow(Index dim, Index hidden) : m_dim(dim), m_hidden(hidden) {}

  Index dim() const { return m_dim; }
  Index hidden() const { return m_hidden; }
  Index parameterCount() const { return 3 * m_hidden * m_dim + m_hidden + 2 * m_dim; }
  // W ~ N(0, 1 / fan_in), b_in = 0, mean bias 0, gate bias 2.
  void initialise(RandomStream& rng, Real* params) const;

  // z (D x n) becomes z'. Keeps for backward: `input` = z, `hidden` = h (H x n),
  // `out` = [mu; g] (2D x n). `u` is scratch (D x n). If logDet: logDet[c] +=
  // log-determinant of column c.
  void forward(const Real* params, const Eigen::Ref<const Matrix>& mask, Eigen::Ref<Matrix> z,
               Eigen::Ref<Matrix> input, Eigen::Ref<Matrix> hidden, Eigen::Ref<Matrix> out,
               Eigen::Ref<Matrix> u, Real* logDet) const;

  // dz (D x n): dJ/dz' in, dJ/dz out; `logDetWeight` is gamma. Leaves what
  // parameterGradient() needs: `input` becomes m . z, `out` becomes [dmu; ds],
  // `dpre` (H x n) the hidden layer's pre-activation gradient. `du` is scratch.
  // `transposed`: the weights as transposeWeights() writes them, or null (then
  // each product transposes its own copy).
  void backward(const Real* params, const Eigen::Ref<const Matrix>& mask, Eigen::Ref<Matrix> input,
                const Eigen::Ref<const Matrix>& hidden, Eigen::Ref<Matrix> out,
                Eigen::Ref<Matrix> dpre, Eigen::Ref<Matrix> dz, Real logDetWeight,
                Eigen::Ref<Matrix> du, const Real* transposed = nullptr) const;

  // [W_in^T (D x H) | W_out^T (H x 2D)]: what backward() multiplies by, made
  // once per step when many blocks of columns share the weights.
  Index transposedCount() const { return 3 * m_hidden * m_dim; }
  void transposeWeights(const Real* params, Real* transposed) const;

  // The parameters' gradient summed over the columns of a backward pass's
  // results (maskedInput = m . z, hidden, outGradient = [dmu; ds], dpre):
  // written to gradient, or added with accumulate.
  void parameterGradient(const Eigen::Ref<const Matrix>& maskedInput,
                         const Eigen::Ref<const Matrix>& hidden,
                         const Eigen::Ref<const Matrix>& outGradient,
                         const Eigen::Ref<const Matrix>& dpre, Real* gradient,
                         bool accumulate) const;

  // z' (D x n) becomes z for the same mask (`hidden`, `out` are scratch).
  void inverse(const Real* params, const Eigen::Ref<const Matrix>& mask, Eigen::Ref<Matrix> z,
               Eigen::Ref<Matrix> hidden, Eigen::Ref<Matrix> out, Eigen::Ref<Matrix> u) const;

 private:
  // Views of the flat parameters.
  struct View {
    ConstMatrixMap wIn;
    ConstVectorMap bIn;
    ConstMatrixMap wOut;
    ConstVectorMap bOut;
  };
  View view(const Real* params) const;
  // hidden = tanh(W_in u + b_in), out = [mu; s] (pre-sigmoid).
  void hiddenAndOut(const View& v, const Eigen::Ref<const Matrix>& u, Eigen::Ref<Matrix> hidden,
                    Eigen::Ref<Matrix> out) const;

  Index m_dim, m_hidden;
};

// Bernoulli(1/2) values (0 or 1), 64 per draw from the stream.
void fillHalfBernoulli(RandomStream& stream, Real* out, Index n);
// out (cols x rows, column-major) = a^T.
void transposeInto(const Eigen::Ref<const Matrix>& a, Real* out);

BAYESLAB_END_NAMESPACE
