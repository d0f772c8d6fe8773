#pragma once
// Runs a view's background computation, newest request only.
//
// One job at a time on a shared thread pool; a request that arrives while a
// job runs replaces any older waiting one (coalescing), so however fast
// training publishes posteriors the view is at most one job behind and nothing
// queues up. An optional minimum interval between the starts of two jobs keeps
// expensive analyses (a whole test set) to a few per second. The result is
// handed to `handler` on the thread that owns the runner (the UI thread).
//
// Jobs must not throw: they return their error inside the result.
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <functional>
#include <optional>
#include <utility>

#include "ui/training/background_priority.h"

namespace bayeslab::ui {

template <class Result>
class LatestJobRunner {
 public:
  using Job = std::function<Result()>;
  using Handler = std::function<void(Result)>;

  // `pool` must outlive the runner.
  LatestJobRunner(QThreadPool* pool, Handler handler)
      : m_pool(pool), m_handler(std::move(handler)) {
    m_delay.setSingleShot(true);
    QObject::connect(&m_delay, &QTimer::timeout, &m_watcher, [this] { startIfIdle(); });
    QObject::connect(&m_watcher, &QFutureWatcher<Result>::finished, &m_watcher,
                     [this] { onFinished(); });
  }
  ~LatestJobRunner() {
    m_waiting.reset();
    m_delay.stop();
    m_watcher.waitForFinished();
  }
  LatestJobRunner(const LatestJobRunner&) = delete;
  LatestJobRunner& operator=(const LatestJobRunner&) = delete;

  // Milliseconds between the starts of two jobs (0: back to back).
  void setMinimumInterval(int milliseconds) { m_interval = milliseconds; }

  void submit(Job job) {
    m_waiting = std::move(job);  // drops the stale one
    startIfIdle();
  }
  // Forgets the waiting request (a running job still finishes and reports).
  void cancelWaiting() {
    m_waiting.reset();
    m_delay.stop();
  }
  bool isBusy() const { return m_busy; }
  bool hasWaiting() const { return m_waiting.has_value(); }
  // How long the last finished job took.
  qint64 lastMilliseconds() const { return m_lastMilliseconds; }

 private:
  void startIfIdle() {
    if (m_busy || !m_waiting) return;
    if (m_interval > 0 && m_started.isValid()) {
      const qint64 left = m_interval - m_started.elapsed();
      if (left > 0) {
        if (!m_delay.isActive()) m_delay.start(static_cast<int>(left));
        return;
      }
    }
    Job job = std::move(*m_waiting);
    m_waiting.reset();
    m_busy = true;
    m_started.start();
    m_watcher.setFuture(QtConcurrent::run(m_pool, [job = std::move(job)] {
      lowerThisThreadsPriority();  // a pool thread: background work (background_priority.h)
      return job();
    }));
  }

  void onFinished() {
    m_busy = false;
    m_lastMilliseconds = m_started.elapsed();
    Result result = m_watcher.result();
    startIfIdle();
    m_handler(std::move(result));
  }

  QThreadPool* m_pool;
  Handler m_handler;
  QFutureWatcher<Result> m_watcher;
  QTimer m_delay;
  QElapsedTimer m_started;
  std::optional<Job> m_waiting;
  int m_interval = 0;
  bool m_busy = false;
  qint64 m_lastMilliseconds = 0;
};

}  // namespace bayeslab::ui
