#include "engine/core/floating_point.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define BAYESLAB_FP_X86 1
#elif defined(__aarch64__)
#define BAYESLAB_FP_AARCH64 1
#endif

BAYESLAB_BEGIN_NAMESPACE

namespace {
#if defined(BAYESLAB_FP_X86)
constexpr std::uint64_t kFlushToZero = 0x8000;       // MXCSR.FTZ
constexpr std::uint64_t kDenormalsAreZero = 0x0040;  // MXCSR.DAZ
constexpr std::uint64_t kFlushBits = kFlushToZero | kDenormalsAreZero;
#elif defined(BAYESLAB_FP_AARCH64)
constexpr std::uint64_t kFlushToZero = std::uint64_t{1} << 24;  // FPCR.FZ (inputs too)
constexpr std::uint64_t kFlushBits = kFlushToZero;
#endif
}  // namespace

FloatingPointMode floatingPointMode() {
#if defined(BAYESLAB_FP_X86)
  return {_mm_getcsr()};
#elif defined(BAYESLAB_FP_AARCH64)
  std::uint64_t fpcr = 0;
  asm volatile("mrs %0, fpcr" : "=r"(fpcr));
  return {fpcr};
#else
  return {};
#endif
}

void setFloatingPointMode(FloatingPointMode mode) {
#if defined(BAYESLAB_FP_X86)
  _mm_setcsr(static_cast<unsigned>(mode.bits));
#elif defined(BAYESLAB_FP_AARCH64)
  asm volatile("msr fpcr, %0" : : "r"(mode.bits));
#else
  (void)mode;
#endif
}

void flushSubnormalsToZero() {
#if defined(BAYESLAB_FP_X86) || defined(BAYESLAB_FP_AARCH64)
  setFloatingPointMode({floatingPointMode().bits | kFlushBits});
#endif
}

bool subnormalsFlushed() {
#if defined(BAYESLAB_FP_X86) || defined(BAYESLAB_FP_AARCH64)
  return (floatingPointMode().bits & kFlushToZero) != 0;
#else
  return false;
#endif
}

BAYESLAB_END_NAMESPACE
