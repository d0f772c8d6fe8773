#pragma once
// A watchdog for the UI thread: notices when it stops answering.
//
// A heartbeat (a precise QTimer every intervalMs on the UI thread) stamps the
// time it ran. The gap between two beats bounds the longest single piece of work
// the UI thread did in between: a delivery that blocks B ms delays the next beat
// by between B - intervalMs and B, so a beat late by L = gap - intervalMs means
// the UI thread was busy for at least L ms in one go (a lower bound, within
// intervalMs of the truth). Every lateness over thresholdMs is recorded as a stall.
//
// A monitor std::thread wakes a few times per threshold and looks at the last
// beat: a stall still in progress (or a UI thread that never comes back) is
// noticed there, while it happens, and the monitor copies what the UI thread was
// last asked to do. That "what" comes from an application event filter that, for
// every event delivered on the UI thread, stores the event type and the class
// names of its receiver and the receiver's parent in atomics (a few relaxed
// stores: it does not perturb the timing it measures). No signals, no
// backtraces: reading another thread's stack is not safe enough for a tool that
// is on in tests.
//
// Opt-in in the app: BAYESLAB_UI_WATCHDOG=1 (threshold 50 ms) or =<ms> prints
// every stall to stderr (installFromEnvironment).
#include <QObject>
#include <QString>
#include <QTimer>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace bayeslab::ui {

struct UiStall {
  double startSeconds = 0.0;            // the last beat before the stall, from start()
  double ms = 0.0;                      // how late the next beat was (lower bound of the block)
  bool seenLive = false;                // the monitor saw it while it lasted (event fields valid)
  int eventType = 0;                    // QEvent::Type the UI thread was delivering then
  const char* receiverClass = nullptr;  // its receiver's class (static string)
  const char* parentClass = nullptr;    // the receiver's parent's class, if any
  // One line: "83.1 ms at 1.42 s: Timer to QTimer (parent bayeslab::ui::ViewsArea)".
  QString describe() const;
};

class UiWatchdog : public QObject {
  Q_OBJECT

 public:
  struct Options {
    int thresholdMs = 50;
    int intervalMs = 5;
    bool printToStderr = false;  // each stall as it ends, and a live warning for long ones
  };

  // Create on the UI thread (the thread of QCoreApplication).
  explicit UiWatchdog(QObject* parent = nullptr);
  UiWatchdog(Options options, QObject* parent = nullptr);
  ~UiWatchdog() override;

  // Starts (or restarts, clearing the record) the heartbeat, filter and monitor.
  void start();
  void stop();
  bool isRunning() const { return m_timer.isActive(); }

  // The stalls recorded since start() (UI thread).
  std::vector<UiStall> stalls() const;
  // The latest any beat has been since start(), over the threshold or not (ms).
  double longestLateMs() const;
  quint64 beats() const { return m_beats.load(std::memory_order_relaxed); }
  const Options& options() const { return m_options; }

  // BAYESLAB_UI_WATCHDOG=1 or =<threshold ms>: a started watchdog printing to
  // stderr, parented to the application; nullptr when the variable is unset or 0.
  static UiWatchdog* installFromEnvironment();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  using Clock = std::chrono::steady_clock;
  void beat();
  void monitor();
  double secondsSinceStart(Clock::time_point t) const;

  Options m_options;
  QTimer m_timer;
  Clock::time_point m_started;
  Clock::time_point m_lastBeatUi;  // UI thread only

  // Written by the UI thread, read by the monitor.
  std::atomic<Clock::rep> m_lastBeat{0};
  std::atomic<quint64> m_beats{0};
  std::atomic<int> m_eventType{0};
  std::atomic<const char*> m_receiverClass{nullptr};
  std::atomic<const char*> m_parentClass{nullptr};

  mutable std::mutex m_mutex;  // guards everything below
  std::condition_variable m_wake;
  bool m_quit = false;
  std::thread m_monitor;
  // What the monitor saw of the stall that follows beat number m_liveBeat.
  quint64 m_liveBeat = ~quint64(0);
  UiStall m_live;
  std::vector<UiStall> m_stalls;
  double m_longestLateMs = 0.0;
};

}  // namespace bayeslab::ui
