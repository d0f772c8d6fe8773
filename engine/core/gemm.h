#pragma once
// Dense products of the hot paths (the network's forward and backward passes,
// the local-reparameterisation, Flipout and dropout kernels):
//
//   C = op(A) op(B)   or   C += op(A) op(B),   op(X) = X or X^T.
//
// With libxsmm (Debian's libxsmm-dev, found at configure time) a product runs
// in a kernel that libxsmm generates for its exact shape: on the small
// matrices of this tool (a 64 x 64 layer times a 32-column batch chunk) that
// measured 115 GFLOP/s on one core against Eigen's 80, and as fast on
// 400 x 784. libxsmm's generated kernels take no transposed A, so A^T is first
// copied out with libxsmm's transpose (0.2 us for 64 x 64). Products with a
// very thin A (fewer than kMinRows rows: a 1- or 2-output layer) and builds
// without libxsmm use Eigen. Either way the result of a product does not depend
// on the thread that computes it.
#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

enum class Op { None, Transpose };

// C (rows x cols, any outer stride) = op(A) op(B), or += with accumulate.
// C must not overlap A or B. Never allocates once its per-thread scratch has
// grown to the largest transposed A.
void gemm(const Eigen::Ref<const Matrix>& a, Op opA, const Eigen::Ref<const Matrix>& b, Op opB,
          Eigen::Ref<Matrix> c, bool accumulate = false);

// "libxsmm 1.17 (avx512)" or "Eigen": what gemm() runs on, for the bench report.
const char* gemmBackend();

BAYESLAB_END_NAMESPACE
