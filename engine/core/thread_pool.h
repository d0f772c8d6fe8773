#pragma once
// The threads behind parallelFor (parallel.h): a team of helper threads per
// calling thread that share out the units of one loop at a time.
//
// Why not OpenMP: a training step of a small network is ~40 microseconds split
// into a handful of loops, so helpers must be awake when a loop starts, yet
// they must never hold up the caller. libgomp's helpers spin for milliseconds
// before sleeping, and with a static schedule the caller waits for every
// helper's share: when another process (or the UI thread) takes a core, a
// step waits for a descheduled helper (measured: 20,000 steps/s falling to
// under 100). Here units are claimed one at a time from a shared counter, so a
// helper that is not running simply claims nothing and the caller does the
// work; helpers spin about 50 microseconds between loops, then sleep on a
// condition variable. (Not std::atomic::wait: GCC 12's libstdc++ lost a
// wake-up there under load, leaving a helper asleep at process exit.)
//
// Each thread first works through its own fixed share of a loop's units (the
// caller the first, helper k the (k+2)-th), then takes what is left of the
// others'. Consecutive loops over the same parameter blocks therefore mostly
// run a block on the same core, whose cache still holds it: on this tool's
// 2-core machines a line moving between cores costs about 0.25 us.
//
// Which thread computes a unit never matters: every unit writes only its own
// outputs, so results are identical for any thread count. A loop started from
// inside a unit runs serially on that thread (no nested teams).
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

// A non-owning reference to a callable taking a unit index.
class UnitFunction {
 public:
  template <class Fn>
  UnitFunction(Fn& fn)  // NOLINT(google-explicit-constructor): a function_ref
      : m_object(&fn), m_call([](void* o, Index i) { (*static_cast<Fn*>(o))(i); }) {}
  void operator()(Index i) const { m_call(m_object, i); }

 private:
  void* m_object;
  void (*m_call)(void*, Index);
};

class ThreadTeam {
 public:
  ThreadTeam() = default;
  ~ThreadTeam();
  ThreadTeam(const ThreadTeam&) = delete;
  ThreadTeam& operator=(const ThreadTeam&) = delete;

  // Runs fn(i) for i in [0, count) on this thread and up to threads - 1 helpers.
  void run(int threads, Index count, UnitFunction fn);

  // The calling thread's team (created on first use).
  static ThreadTeam& forThisThread();
  // True while this thread is running a unit of some loop.
  static bool insideUnit();

 private:
  // The most threads (this one and its helpers) that share one loop.
  static constexpr int kMaxParticipants = 64;

  // `seen`: the last epoch (loop) this helper is not to take part in.
  void helperLoop(int index, std::uint32_t seen);
  // Claims and runs units: first from participant `self`'s own share of the
  // loop, then from the others' (see thread_pool.cpp).
  void work(int self, int participants);

  // One participant's share of the current loop, on its own cache line: the
  // claim word (job, end of the share, next unit; see thread_pool.cpp).
  struct alignas(64) Share {
    std::atomic<std::uint64_t> claim{0};
  };

  std::vector<std::thread> m_helpers;
  // The current loop: its function (published before the shares), the shares,
  // the number of participants and the units done.
  const UnitFunction* m_fn = nullptr;
  Share m_shares[kMaxParticipants];
  std::atomic<int> m_participants{0};
  std::uint64_t m_job = 0;
  alignas(64) std::atomic<Index> m_done{0};
  std::atomic<int> m_wanted{0};  // helpers 0 .. m_wanted-1 take part
  alignas(64) std::atomic<std::uint32_t> m_epoch{0};
  std::atomic<int> m_sleepers{0};
  std::mutex m_sleepMutex;
  std::condition_variable m_wake;
  std::atomic<bool> m_stop{false};
};

BAYESLAB_END_NAMESPACE
