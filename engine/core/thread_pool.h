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
  void helperLoop(int index);
  void work();

  std::vector<std::thread> m_helpers;
  // The current loop: its function (published before m_claim), the claim
  // word (job, unit count, next unit; see thread_pool.cpp) and the units done.
  const UnitFunction* m_fn = nullptr;
  std::atomic<std::uint64_t> m_claim{0};
  std::atomic<Index> m_done{0};
  std::uint64_t m_job = 0;
  std::atomic<int> m_wanted{0};  // helpers 0 .. m_wanted-1 take part
  std::atomic<std::uint32_t> m_epoch{0};
  std::atomic<int> m_sleepers{0};
  std::mutex m_sleepMutex;
  std::condition_variable m_wake;
  std::atomic<bool> m_stop{false};
};

BAYESLAB_END_NAMESPACE
