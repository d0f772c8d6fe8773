#include "app/ui_measure.h"

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <QApplication>
#include <QChartView>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "engine/io/atomic_file.h"
#include "engine/training/session_json.h"
#include "ui/compare/compare_window.h"
#include "ui/diagnostics/ui_watchdog.h"
#include "ui/main_window.h"
#include "ui/training/training_controller.h"
#include "ui/views/views_area.h"

namespace bayeslab::app {

namespace {

using nlohmann::json;

struct Workload {
  const char* key;
  const char* session;
};

// The toy workloads of BENCHMARKS.md as session files (2 training threads, as the benchmark).
const std::vector<Workload>& workloads() {
  static const std::vector<Workload> list = {
      {"w1_regression_bbb",
       R"({"dataset": {"name": "blundell", "n_train": 256, "n_test": 256, "noise": 0.02, "seed": 1},
           "model": {"hidden": [64, 64], "activation": "relu"},
           "likelihood": {"noise_std": 0.1},
           "method": {"name": "bbb"}, "prior": {"name": "gaussian", "scale": 1.0},
           "training": {"steps": 1000000, "batch_size": 64, "learning_rate": 0.01, "threads": 2}})"},
      {"w2_classification_lrt",
       R"({"dataset": {"name": "moons", "n_train": 1024, "n_test": 512, "noise": 0.1, "seed": 1},
           "model": {"hidden": [128, 128], "activation": "relu"},
           "method": {"name": "bbb_lrt"}, "prior": {"name": "gaussian", "scale": 1.0},
           "training": {"steps": 1000000, "batch_size": 128, "learning_rate": 0.01, "threads": 2}})"},
  };
  return list;
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

struct FrameStats {
  double stall = 0.0, p50 = 0.0, p99 = 0.0, worst = 0.0;
  double stallCpu = 0.0;                     // the UI-thread CPU time of the longest delivery
  int stallWaits = 0, stallPreemptions = 0;  // and its context switches
  int stallEvent = 0;                        // the QEvent::Type of the longest delivery
  size_t frames = 0;
};

// A frame: the delivery that advanced the frame count, plus the repaint (the
// next UpdateRequest) that puts it on screen.
FrameStats frameStats(const std::vector<TimingApplication::Delivery>& deliveries,
                      quint64 frameCount) {
  std::vector<double> frames;
  FrameStats s;
  if (!deliveries.empty()) frameCount = deliveries.front().frameCount;
  for (size_t i = 0; i < deliveries.size(); ++i) {
    if (deliveries[i].ms > s.stall) {
      s.stall = deliveries[i].ms;
      s.stallCpu = deliveries[i].cpuMs;
      s.stallWaits = deliveries[i].waits;
      s.stallPreemptions = deliveries[i].preemptions;
      s.stallEvent = deliveries[i].type;
    }
    if (deliveries[i].frameCount == frameCount) continue;
    frameCount = deliveries[i].frameCount;
    double ms = deliveries[i].ms;
    for (size_t j = i + 1; j < deliveries.size() && deliveries[j].frameCount == frameCount; ++j)
      if (deliveries[j].type == QEvent::UpdateRequest) {
        ms += deliveries[j].ms;
        break;
      }
    frames.push_back(ms);
  }
  s.p50 = quantile(frames, 0.5);
  s.p99 = quantile(frames, 0.99);
  s.worst = quantile(frames, 1.0);
  s.frames = frames.size();
  return s;
}

void report(json& results, const char* key, const FrameStats& s, double rate,
            const ui::UiWatchdog& watchdog) {
  std::fprintf(stderr, "%-22s %7.1fms %7.1fms %7.1fms %7.1fms %8zu %9.0f %9.1fms\n", key, s.stall,
               s.p50, s.p99, s.worst, s.frames, rate, watchdog.longestLateMs());
  std::fprintf(stderr,
               "  longest delivery: %.1f ms wall, %.1f ms UI-thread CPU, %d waits, %d "
               "preemptions\n",
               s.stall, s.stallCpu, s.stallWaits, s.stallPreemptions);
  json stalls = json::array();
  for (const ui::UiStall& stall : watchdog.stalls()) {
    std::fprintf(stderr, "  watchdog: stall %s\n", qPrintable(stall.describe()));
    stalls.push_back(stall.describe().toStdString());
  }
  results[key] = {{"stall_max_ms", s.stall},
                  {"frame_p50_ms", s.p50},
                  {"frame_p99_ms", s.p99},
                  {"frame_max_ms", s.worst},
                  {"frames", s.frames},
                  {"steps_per_s", rate},
                  {"stall_event_type", s.stallEvent},
                  {"stall_cpu_ms", s.stallCpu},
                  {"stall_waits", s.stallWaits},
                  {"stall_preemptions", s.stallPreemptions},
                  {"watchdog_longest_late_ms", watchdog.longestLateMs()},
                  {"watchdog_stalls", stalls}};
}

void reportLongest(json& results, const char* key, const TimingApplication& app) {
  std::fprintf(stderr, "  longest delivery's receiver: %s\n",
               qPrintable(app.longestWallReceiver()));
  results[key]["stall_receiver"] = app.longestWallReceiver().toStdString();
  std::fprintf(stderr, "  most CPU in one delivery: %.1f ms, %s\n", app.longestCpuMs(),
               qPrintable(app.longestReceiver()));
  results[key]["stall_cpu_max_ms"] = app.longestCpuMs();
  results[key]["stall_cpu_receiver"] = app.longestReceiver().toStdString();
}

// Runs the event loop until `done` holds or `seconds` pass; false on timeout.
template <class Pred>
bool waitFor(Pred done, double seconds) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > static_cast<qint64>(seconds * 1000)) return false;
    QApplication::processEvents(QEventLoop::AllEvents, 20);
  }
  return true;
}

