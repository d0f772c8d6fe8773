#include "app/demo_command.h"

#include <QDir>
#include <QFile>
#include <cstdio>
#include <cstdlib>

#include "app/train_command.h"
#include "engine/core/errors.h"
#include "engine/training/session_json.h"

namespace bayeslab::app {

QStringList demoSessions() {
  return {"blundell_bbb", "moons_bbb", "linear_bbb", "linear_hmc", "linear_sivi", "digits_bbb"};
}

bool displayUnavailable() {
  const auto empty = [](const char* name) {
    const char* v = std::getenv(name);
    return v == nullptr || *v == '\0';
  };
  return empty("QT_QPA_PLATFORM") && empty("DISPLAY") && empty("WAYLAND_DISPLAY");
}

int runDemo(const QString& outDir, bool quiet) {
  int worst = kExitOk;
  for (const QString& name : demoSessions()) {
    QFile file(":/sessions/" + name + ".json");
    if (!file.open(QIODevice::ReadOnly)) {
      std::fprintf(stderr, "bayeslab: error: the embedded session %s is missing\n",
                   qPrintable(name));
      return kExitFailure;
    }
    SessionConfig config;
    try {
      config = parseSessionJson(file.readAll().toStdString(), (name + ".json").toStdString());
    } catch (const InputError& e) {
      std::fprintf(stderr, "bayeslab: error: %s\n", e.what());
      return kExitFailure;
    }
    TrainCommandOptions options;
    options.outDir = QDir(outDir).filePath(name);
    options.quiet = quiet;
    const int code = runTrainCommand(config, name + ".json", options);
    if (code != kExitOk) worst = code;
  }
  std::printf("BayesLab demo: wrote the outputs and figures (PNG, SVG) of %lld runs to %s\n",
              static_cast<long long>(demoSessions().size()),
              qPrintable(QDir(outDir).absolutePath()));
  return worst;
}

}  // namespace bayeslab::app
