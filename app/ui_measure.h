#pragma once
// `bayeslab --measure-ui`: how responsive the real window stays while it trains.
//
// Drives the main window (offscreen when there is no display) through each toy
// workload of BENCHMARKS.md at full speed and measures, on the UI thread, the
// time of every event delivery (TimingApplication::notify):
//   stall  the longest single delivery: nothing the user does can be answered
//          sooner than that;
//   frame  the delivery that drew a frame of the views (the coalesced update of
//          every series) plus the repaint that follows it (the window's next
//          UpdateRequest), as median, 99th percentile and maximum.
// With compareRuns, the same is measured for that many toy runs training side by
// side in the compare window (the frame being the compare window's coalesced update).
// It also reports the time from the start of the process to the first paint
// of the window, and the stalls a heartbeat watchdog saw (ui/diagnostics/ui_watchdog.h:
// how late a 5 ms heartbeat timer on the UI thread was, with what the UI thread
// was delivering meanwhile). Targets (BENCHMARKS.md): frames under 16 ms, no stall over
// 50 ms, first window under 1 s.
#include <QApplication>
#include <QElapsedTimer>
#include <QPointer>
#include <QString>
#include <functional>
#include <vector>

namespace bayeslab::app {

struct UiMeasureOptions {
  double secondsPerWorkload = 4.0;
  QString jsonPath;  // also write the results here (empty: stdout only)
  // Also measure this many toy runs (2-6) training side by side in the compare
  // window (0: not); BENCHMARKS.md asks for four.
  int compareRuns = 0;
  // The UI watchdog's threshold: its stalls over this many ms are listed.
  int watchdogThresholdMs = 50;
};

// The application object of a measuring run: times every top-level event
// delivery of the UI thread.
class TimingApplication : public QApplication {
 public:
  TimingApplication(int& argc, char** argv) : QApplication(argc, argv) {}
  bool notify(QObject* receiver, QEvent* event) override;

  struct Delivery {
    double ms = 0.0;
    int type = 0;            // QEvent::Type
    quint64 frameCount = 0;  // the views' frame count after the delivery
    double cpuMs = 0.0;      // the UI thread's CPU time in it (immune to other processes)
    int waits = 0;           // voluntary context switches: the UI thread blocked on something
    int preemptions = 0;     // involuntary ones: another thread took the core
  };
  // Starts / stops recording; `frameCounter` reads the views' frame count.
  void record(std::function<quint64()> frameCounter);
  std::vector<Delivery> stop();
  // The delivery that used the most UI-thread CPU time since record(): that time,
  // and its receiver with its ancestors (object names, chart titles).
  double longestCpuMs() const { return m_longestMs; }
  const QString& longestReceiver() const { return m_longestReceiver; }
  // The receiver of the longest delivery (wall time).
  const QString& longestWallReceiver() const { return m_longestWallReceiver; }

 private:
  int m_depth = 0;
  bool m_recording = false;
  std::function<quint64()> m_frameCounter;
  std::vector<Delivery> m_deliveries;
  double m_longestMs = 0.0;
  QString m_longestReceiver;
  double m_longestWallMs = 0.0;
  QString m_longestWallReceiver;
  QPointer<QObject> m_alive;

  static QString describeReceiver(QObject* receiver);
  static double threadCpuMs();
};

// Call with a TimingApplication constructed; returns the process exit code.
int measureUi(const UiMeasureOptions& options, double secondsToFirstPaint);

// Seconds since this process started (from /proc, 10 ms resolution).
double secondsSinceProcessStart();

}  // namespace bayeslab::app
