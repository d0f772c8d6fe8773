#include "engine/core/stop_request.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
thread_local const std::atomic<bool>* t_stopFlag = nullptr;
}  // namespace

const std::atomic<bool>* currentStopFlag() {
  return t_stopFlag;
}

ScopedStopFlag::ScopedStopFlag(const std::atomic<bool>* flag) : m_previous(t_stopFlag) {
  t_stopFlag = flag;
}

ScopedStopFlag::~ScopedStopFlag() {
  t_stopFlag = m_previous;
}

BAYESLAB_END_NAMESPACE
