#include "engine/core/thread_pool.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

BAYESLAB_BEGIN_NAMESPACE

namespace {

thread_local bool t_insideUnit = false;

// About 50 microseconds of polling between loops before a helper sleeps: a
// training step's loops follow each other within a few microseconds.
constexpr int kSpinIterations = 20000;

inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

}  // namespace

ThreadTeam& ThreadTeam::forThisThread() {
  thread_local ThreadTeam team;
  return team;
}

bool ThreadTeam::insideUnit() {
  return t_insideUnit;
}

ThreadTeam::~ThreadTeam() {
  m_stop.store(true, std::memory_order_release);
  m_epoch.fetch_add(1, std::memory_order_acq_rel);
  m_epoch.notify_all();
  for (std::thread& t : m_helpers) t.join();
}

void ThreadTeam::work() {
  const Index count = m_count.load(std::memory_order_acquire);
  for (Index i = m_next.fetch_add(1, std::memory_order_relaxed); i < count;
       i = m_next.fetch_add(1, std::memory_order_relaxed)) {
    (*m_fn)(i);
    m_done.fetch_add(1, std::memory_order_release);
  }
}

void ThreadTeam::helperLoop(int index) {
  t_insideUnit = true;  // a loop inside a unit runs serially
  std::uint32_t seen = m_epoch.load(std::memory_order_acquire);
  for (;;) {
    int spins = 0;
    while (m_epoch.load(std::memory_order_acquire) == seen) {
      if (++spins < kSpinIterations) {
        relax();
        continue;
      }
      // Sequentially consistent with the caller's epoch increment and sleeper
      // check, so that one of the two always sees the other (no lost wake-up).
      m_sleepers.fetch_add(1);
      m_epoch.wait(seen);
      m_sleepers.fetch_sub(1);
    }
    seen = m_epoch.load(std::memory_order_acquire);
    if (m_stop.load(std::memory_order_acquire)) return;
    if (index >= m_wanted.load(std::memory_order_acquire)) continue;
    m_inside.fetch_add(1, std::memory_order_acq_rel);
    work();
    m_inside.fetch_sub(1, std::memory_order_acq_rel);
  }
}

void ThreadTeam::run(int threads, Index count, UnitFunction fn) {
  const int helpers = static_cast<int>(std::min<Index>(threads, count)) - 1;
  if (helpers <= 0 || t_insideUnit) {
    for (Index i = 0; i < count; ++i) fn(i);
    return;
  }
  while (static_cast<int>(m_helpers.size()) < helpers) {
    const int index = static_cast<int>(m_helpers.size());
    m_helpers.emplace_back([this, index] { helperLoop(index); });
  }

  m_fn = &fn;
  m_next.store(0, std::memory_order_relaxed);
  m_done.store(0, std::memory_order_relaxed);
  m_wanted.store(helpers, std::memory_order_relaxed);
  m_count.store(count, std::memory_order_release);
  m_epoch.fetch_add(1);
  if (m_sleepers.load() > 0) m_epoch.notify_all();

  t_insideUnit = true;
  work();
  t_insideUnit = false;

  // Only units a running helper has claimed are left: wait for them, then close
  // the loop and wait until no helper is still looking at it.
  int spins = 0;
  while (m_done.load(std::memory_order_acquire) < count)
    if (++spins < kSpinIterations)
      relax();
    else
      std::this_thread::yield();
  m_count.store(0, std::memory_order_release);
  while (m_inside.load(std::memory_order_acquire) > 0) std::this_thread::yield();
}

BAYESLAB_END_NAMESPACE
