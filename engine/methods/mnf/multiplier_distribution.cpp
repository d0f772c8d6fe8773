#include "engine/methods/mnf/multiplier_distribution.h"

#include <cmath>
#include <numbers>

BAYESLAB_BEGIN_NAMESPACE

void MultiplierDistribution::initialise(RandomStream& rng, Real* params) const {
  const Index D = dim();
  ArrayMap m(params, D);
  rng.fillNormal(m.data(), D);
  m = Real(1) + Real(0.1) * m;
  ArrayMap(params + D, D).setConstant(static_cast<Real>(std::log(0.1)));
  m_flow.initialise(rng, params + 2 * D);
}

void MultiplierDistribution::Tape::resize(const MultiplierDistribution& q, Index columns) {
  if (noise.rows() != q.dim() || noise.cols() != columns) {
    noise.resize(q.dim(), columns);
    baseGradient.resize(q.dim(), columns);
  }
  flow.resize(q.flow(), columns);
}

void MultiplierDistribution::draw(const Real* params, Eigen::Ref<Matrix> z, Tape& tape, Index begin,
                                  RandomStream& stream, Real* logDet,
                                  NormalisingFlow::Scratch& scratch) const {
  const Index D = dim(), n = z.cols();
  auto eps = tape.noise.middleCols(begin, n);
  stream.fillNormal(eps.data(), eps.size());
  const ConstVectorMap m(params, D), lambda(params + D, D);
  // exp(lambda / 2) per row, broadcast over the columns.
  for (Index c = 0; c < n; ++c)
    z.col(c).array() = m.array() + (Real(0.5) * lambda.array()).exp() * eps.col(c).array();
  m_flow.forward(params + 2 * D, z, tape.flow, begin, stream, logDet, scratch);
}

void MultiplierDistribution::backward(const Real* params, Eigen::Ref<Matrix> dz, Tape& tape,
                                      Index begin, Real logDetWeight,
                                      NormalisingFlow::Scratch& scratch,
                                      const Real* transposed) const {
  const Index n = dz.cols();
  m_flow.backward(params + 2 * dim(), dz, tape.flow, begin, logDetWeight, scratch, transposed);
  tape.baseGradient.middleCols(begin, n) = dz;
  // dJ/dlambda's summand: dJ/dz_0 . eps . exp(lambda / 2) / 2.
  const ConstVectorMap lambda(params + dim(), dim());
  auto noise = tape.noise.middleCols(begin, n);
  for (Index c = 0; c < n; ++c)
    noise.col(c).array() *= dz.col(c).array() * Real(0.5) * (Real(0.5) * lambda.array()).exp();
}

void MultiplierDistribution::baseGradient(const Real* params, const Tape& tape, Index begin,
                                          Index n, Real* gradient, bool accumulate) const {
  const Index D = dim();
  (void)params;
  VectorMap dm(gradient, D), dLambda(gradient + D, D);
  if (!accumulate) {
    dm.setZero();
    dLambda.setZero();
  }
  // Column by column: a fixed order of additions whatever n.
  for (Index c = begin; c < begin + n; ++c) {
    dm += tape.baseGradient.col(c);
    dLambda += tape.noise.col(c);
  }
}

void MultiplierDistribution::parameterGradient(const Real* params, const Tape& tape, Index begin,
                                               Index n, Real* gradient, bool accumulate) const {
  baseGradient(params, tape, begin, n, gradient, accumulate);
  m_flow.parameterGradient(params + 2 * dim(), tape.flow, begin, n, gradient + 2 * dim(),
                           accumulate);
}

double MultiplierDistribution::expectedLogBase(const Real* params, Real scale,
                                               Real* gradient) const {
  const Index D = dim();
  const ConstArrayMap lambda(params + D, D);
  if (gradient) ArrayMap(gradient + D, D) -= Real(0.5) * scale;
  return -0.5 * (static_cast<double>(D) * (std::log(2.0 * std::numbers::pi) + 1.0) +
                 static_cast<double>(lambda.sum()));
}

BAYESLAB_END_NAMESPACE
