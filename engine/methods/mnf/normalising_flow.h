#pragma once
// A normalising flow of K steps on a D-dimensional variable, applied to many
// independent draws at once (one per column): masked RealNVP coupling steps
// (CouplingFlow, H hidden units, a fresh Bernoulli(1/2) mask per draw and
// step) when D > 1, planar steps (PlanarFlow) when D = 1, as in Louizos &
// Welling 2017. With z_K = f_K(... f_1(z_0)),
//
//   log q(z_K) = log q(z_0) - sum_k log |det df_k/dz_{k-1}|,
//
// and forward() returns that sum per column. backward() takes dJ/dz_K and a
// weight gamma of the log-determinant sum in J, and returns dJ/dz_0; the
// parameters' gradient is then one product per matrix over all columns of a
// tape (parameterGradient), so a minibatch of draws costs a few gemm()s per
// step, not a loop over draws.
//
// Parameters, flat: the K steps' parameters one after another.
#include <vector>

#include "engine/methods/mnf/coupling_flow.h"
#include "engine/methods/mnf/planar_flow.h"

BAYESLAB_BEGIN_NAMESPACE

class NormalisingFlow {
 public:
  NormalisingFlow() = default;
  NormalisingFlow(Index dim, Index steps, Index hidden);

  Index dim() const { return m_dim; }
  Index steps() const { return m_steps; }
  Index hidden() const { return m_hidden; }
  bool planar() const { return m_dim == 1; }
  Index stepParameterCount() const;
  Index parameterCount() const { return m_steps * stepParameterCount(); }
  void initialise(RandomStream& rng, Real* params) const;

  // What backward() needs, for `columns` draws; a unit of work uses a block of
  // columns [begin, begin + n) of it.
  struct Tape {
    std::vector<Matrix> input;   // per step: its input z (D x N); m . z after backward
    std::vector<Matrix> mask;    // coupling: D x N
    std::vector<Matrix> hidden;  // coupling: h (H x N); planar: t (1 x N)
    std::vector<Matrix> out;     // coupling: [mu; g] then [dmu; ds] (2D x N); planar: dz' (D x N)
    std::vector<Matrix> dpre;    // coupling: H x N; planar: [ds; dk] (2 x N)
    Index columns = -1;
    void resize(const NormalisingFlow& flow, Index columns);
  };
  // Per-unit scratch for n columns.
  struct Scratch {
    Matrix u, du;
    void resize(const NormalisingFlow& flow, Index columns);
  };

  // z (D x n, the columns [begin, begin + n) of the tape) is transformed in
  // place. Masks come from `maskStream` (D x n per coupling step, in step
  // order). If logDet: logDet[c] += the column's log-determinant.
  void forward(const Real* params, Eigen::Ref<Matrix> z, Tape& tape, Index begin,
               RandomStream& maskStream, Real* logDet, Scratch& scratch) const;
  // dz: dJ/dz_K in, dJ/dz_0 out (columns [begin, begin + n) of the tape).
  // `transposed`: the steps' weights from transposeWeights(), or null.
  void backward(const Real* params, Eigen::Ref<Matrix> dz, Tape& tape, Index begin,
                Real logDetWeight, Scratch& scratch, const Real* transposed = nullptr) const;
  // The coupling steps' transposed weights (CouplingFlow::transposeWeights),
  // step after step; none for planar steps.
  Index transposedCount() const;
  void transposeWeights(Index step, const Real* params, Real* transposed) const;
  // Gradient of the parameters from columns [begin, begin + n) of a tape after
  // backward(); written to `gradient`, or added with accumulate.
  void parameterGradient(const Real* params, const Tape& tape, Index begin, Index n, Real* gradient,
                         bool accumulate) const;
  // One step's share of parameterGradient (for splitting the work).
  void stepGradient(Index step, const Real* params, const Tape& tape, Index begin, Index n,
                    Real* gradient, bool accumulate) const;

  // Coupling steps only: undoes forward() given the masks it used (the tape's).
  void inverse(const Real* params, Eigen::Ref<Matrix> z, const Tape& tape, Index begin,
               Scratch& scratch, Matrix& hidden, Matrix& out) const;

 private:
  Index m_dim = 0, m_steps = 0, m_hidden = 0;
};

BAYESLAB_END_NAMESPACE