void runLoopFor(double seconds) {
  QEventLoop loop;
  QTimer::singleShot(static_cast<int>(seconds * 1000), &loop, &QEventLoop::quit);
  loop.exec();
}

class FirstPaint : public QObject {
 public:
  bool painted = false;
  double seconds = 0.0;

 protected:
  bool eventFilter(QObject*, QEvent* e) override {
    if (!painted && e->type() == QEvent::Paint) {
      painted = true;
      seconds = secondsSinceProcessStart();
    }
    return false;
  }
};

}  // namespace

bool TimingApplication::notify(QObject* receiver, QEvent* event) {
  // notify() also delivers the events of other threads (the training worker's
  // queued 10 ms slices, the thread pools'): only the UI thread's are timed, and
  // only the UI thread touches the recording.
  if (QThread::currentThread() != thread() || !m_recording || m_depth > 0)
    return QApplication::notify(receiver, event);
  QElapsedTimer clock;
  clock.start();
  const double cpuStart = threadCpuMs();
  rusage usageStart{};
  getrusage(RUSAGE_THREAD, &usageStart);
  // The receiver may delete itself during delivery: watch it.
  m_alive = receiver;
  ++m_depth;
  const int type = event->type();  // the event may not outlive its delivery
  const bool result = QApplication::notify(receiver, event);
  --m_depth;
  const double ms = static_cast<double>(clock.nsecsElapsed()) / 1e6;
  const double cpu = threadCpuMs() - cpuStart;
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  m_deliveries.push_back({ms, type, m_frameCounter(), cpu,
                          static_cast<int>(usage.ru_nvcsw - usageStart.ru_nvcsw),
                          static_cast<int>(usage.ru_nivcsw - usageStart.ru_nivcsw)});
  if (ms > m_longestWallMs && m_alive) {
    m_longestWallMs = ms;
    m_longestWallReceiver = describeReceiver(receiver);
  }
  if (cpu > m_longestMs && m_alive) {
    // Who used the most CPU in one delivery: named after the delivery, and only
    // when it is a new maximum.
    m_longestMs = cpu;
    m_longestReceiver = describeReceiver(receiver);
  }
  return result;
}

double TimingApplication::threadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

QString TimingApplication::describeReceiver(QObject* receiver) {
  // The receiver and its ancestors up to the window, with object names and chart titles:
  // "QWidget < QChartView 'Predictive' < bayeslab::ui::RegressionPredictiveView < ...".
  QStringList parts;
  for (QObject* o = receiver; o && parts.size() < 6; o = o->parent()) {
    QString part = QString::fromLatin1(o->metaObject()->className());
    if (!o->objectName().isEmpty()) part += QStringLiteral(" #") + o->objectName();
    if (auto* view = qobject_cast<QChartView*>(o); view && view->chart())
      part += QStringLiteral(" '%1'").arg(view->chart()->title());
    parts << part;
  }
  return parts.join(QStringLiteral(" < "));
}

void TimingApplication::record(std::function<quint64()> frameCounter) {
  m_longestMs = 0.0;
  m_longestReceiver.clear();
  m_longestWallMs = 0.0;
  m_longestWallReceiver.clear();
  m_frameCounter = std::move(frameCounter);
  m_deliveries.clear();
  m_deliveries.reserve(1 << 16);
  m_recording = true;
}

std::vector<TimingApplication::Delivery> TimingApplication::stop() {
  m_recording = false;
  return std::move(m_deliveries);
}

