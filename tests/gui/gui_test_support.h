#pragma once
// Helpers shared by the GUI tests that drive the main window: start a run
// from a config, small sessions, and screenshots for looking at the views by
// eye (saved only when BAYESLAB_SCREENSHOT_DIR names a folder).
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTest>
#include <QWidget>

#include "engine/training/session.h"
#include "ui/main_window.h"
#include "ui/panels/control_panel.h"
#include "ui/training/training_controller.h"

namespace bayeslab::test {

inline constexpr int kGuiTimeoutMs = 20000;

// Shows `config` in the panels and starts a run from it; true when the run exists.
inline bool startRun(ui::MainWindow& window, const SessionConfig& config) {
  window.controls()->setSession(config);
  const quint64 id = window.controller()->reset(window.controls()->session());
  return id != 0 &&
         QTest::qWaitFor([&] { return window.controller()->runId() == id; }, kGuiTimeoutMs);
}

// A small MLP on the embedded MNIST digits: fast enough for a test.
inline SessionConfig smallDigitsSession(const std::string& classes, const std::string& method) {
  SessionConfig c;
  c.dataset.name = "mnist";
  c.dataset.nTrain = 1000;
  c.dataset.nTest = 300;
  c.dataset.options.set("digits", classes);
  c.model.hidden = {32};
  c.method.name = method;
  c.training.steps = 400;
  c.training.batchSize = 50;
  c.training.learningRate = 3e-3;
  c.training.evalEvery = 50;
  c.training.evalSamples = 8;
  return c;
}

// Milliseconds of UI-thread time per frame: the view is given `frame` again
// and the events it posts are processed, 20 times.
template <typename View, typename Frame>
double uiMillisecondsPerFrame(View& view, const Frame& frame) {
  constexpr int kRepeats = 20;
  QElapsedTimer clock;
  clock.start();
  for (int k = 0; k < kRepeats; ++k) {
    view.setFrame(frame);
    QApplication::processEvents();
  }
  return static_cast<double>(clock.nsecsElapsed()) * 1e-6 / kRepeats;
}

inline void saveScreenshot(QWidget& widget, const QString& name) {
  const QString dir = qEnvironmentVariable("BAYESLAB_SCREENSHOT_DIR");
  if (dir.isEmpty()) return;
  QDir().mkpath(dir);
  // Qt Charts lays out new data on later events: let it settle before the grab.
  QTest::qWait(300);
  widget.grab().save(QDir(dir).filePath(name + ".png"));
}

}  // namespace bayeslab::test
