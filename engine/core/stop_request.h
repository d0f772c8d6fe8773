#pragma once
// A cooperative stop request for computations that outlast a step's budget.
//
// Training honours stop requests between steps (the IterationCallback), but one
// step can take seconds: an HMC or NUTS transition on a large data set is up to
// 2^depth - 1 full-batch gradient evaluations per chain, and a method's
// constructor may run a step-size search. A thread that runs a trainer
// installs its stop flag (ScopedStopFlag) around construction and training;
// such a method captures currentStopFlag() when it is built and checks it
// between its units of work (e.g. before each gradient evaluation), returning
// early with a result the caller discards. Setting the flag means "this trainer
// is being thrown away", not "pause": the state after an abandoned step is not
// meant to be trained further.
#include <atomic>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

// The flag installed on this thread (nullptr: none).
const std::atomic<bool>* currentStopFlag();

// True when `flag` is set (a null flag never is).
inline bool stopRequested(const std::atomic<bool>* flag) {
  return flag != nullptr && flag->load(std::memory_order_relaxed);
}

// Installs `flag` as this thread's stop flag for its lifetime (restores the previous one).
class ScopedStopFlag {
 public:
  explicit ScopedStopFlag(const std::atomic<bool>* flag);
  ~ScopedStopFlag();
  ScopedStopFlag(const ScopedStopFlag&) = delete;
  ScopedStopFlag& operator=(const ScopedStopFlag&) = delete;

 private:
  const std::atomic<bool>* m_previous;
};

BAYESLAB_END_NAMESPACE