double secondsSinceProcessStart() {
  std::ifstream stat("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Field 22 (starttime, clock ticks since boot) follows the ')' closing the command name.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return -1.0;
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  for (int i = 3; i < 22 && rest >> field; ++i) {
  }
  long long startTicks = 0;
  if (!(rest >> startTicks)) return -1.0;
  std::ifstream uptimeFile("/proc/uptime");
  double uptime = 0.0;
  if (!(uptimeFile >> uptime)) return -1.0;
  return uptime - static_cast<double>(startTicks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int measureUi(const UiMeasureOptions& options, double secondsToFirstPaint) {
  ui::MainWindow window;
  window.resize(1600, 1000);
  FirstPaint first;
  window.installEventFilter(&first);
  window.show();
  waitFor([&] { return first.painted; }, 10.0);
  if (secondsToFirstPaint < 0) secondsToFirstPaint = first.painted ? first.seconds : -1.0;

  json results;
  results["first_window_s"] = secondsToFirstPaint;
  std::fprintf(stderr, "first window painted %.3f s after the process started\n",
               secondsToFirstPaint);
  std::fprintf(stderr, "%-22s %9s %9s %9s %9s %8s %9s %11s\n", "workload", "stall max", "frame p50",
               "frame p99", "frame max", "frames", "steps/s", "watchdog");
  // The heartbeat watchdog beside the per-delivery timing: its lateness is what
  // a user's click would have waited (ui/diagnostics/ui_watchdog.h).
  ui::UiWatchdog::Options watchdogOptions;
  watchdogOptions.thresholdMs = options.watchdogThresholdMs;
  ui::UiWatchdog watchdog(watchdogOptions);

  QTemporaryDir dir;
  bool allMet = secondsToFirstPaint >= 0 && secondsToFirstPaint < 1.0;
  for (const Workload& w : workloads()) {
    const QString path = dir.filePath(QString(w.key) + ".json");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(w.session) < 0) return 1;
    file.close();
    ui::TrainingController* controller = window.controller();
    const quint64 before = controller->runId();
    if (!window.openSession(path) ||
        !waitFor([&] { return controller->hasRun() && controller->runId() != before; }, 30.0)) {
      std::fprintf(stderr, "%s: the session did not start\n", w.key);
      return 1;
    }
    controller->setStepsPerFrame(0);
    runLoopFor(0.5);  // the first predictive frame of the untrained network
    auto* app = static_cast<TimingApplication*>(QCoreApplication::instance());
    const ui::ViewsArea* views = window.views();
    app->record([views] { return views->frameCount(); });
    watchdog.start();
    const Index startStep = controller->currentStep();
    QElapsedTimer clock;
    clock.start();
    controller->play();
    runLoopFor(options.secondsPerWorkload);
    controller->pause();
    const double steps = static_cast<double>(controller->currentStep() - startStep);
    const double rate = steps / (static_cast<double>(clock.elapsed()) / 1e3);
    runLoopFor(0.3);
    const std::vector<TimingApplication::Delivery> deliveries = app->stop();
    watchdog.stop();

    const FrameStats stats = frameStats(deliveries, views->frameCount());
    allMet = allMet && stats.stall <= 50.0 && stats.worst <= 16.0;
    report(results, w.key, stats, rate, watchdog);
    reportLongest(results, w.key, *app);
  }
  if (options.compareRuns > 0) {
    // Toy runs side by side in the compare window (BENCHMARKS.md: four), the
    // main window's run paused; each run on one training thread.
    window.controller()->pause();
    const int n = std::clamp(options.compareRuns, 2, ui::CompareWindow::kMaxRuns);
    static const char* methods[] = {"bbb", "map", "mc_dropout", "bbb_lrt", "bbb_flipout", "sgld"};
    SessionConfig base = parseSessionJson(workloads().front().session, workloads().front().key);
    base.training.threads = 1;
    std::vector<SessionConfig> configs;
    for (int k = 0; k < n; ++k) {
      SessionConfig c = base;
      c.method = MethodConfig{methods[k], {}};
      configs.push_back(c);
    }
    ui::CompareWindow compare;
    compare.resize(1600, 1000);
    compare.show();
    compare.setRuns(configs);
    if (!waitFor(
            [&] {
              for (int k = 0; k < compare.runCount(); ++k)
                if (!compare.controller(k)->hasRun()) return false;
              return true;
            },
            30.0)) {
      std::fprintf(stderr, "compare: the runs did not start\n");
      return 1;
    }
    runLoopFor(0.5);
    auto* app = static_cast<TimingApplication*>(QCoreApplication::instance());
    app->record([&compare] { return compare.frameCount(); });
    watchdog.start();
    std::vector<Index> start;
    for (int k = 0; k < n; ++k) start.push_back(compare.controller(k)->currentStep());
    QElapsedTimer clock;
    clock.start();
    compare.playAll();
    runLoopFor(options.secondsPerWorkload);
    compare.pauseAll();
    double steps = 0.0;
    for (int k = 0; k < n; ++k)
      steps +=
          static_cast<double>(compare.controller(k)->currentStep() - start[static_cast<size_t>(k)]);
    const double rate = steps / (static_cast<double>(clock.elapsed()) / 1e3);
    runLoopFor(0.3);
    const std::vector<TimingApplication::Delivery> deliveries = app->stop();
    watchdog.stop();
    const FrameStats stats = frameStats(deliveries, compare.frameCount());
    allMet = allMet && stats.stall <= 50.0 && stats.worst <= 16.0;
    const std::string key = "compare_" + std::to_string(n) + "_runs";
    report(results, key.c_str(), stats, rate, watchdog);
    reportLongest(results, key.c_str(), *app);
  }
  results["targets_met"] = allMet;
  std::printf("%s\n", results.dump(1).c_str());
  if (!options.jsonPath.isEmpty()) {
    try {
      writeFileAtomically(options.jsonPath.toStdString(), results.dump(1) + "\n");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bayeslab: error: %s\n", e.what());
      return 1;
    }
  }
  return 0;
}

}  // namespace bayeslab::app
