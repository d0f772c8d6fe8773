#include "engine/core/thread_pool.h"

#include "engine/core/floating_point.h"

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
  m_stop.store(true);
  m_epoch.fetch_add(1);
  {
    std::lock_guard<std::mutex> lock(m_sleepMutex);
    m_wake.notify_all();
  }
  for (std::thread& t : m_helpers) t.join();
}

namespace {
// A share's claim word: [job:16][end:24][next:24]. A unit is claimed by a
// compare-and-swap that moves `next` on within the same job, so a thread that
// read the word of a finished job can never consume a unit of the next one.
constexpr int kIndexBits = 24;
constexpr std::uint64_t kIndexMask = (std::uint64_t(1) << kIndexBits) - 1;
inline std::uint64_t claimWord(std::uint64_t job, std::uint64_t begin, std::uint64_t end) {
  return (job << (2 * kIndexBits)) | (end << kIndexBits) | begin;
}
}  // namespace

void ThreadTeam::work(int self, int participants) {
  for (int k = 0; k < participants; ++k) {
    std::atomic<std::uint64_t>& claim = m_shares[(self + k) % participants].claim;
    std::uint64_t word = claim.load();
    for (;;) {
      const std::uint64_t next = word & kIndexMask;
      const std::uint64_t end = (word >> kIndexBits) & kIndexMask;
      if (next >= end) break;
      if (!claim.compare_exchange_weak(word, word + 1)) continue;  // word reloaded
      // The job just claimed from cannot finish before this unit, so m_fn (stored
      // before its claim words were published) is still its function.
      (*m_fn)(static_cast<Index>(next));
      m_done.fetch_add(1);
      word = claim.load();
    }
  }
}

void ThreadTeam::helperLoop(int index, std::uint32_t seen) {
  t_insideUnit = true;  // a loop inside a unit runs serially
  // A helper may start running only after its team has been told to stop (the
  // owner finished and exited first): every wait also watches the stop flag.
  const auto idle = [&] { return m_epoch.load() == seen && !m_stop.load(); };
  for (;;) {
    int spins = 0;
    while (idle()) {
      if (++spins < kSpinIterations) {
        relax();
        continue;
      }
      // The sleeper count and the epoch are sequentially consistent with the
      // caller's increment-then-check, so either it sees this sleeper and
      // notifies under the mutex, or the check below sees the new epoch.
      std::unique_lock<std::mutex> lock(m_sleepMutex);
      m_sleepers.fetch_add(1);
      m_wake.wait(lock, [&] { return !idle(); });
      m_sleepers.fetch_sub(1);
    }
    seen = m_epoch.load();
    if (m_stop.load()) return;
    if (index >= m_wanted.load()) continue;
    work(index + 1, m_participants.load());
  }
}

void ThreadTeam::run(int threads, Index count, UnitFunction fn) {
  const int helpers =
      static_cast<int>(std::min<Index>(std::min(threads, kMaxParticipants), count)) - 1;
  if (helpers <= 0 || t_insideUnit || static_cast<std::uint64_t>(count) > kIndexMask) {
    for (Index i = 0; i < count; ++i) fn(i);
    return;
  }
  while (static_cast<int>(m_helpers.size()) < helpers) {
    const int index = static_cast<int>(m_helpers.size());
    // A helper computes exactly as its caller would (subnormals flushed or not,
    // rounding), whatever the platform's rule for a new thread's mode.
    // It starts from the epoch before this loop's, so it joins this loop even
    // when the thread starts running after the loop was published.
    m_helpers.emplace_back([this, index, mode = floatingPointMode(), seen = m_epoch.load()] {
      setFloatingPointMode(mode);
      helperLoop(index, seen);
    });
  }

  m_fn = &fn;
  m_done.store(0);
  m_wanted.store(helpers);
  const int participants = helpers + 1;
  m_participants.store(participants);
  const std::uint64_t job = ++m_job & 0xffff;
  const auto total = static_cast<std::uint64_t>(count);
  for (int p = 0; p < participants; ++p) {
    const auto q = static_cast<std::uint64_t>(p);
    m_shares[p].claim.store(claimWord(job, q * total / static_cast<std::uint64_t>(participants),
                                      (q + 1) * total / static_cast<std::uint64_t>(participants)));
  }
  m_epoch.fetch_add(1);
  if (m_sleepers.load() > 0) {
    std::lock_guard<std::mutex> lock(m_sleepMutex);
    m_wake.notify_all();
  }

  t_insideUnit = true;
  work(0, participants);
  t_insideUnit = false;

  // Only units a running helper has claimed are left; the job's function must
  // outlive them. (All atomics are sequentially consistent: a few per loop.)
  int spins = 0;
  while (m_done.load() < count)
    if (++spins < kSpinIterations)
      relax();
    else
      std::this_thread::yield();
}

BAYESLAB_END_NAMESPACE
