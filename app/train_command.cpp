#include "app/train_command.h"

#include <QDir>
#include <QFileInfo>
#include <cstdio>

#include "app/console_progress.h"
#include "engine/core/errors.h"
#include "engine/io/atomic_file.h"
#include "engine/io/run_writer.h"
#include "engine/training/session_json.h"
#include "engine/training/trainer.h"
#include "ui/figures/run_figures.h"

namespace bayeslab::app {

namespace {
void printError(const std::string& message) {
  std::fprintf(stderr, "bayeslab-cli: error: %s\n", message.c_str());
}
}  // namespace

QStringList writeTrainOutputs(const QString& dir, const SessionConfig& config,
                              const Trainer& trainer, const RunResults& results, bool figures) {
  const std::filesystem::path path = dir.toStdString();
  writeRunOutputs(path, trainer, results);
  writeFileAtomically(path / "session.json", sessionToJson(config));
  return figures ? ui::writeRunFigures(dir, trainer, results) : QStringList();
}

int runTrainCommand(const SessionConfig& config, const QString& sessionLabel,
                    const TrainCommandOptions& options) {
  const std::string label = sessionLabel.toStdString();
  std::unique_ptr<Trainer> trainer;
  try {
    trainer = std::make_unique<Trainer>(config);
  } catch (const InputError& e) {
    // Errors from building the run (data files, likelihood vs data) are about the session.
    const std::string file = e.file().empty() ? label : e.file();
    printError(InputError(file, e.field(), e.message()).what());
    return kExitBadInput;
  }

  ConsoleProgress progress(QFileInfo(sessionLabel).completeBaseName().toStdString(),
                           config.training.steps, !options.quiet);
  trainer->run(config.training.steps, [&](const MetricsRow& row) {
    progress.update(row);
    return CallbackResult::Continue;
  });
  progress.finish(*trainer);

  try {
    const RunResults results = computeRunResults(*trainer);
    const QStringList figures =
        writeTrainOutputs(options.outDir, config, *trainer, results, options.figures);
    if (!options.quiet)
      std::fprintf(stderr, "wrote %s (%lld figure files)\n",
                   QDir(options.outDir).absolutePath().toStdString().c_str(),
                   static_cast<long long>(figures.size()));
  } catch (const std::exception& e) {
    printError(e.what());
    return kExitFailure;
  }
  return trainer->status() == TrainerStatus::Diverged ? kExitDiverged : kExitOk;
}

int trainSessionFile(const QString& path, const TrainCommandOptions& options) {
  SessionConfig config;
  try {
    config = loadSession(path.toStdString());
  } catch (const InputError& e) {
    printError(e.what());
    return kExitBadInput;
  }
  return runTrainCommand(config, path, options);
}

}  // namespace bayeslab::app
