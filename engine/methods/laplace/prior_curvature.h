#pragma once
// The prior's part of the Laplace precision: -d^2/dw_i^2 log p(w) at the mode,
// entry by entry (every prior in the engine is a product over entries). Taken by
// central differences of the prior's own gradient, so any prior works: exact up
// to rounding for Gaussians (1 / s^2, or 1 / s_i^2 for the per-entry prior of
// sequential learning, whose gradient is linear), the local curvature for the
// others. Negative curvature (Student-t tails) is clamped to 0: the Laplace
// approximation needs a positive definite precision.
#include <Eigen/Dense>

#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

// Curvature of entries [begin, begin + count) of w (P values).
Eigen::VectorXd priorCurvature(const Prior& prior, const Real* w, Index begin, Index count);

BAYESLAB_END_NAMESPACE
