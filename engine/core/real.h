#pragma once
// The scalar type of the engine and the Eigen types built on it.
//
// The engine is compiled twice from the same sources: in single precision (the
// library the applications link, fast) and in double precision (used by the
// finite-difference gradient checks). Each build lives in its own inline
// namespace so both can coexist; user code always writes `bayeslab::`.

#include <Eigen/Core>
#include <cstdint>

#if defined(BAYESLAB_DOUBLE_PRECISION)
#define BAYESLAB_BEGIN_NAMESPACE \
  namespace bayeslab {           \
  inline namespace f64 {
#else
#define BAYESLAB_BEGIN_NAMESPACE \
  namespace bayeslab {           \
  inline namespace f32 {
#endif
#define BAYESLAB_END_NAMESPACE \
  }                            \
  }

BAYESLAB_BEGIN_NAMESPACE

#if defined(BAYESLAB_DOUBLE_PRECISION)
using Real = double;
#else
using Real = float;
#endif

using Index = Eigen::Index;
using Matrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>;  // column-major
using Vector = Eigen::Matrix<Real, Eigen::Dynamic, 1>;
using RowVector = Eigen::Matrix<Real, 1, Eigen::Dynamic>;
using ArrayX = Eigen::Array<Real, Eigen::Dynamic, 1>;
using MatrixMap = Eigen::Map<Matrix>;
using ConstMatrixMap = Eigen::Map<const Matrix>;
using VectorMap = Eigen::Map<Vector>;
using ConstVectorMap = Eigen::Map<const Vector>;
using ArrayMap = Eigen::Map<ArrayX>;
using ConstArrayMap = Eigen::Map<const ArrayX>;
using IndexVector = Eigen::Matrix<int, Eigen::Dynamic, 1>;

BAYESLAB_END_NAMESPACE
