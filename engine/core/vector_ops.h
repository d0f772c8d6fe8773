#pragma once
// Element-wise operations Eigen 3.4 does not vectorise.
//
// Eigen 3.4 evaluates select() and comparisons one coefficient at a time (their
// functors have no packet path), which made masks the slowest part of the hot
// loops. These functors give the same results with packet instructions.
#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

// value where mask > 0, else 0 (the ReLU derivative applied to a gradient).
struct PositiveMaskOp {
  template <class Scalar>
  Scalar operator()(const Scalar& value, const Scalar& mask) const {
    return mask > Scalar(0) ? value : Scalar(0);
  }
  template <class Packet>
  Packet packetOp(const Packet& value, const Packet& mask) const {
    return Eigen::internal::pand(value, Eigen::internal::pcmp_lt(Eigen::internal::pzero(mask), mask));
  }
};

BAYESLAB_END_NAMESPACE

namespace Eigen::internal {
template <>
struct functor_traits<bayeslab::PositiveMaskOp> {
  enum { Cost = 2, PacketAccess = packet_traits<bayeslab::Real>::HasCmp };
};
}  // namespace Eigen::internal
