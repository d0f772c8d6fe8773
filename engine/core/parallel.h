#pragma once
// Thread-count-independent parallel loops.
//
// Work is always split into the same units whatever the thread count (a
// minibatch chunk, a block of parameters, an ensemble member); threads only
// decide who computes which unit, and reductions run over units in a fixed
// order afterwards. That is what makes results for a fixed seed identical for
// 1 and N threads. Eigen's own threading is disabled (EIGEN_DONT_PARALLELIZE)
// so products inside a unit are always single-threaded and never oversubscribe.

#include "engine/core/real.h"
#include "engine/core/thread_pool.h"
#if defined(BAYESLAB_PARALLEL_OPENMP)
#include <omp.h>

#include "engine/core/floating_point.h"
#endif

BAYESLAB_BEGIN_NAMESPACE

// Runs fn(i) for i in [0, count) on up to `threads` threads. `fn` must not
// throw and must only write to state owned by unit i.
//
// Two backends, chosen when configuring (-DBAYESLAB_PARALLEL=team|openmp):
// the default, this thread's team of helpers (thread_pool.h), or an OpenMP
// parallel region handing out one unit at a time (schedule(dynamic, 1)). The
// units are the same, so results are identical for either backend and any
// thread count. A loop started from inside a unit runs serially.
template <class Fn>
void parallelFor(int threads, Index count, Fn&& fn) {
#if defined(BAYESLAB_PARALLEL_OPENMP)
  if (threads <= 1 || count <= 1 || omp_in_parallel()) {
    for (Index i = 0; i < count; ++i) fn(i);
    return;
  }
  // libgomp's threads keep the floating-point mode they were created with;
  // each takes the caller's, as the team's helpers do.
  const FloatingPointMode mode = floatingPointMode();
  const int participants = static_cast<int>(std::min<Index>(threads, count));
#pragma omp parallel num_threads(participants)
  {
    setFloatingPointMode(mode);
#pragma omp for schedule(dynamic, 1)
    for (Index i = 0; i < count; ++i) fn(i);
  }
#else
  if (threads <= 1 || count <= 1 || ThreadTeam::insideUnit()) {
    for (Index i = 0; i < count; ++i) fn(i);
    return;
  }
  ThreadTeam::forThisThread().run(threads, count, UnitFunction(fn));
#endif
}

// The fixed partition of [0, total) into `parts` contiguous ranges.
struct Range {
  Index begin = 0;
  Index size = 0;
  Index end() const { return begin + size; }
};
inline Range partRange(Index total, Index parts, Index part) {
  const Index base = total / parts, extra = total % parts;
  const Index begin = part * base + std::min(part, extra);
  return {begin, base + (part < extra ? 1 : 0)};
}

// Number of units a range of `total` items is cut into, given a preferred unit
// size; depends only on the problem's shape, never on the thread count.
inline Index unitCount(Index total, Index preferredUnit, Index maxUnits) {
  if (total <= 0) return 1;
  const Index units = (total + preferredUnit - 1) / preferredUnit;
  return std::max<Index>(1, std::min(units, maxUnits));
}

// Element-wise work over a parameter vector (weight draws, softplus, KL terms,
// gradient reductions, optimiser updates) is cut into blocks of about 2048
// values, at most 64 of them: fixed by the size alone, so the random streams
// derived per block do not depend on the thread count. The count is even, so
// two threads share the blocks equally (3 blocks of a 1-64-64-1 network's
// 4,353 weights left one thread idle for a third of each pass; 4 measured 12 %
// faster on w1). Smaller blocks (512, 1024 values) measured slower: each block
// costs a claim, and the blocks are short.
inline Index parameterBlocks(Index total) {
  const Index units = unitCount(total, 2048, 64);
  return units == 1 ? 1 : std::min<Index>(64, units + units % 2);
}

BAYESLAB_END_NAMESPACE
