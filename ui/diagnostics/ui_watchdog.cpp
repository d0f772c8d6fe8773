#include "ui/diagnostics/ui_watchdog.h"

#include <QCoreApplication>
#include <QEvent>
#include <QMetaEnum>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace bayeslab::ui {

namespace {

double msBetween(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

QString UiStall::describe() const {
  QString text = QStringLiteral("%1 ms at %2 s").arg(ms, 0, 'f', 1).arg(startSeconds, 0, 'f', 2);
  if (!seenLive) return text + QStringLiteral(": (not seen while it lasted)");
  const char* type = QMetaEnum::fromType<QEvent::Type>().valueToKey(eventType);
  text += QStringLiteral(": %1 to %2")
              .arg(type ? QString::fromLatin1(type) : QString::number(eventType))
              .arg(receiverClass ? QString::fromLatin1(receiverClass) : QStringLiteral("?"));
  if (parentClass) text += QStringLiteral(" (parent %1)").arg(QString::fromLatin1(parentClass));
  return text;
}

UiWatchdog::UiWatchdog(QObject* parent) : UiWatchdog(Options{}, parent) {}

UiWatchdog::UiWatchdog(Options options, QObject* parent) : QObject(parent), m_options(options) {
  m_options.intervalMs = std::max(1, m_options.intervalMs);
  m_options.thresholdMs = std::max(1, m_options.thresholdMs);
  m_timer.setTimerType(Qt::PreciseTimer);
  m_timer.setInterval(m_options.intervalMs);
  connect(&m_timer, &QTimer::timeout, this, &UiWatchdog::beat);
}

UiWatchdog::~UiWatchdog() {
  stop();
}

void UiWatchdog::start() {
  stop();
  m_started = Clock::now();
  m_lastBeatUi = m_started;
  m_lastBeat.store(m_started.time_since_epoch().count());
  m_beats.store(0);
  m_longestLateMs = 0.0;
  {
    std::lock_guard lock(m_mutex);
    m_stalls.clear();
    m_liveBeat = ~quint64(0);
    m_quit = false;
  }
  if (QCoreApplication* app = QCoreApplication::instance()) app->installEventFilter(this);
  m_timer.start();
  m_monitor = std::thread([this] { monitor(); });
}

void UiWatchdog::stop() {
  m_timer.stop();
  if (QCoreApplication* app = QCoreApplication::instance()) app->removeEventFilter(this);
  if (!m_monitor.joinable()) return;
  {
    std::lock_guard lock(m_mutex);
    m_quit = true;
  }
  m_wake.notify_all();
  m_monitor.join();
}

std::vector<UiStall> UiWatchdog::stalls() const {
  std::lock_guard lock(m_mutex);
  return m_stalls;
}

double UiWatchdog::longestLateMs() const {
  return m_longestLateMs;
}

double UiWatchdog::secondsSinceStart(Clock::time_point t) const {
  return std::chrono::duration<double>(t - m_started).count();
}

bool UiWatchdog::eventFilter(QObject* watched, QEvent* event) {
  // The application's filters see only the UI thread's objects; a few relaxed stores.
  m_eventType.store(static_cast<int>(event->type()), std::memory_order_relaxed);
  m_receiverClass.store(watched->metaObject()->className(), std::memory_order_relaxed);
  const QObject* parent = watched->parent();
  m_parentClass.store(parent ? parent->metaObject()->className() : nullptr,
                      std::memory_order_relaxed);
  return false;
}

void UiWatchdog::beat() {
  const Clock::time_point now = Clock::now();
  const double late = msBetween(m_lastBeatUi, now) - m_options.intervalMs;
  const Clock::time_point previous = m_lastBeatUi;
  m_lastBeatUi = now;
  const quint64 beatNumber = m_beats.load(std::memory_order_relaxed);
  m_lastBeat.store(now.time_since_epoch().count(), std::memory_order_release);
  m_beats.store(beatNumber + 1, std::memory_order_release);
  m_longestLateMs = std::max(m_longestLateMs, late);
  if (late <= m_options.thresholdMs) return;

  UiStall stall;
  {
    std::lock_guard lock(m_mutex);
    if (m_liveBeat == beatNumber) stall = m_live;
    stall.startSeconds = secondsSinceStart(previous);
    stall.ms = late;
    m_stalls.push_back(stall);
  }
  if (m_options.printToStderr)
    std::fprintf(stderr, "bayeslab: UI stall %s\n", qPrintable(stall.describe()));
}

void UiWatchdog::monitor() {
  // Often enough to see a block early in its course: what the UI thread was
  // delivering a quarter of a threshold in is what it is stuck on.
  const auto period = std::chrono::milliseconds(
      std::clamp(std::min(m_options.intervalMs, m_options.thresholdMs / 4), 1, 10));
  const double notice = m_options.thresholdMs / 4.0;
  quint64 warnedBeat = ~quint64(0);
  std::unique_lock lock(m_mutex);
  while (!m_wake.wait_for(lock, period, [this] { return m_quit; })) {
    const quint64 beatNumber = m_beats.load(std::memory_order_acquire);
    const Clock::time_point last{Clock::duration(m_lastBeat.load(std::memory_order_acquire))};
    const double late = msBetween(last, Clock::now()) - m_options.intervalMs;
    if (late <= notice) continue;
    if (m_liveBeat != beatNumber) {
      m_liveBeat = beatNumber;
      m_live = UiStall{};
      m_live.seenLive = true;
      m_live.eventType = m_eventType.load(std::memory_order_relaxed);
      m_live.receiverClass = m_receiverClass.load(std::memory_order_relaxed);
      m_live.parentClass = m_parentClass.load(std::memory_order_relaxed);
    }
    // A UI thread gone for a second is a hang: say so while it lasts.
    if (m_options.printToStderr && late > 1000.0 && warnedBeat != beatNumber) {
      warnedBeat = beatNumber;
      UiStall live = m_live;
      live.startSeconds = secondsSinceStart(last);
      live.ms = late;
      std::fprintf(stderr, "bayeslab: UI thread not responding, %s (still blocked)\n",
                   qPrintable(live.describe()));
    }
  }
}

UiWatchdog* UiWatchdog::installFromEnvironment() {
  const QByteArray value = qgetenv("BAYESLAB_UI_WATCHDOG");
  if (value.isEmpty() || value == "0") return nullptr;
  Options options;
  options.printToStderr = true;
  bool ok = false;
  const int ms = value.toInt(&ok);
  if (ok && ms > 1) options.thresholdMs = ms;
  auto* watchdog = new UiWatchdog(options, QCoreApplication::instance());
  watchdog->start();
  std::fprintf(stderr, "bayeslab: UI watchdog on, reporting stalls over %d ms\n",
               options.thresholdMs);
  return watchdog;
}

}  // namespace bayeslab::ui
