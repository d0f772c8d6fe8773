// bayeslab: the desktop application. With no display (no X11 / Wayland and no
// QT_QPA_PLATFORM chosen), it runs the headless demo instead and says where
// the figures went.
#include <QApplication>
#include <QBuffer>
#include <QCommandLineParser>
#include <QTimer>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>

#include "app/demo_command.h"
#include "app/qt_messages.h"
#include "app/ui_measure.h"
#include "engine/core/floating_point.h"
#include "engine/core/heap_tuning.h"
#include "ui/diagnostics/ui_watchdog.h"
#include "ui/export/figure_export.h"
#include "ui/main_actions.h"
#include "ui/main_window.h"
#include "ui/session/autosave.h"
#include "ui/session/window_autosave.h"
#include "ui/training/training_controller.h"
#include "ui/views/views_area.h"

int main(int argc, char** argv) {
  // Before any thread starts: every thread inherits it (engine/core/floating_point.h).
  bayeslab::flushSubnormalsToZero();
  // Per-call buffers reuse freed memory instead of fresh pages (engine/core/heap_tuning.h).
  bayeslab::keepFreedMemoryForReuse();
  // --measure-ui drives the real window; with no display it does so offscreen.
  const bool measuring = std::any_of(
      argv + 1, argv + argc, [](const char* a) { return std::strcmp(a, "--measure-ui") == 0; });
  const bool headless = bayeslab::app::displayUnavailable() && !measuring;
  if (measuring && bayeslab::app::displayUnavailable()) qputenv("QT_QPA_PLATFORM", "offscreen");
  if (headless) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    bayeslab::app::silenceOffscreenNoise();
  }
  std::unique_ptr<QApplication> application =
      measuring ? std::make_unique<bayeslab::app::TimingApplication>(argc, argv)
                : std::make_unique<QApplication>(argc, argv);
  QApplication& app = *application;
  QApplication::setApplicationName("BayesLab");
  QApplication::setOrganizationName("BayesLab");
  QApplication::setApplicationVersion(BAYESLAB_VERSION);

  QCommandLineParser parser;
  parser.setApplicationDescription("BayesLab: Bayesian neural networks, live.");
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption demo("demo", "Run the headless demo and write its figures, then exit.");
  QCommandLineOption out("out", "Folder for the demo's outputs (default: bayeslab-demo).", "dir",
                         "bayeslab-demo");
  QCommandLineOption screenshot(
      "screenshot", "Play the session, save a picture of the window to this file, exit.",
      "file.png");
  QCommandLineOption screenshotAfter(
      "screenshot-after", "Seconds of training before --screenshot (default 5).", "seconds", "5");
  QCommandLineOption tab("tab",
                         "With --screenshot: show the views tab with this title first (e.g. "
                         "\"Exact reference\", \"Chains\").",
                         "title");
  QCommandLineOption measureCost(
      "measure-cost",
      "With --screenshot: after the training, measure every method's cost (the Cost tab's "
      "Measure, with its default budget) and grab the window when the measurement is done.");
  QCommandLineOption size("size", "Window size for --screenshot (default 1600x1000).", "WxH",
                          "1600x1000");
  QCommandLineOption measureUi(
      "measure-ui",
      "Train each toy workload in the window and report the longest UI stall, the frame times "
      "and the time to the first window, then exit.");
  QCommandLineOption measureJson("json", "With --measure-ui: also write the results here.", "file");
  parser.addOption(measureUi);
  parser.addOption(measureJson);
  QCommandLineOption measureCompare(
      "compare",
      "With --measure-ui: also measure N toy runs (2-6) training side by side in the compare "
      "window.",
      "n");
  parser.addOption(measureCompare);
  parser.addOption(demo);
  parser.addOption(out);
  parser.addOption(screenshot);
  parser.addOption(screenshotAfter);
  parser.addOption(size);
  parser.addOption(tab);
  parser.addOption(measureCost);
  // Autosave and crash recovery (ui/session/window_autosave.h).
  QCommandLineOption restoreAutosave(
      "restore-autosave",
      "If a BayesLab that did not exit cleanly left an autosaved session, open it without asking.");
  QCommandLineOption discardAutosave("discard-autosave",
                                     "Delete the autosaved sessions left by a BayesLab that did "
                                     "not exit cleanly, without asking.");
  QCommandLineOption noAutosave("no-autosave",
                                "Do not autosave this window's session (and offer nothing).");
  QCommandLineOption writeSession(
      "write-session",
      "Once the window's run exists (after any --restore-autosave), save its session to this "
      "file and exit (for scripts and tests).",
      "file.json");
  parser.addOption(restoreAutosave);
  parser.addOption(discardAutosave);
  parser.addOption(noAutosave);
  parser.addOption(writeSession);
  parser.addPositionalArgument("session", "A session file (.json) to open.", "[session]");
  parser.process(app);

  if (headless || parser.isSet(demo)) {
    if (headless) {
      std::printf("BayesLab: no display found, running the headless demo instead of the window.\n");
      std::fflush(stdout);
    }
    return bayeslab::app::runDemo(parser.value(out), false);
  }

  if (parser.isSet(measureUi)) {
    bayeslab::app::UiMeasureOptions options;
    options.jsonPath = parser.value(measureJson);
    // BAYESLAB_UI_WATCHDOG=<ms> lowers (or raises) the watchdog's threshold here too.
    if (const int ms = qEnvironmentVariableIntValue("BAYESLAB_UI_WATCHDOG"); ms > 1)
      options.watchdogThresholdMs = ms;
    if (parser.isSet(measureCompare)) {
      bool ok = false;
      options.compareRuns = parser.value(measureCompare).toInt(&ok);
      if (!ok || options.compareRuns < 2 || options.compareRuns > 6) {
        std::fprintf(stderr, "bayeslab: error: --compare must be 2..6\n");
        return 2;
      }
    }
    return bayeslab::app::measureUi(options, -1.0);
  }

  // Opt-in: BAYESLAB_UI_WATCHDOG=1 (or =<ms>) prints every UI stall over 50 ms (or ms) to stderr.
  bayeslab::ui::UiWatchdog::installFromEnvironment();
  bayeslab::ui::MainWindow window;
  std::function<void()> startWhenReady;  // --screenshot: outlives the event loop
  if (!parser.positionalArguments().isEmpty())
    window.openSession(parser.positionalArguments().first());
  if (!parser.isSet(screenshot) && !parser.isSet(noAutosave)) {
    if (parser.isSet(restoreAutosave) && parser.isSet(discardAutosave)) {
      std::fprintf(stderr,
                   "bayeslab: error: --restore-autosave and --discard-autosave exclude "
                   "each other\n");
      return 2;
    }
    bayeslab::ui::quitOnTerminationSignals();  // SIGTERM: a clean exit, the autosave removed
    bayeslab::ui::setUpWindowAutosave(
        window, parser.isSet(restoreAutosave)   ? bayeslab::ui::RecoveryChoice::Restore
                : parser.isSet(discardAutosave) ? bayeslab::ui::RecoveryChoice::Discard
                                                : bayeslab::ui::RecoveryChoice::Ask);
  }
  if (parser.isSet(writeSession)) {
    const QString file = parser.value(writeSession);
    auto* poll = new QTimer(&window);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, file, poll] {
      if (!window.controller()->hasRun()) return;
      poll->stop();
      const bool ok = window.saveSession(file);
      std::printf("%s %s\n", ok ? "wrote" : "could not write", qPrintable(file));
      std::fflush(stdout);
      QApplication::exit(ok ? 0 : 1);
    });
    poll->start(100);
  }
  if (parser.isSet(screenshot)) {
    // For documentation and for checking a view by eye: train for a while on
    // the real window, then grab it.
    const QStringList wh = parser.value(size).split('x');
    if (wh.size() == 2) window.resize(wh[0].toInt(), wh[1].toInt());
    const int afterMs = static_cast<int>(parser.value(screenshotAfter).toDouble() * 1000.0);
    const auto grab = [&window, file = parser.value(screenshot)] {
      // Let the charts lay out what arrived last.
      QTimer::singleShot(400, &window, [&window, file] {
        // Atomically, as every save (ui/export/figure_export.h).
        QByteArray png;
        QBuffer buffer(&png);
        bool ok = buffer.open(QIODevice::WriteOnly) && window.grab().save(&buffer, "PNG");
        try {
          if (ok) bayeslab::ui::writeFileAtomically(file, png);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "%s\n", e.what());
          ok = false;
        }
        std::printf("%s %s\n", ok ? "saved" : "could not save", qPrintable(file));
        QApplication::exit(ok ? 0 : 1);
      });
    };
    const bool cost = parser.isSet(measureCost);
    const auto stopAndGrab = [&window, grab, cost] {
      window.controller()->pause();
      if (!cost) {
        grab();
        return;
      }
      bayeslab::ui::CostService& service = window.views()->costService();
      QObject::connect(&service, &bayeslab::ui::CostService::frameReady, &window,
                       [grab](const bayeslab::ui::CostFramePtr& frame) {
                         if (frame->complete) grab();
                       });
      window.views()->measureCost();
    };
    // A session's run is built on the training thread (image data take a moment to
    // load) and a tab enables only once its run exists: select the tab and train
    // when the run is there, then grab `afterMs` later.
    startWhenReady = [&window, &startWhenReady, stopAndGrab, afterMs, title = parser.value(tab)] {
      if (!window.controller()->hasRun()) {
        QTimer::singleShot(100, &window, startWhenReady);
        return;
      }
      if (!title.isEmpty() && !window.views()->showTabNamed(title))
        std::fprintf(stderr, "no enabled tab named \"%s\"\n", qPrintable(title));
      window.controller()->play();
      QTimer::singleShot(afterMs, &window, stopAndGrab);
    };
    QTimer::singleShot(300, &window, startWhenReady);
  }
  window.show();
  return app.exec();
}
