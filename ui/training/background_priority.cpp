#include "ui/training/background_priority.h"

#if defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#endif

namespace bayeslab::ui {

namespace {
constexpr int kBackgroundNice = 10;
}

void lowerThisThreadsPriority() {
#if defined(__linux__)
  const auto tid = static_cast<id_t>(gettid());
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, tid);
  if (errno == 0 && current < kBackgroundNice) setpriority(PRIO_PROCESS, tid, kBackgroundNice);
#endif
}

}  // namespace bayeslab::ui
