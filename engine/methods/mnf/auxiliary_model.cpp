#include "engine/methods/mnf/auxiliary_model.h"

#include <cmath>
#include <numbers>

#include "engine/core/gemm.h"

BAYESLAB_BEGIN_NAMESPACE

void AuxiliaryModel::initialise(RandomStream& rng, Real* params) const {
  const Index D = inputs();
  rng.fillNormal(params, 3 * D);
  ArrayMap(params, 3 * D) *= static_cast<Real>(1.0 / std::sqrt(static_cast<double>(D)));
  m_flow.initialise(rng, params + 3 * D);
}

void AuxiliaryModel::State::resize(const AuxiliaryModel& r) {
  const Index D = r.inputs(), O = r.outputs();
  if (cz.rows() != D || a.rows() != O) {
    cz.resize(D, 1);
    cc.resize(D, 1);
    a.resize(O, 1);
    spread.resize(O, 1);
    e.resize(O, 1);
    y.resize(D, 1);
    gMean.resize(O, 1);
    gVariance.resize(O, 1);
    dz.resize(D, 1);
  }
  tape.resize(r.flow(), 1);
  scratch.resize(r.flow(), 1);
}

double AuxiliaryModel::negativeLogDensity(const Real* params, const Real* mu, const Real* variance,
                                          const Real* z, RandomStream& stream, Real scale,
                                          Real* dParams, State& state) const {
  const Index D = inputs(), O = m_outputs;
  const ConstVectorMap c(params, D), b1(params + D, D), b2(params + 2 * D, D);
  const ConstVectorMap zv(z, D);
  state.resize(*this);
  state.cz.col(0) = c.cwiseProduct(zv);
  state.cc.col(0) = c.cwiseProduct(c);
  const ConstMatrixMap muW(mu, O, D), varW(variance, O, D);
  gemm(muW, Op::None, state.cz, Op::None, state.a);        // A
  gemm(varW, Op::None, state.cc, Op::None, state.spread);  // V
  state.spread = state.spread.array().sqrt().matrix();
  stream.fillNormal(state.e.data(), O);
  state.a = (state.a.array() + state.spread.array() * state.e.array()).tanh().matrix();
  const Real abar = state.a.mean();

  state.y.col(0) = zv;
  Real logDet = 0;
  m_flow.forward(params + 3 * D, state.y, state.tape, 0, stream, &logDet, state.scratch);

  // nu = b1 abar, rho = b2 abar.
  const auto diff = state.y.col(0).array() - b1.array() * abar;
  const auto rho = b2.array() * abar;
  const auto precision = rho.exp();
  const double value =
      -static_cast<double>(logDet) +
      static_cast<double>((Real(0.5) * precision * diff.square() - Real(0.5) * rho).sum()) +
      0.5 * static_cast<double>(D) * std::log(2.0 * std::numbers::pi);
  if (!dParams) return value;

  VectorMap dc(dParams, D), db1(dParams + D, D), db2(dParams + 2 * D, D);
  dc.setZero();
  // dJ/dnu into db1, dJ/drho into db2 for now.
  db1.array() = -scale * precision * diff;
  db2.array() = scale * Real(0.5) * (precision * diff.square() - Real(1));
  const Real dAbar = (b1.array() * db1.array() + b2.array() * db2.array()).sum();
  state.dz.col(0) = -db1;  // dJ/dy = s prec diff = -dJ/dnu
  db1 *= abar;
  db2 *= abar;
  state.gMean = ((Real(1) - state.a.array().square()) * (dAbar / static_cast<Real>(O))).matrix();
  state.gVariance =
      (state.gMean.array() * state.e.array() * Real(0.5) / state.spread.array()).matrix();
  m_flow.backward(params + 3 * D, state.dz, state.tape, 0, -scale, state.scratch);
  m_flow.parameterGradient(params + 3 * D, state.tape, 0, 1, dParams + 3 * D, false);
  return value;
}

void AuxiliaryModel::conditionalGradient(const Real* params, const Real* mu, const Real* sigma,
                                         const Real* z, Index begin, Index n, const State& state,
                                         Real* dMean, Real* dSigma, Real* dParams) const {
  const Index O = m_outputs;
  const Real* c = params;
  const auto gA = state.gMean.col(0).array();
  const auto gV = state.gVariance.col(0).array();
  for (Index k = 0; k < n; ++k) {
    const Index i = begin + k;
    const ConstArrayMap muCol(mu + i * O, O), sigmaCol(sigma + i * O, O);
    ArrayMap(dMean + k * O, O) = gA * c[i];
    ArrayMap(dSigma + k * O, O) = Real(2) * c[i] * c[i] * sigmaCol * gV;
    dParams[i] = z[i] * (muCol * gA).sum() + Real(2) * c[i] * (sigmaCol.square() * gV).sum();
  }
}

BAYESLAB_END_NAMESPACE
