#pragma once
// Subnormal floats are flushed to zero in the engine's threads.
//
// A float below 1.2e-38 in magnitude (a subnormal) makes x86 cores take a
// microcode assist on every instruction that reads or produces one. The
// networks here make them routinely: a ReLU output of 1e-20 squared (the local
// reparameterisation's a^2), a vanishing Adam second moment, a KL gradient of a
// collapsed weight. Measured on a recent Xeon core: a 128 x 128 x 128
// product ran 250 times slower with subnormal inputs (0.7 against 170
// GFLOP/s), and w2 of the bench at a quarter of its speed. With flush-to-zero
// (FTZ: results that would be subnormal become 0) and denormals-are-zero (DAZ:
// subnormal inputs are read as 0) those values simply count as 0, which changes
// nothing a user can see: they are 1e-38 of the weights' scale.
//
// The mode is per thread and a thread starts with its creator's, so the
// applications set it first thing in main(), before Qt or the engine start a
// thread; ThreadTeam's helpers take their creator's mode explicitly, so a
// loop's result never depends on which thread ran a unit.
#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

// This thread's floating-point control state (x86: MXCSR; AArch64: FPCR).
struct FloatingPointMode {
  std::uint64_t bits = 0;
};
FloatingPointMode floatingPointMode();
void setFloatingPointMode(FloatingPointMode mode);

// Flushes subnormals to zero in this thread and in the threads it starts from
// now on. A no-op on architectures other than x86-64 and AArch64.
void flushSubnormalsToZero();
// True if this thread flushes subnormal results to zero.
bool subnormalsFlushed();

BAYESLAB_END_NAMESPACE
