#include "app/compare_command.h"

#include <QDir>
#include <QFileInfo>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "app/train_command.h"
#include "engine/core/errors.h"
#include "engine/training/session_json.h"
#include "engine/training/trainer.h"
#include "ui/compare/comparison_figures.h"
#include "ui/compare/comparison_table.h"
#include "ui/export/figure_export.h"

namespace bayeslab::app {

namespace {

void printError(const std::string& message) {
  std::fprintf(stderr, "bayeslab-cli: error: %s\n", message.c_str());
}

// Base names of the session files, made unique ("a", "a_2", ...).
QStringList runNames(const QStringList& paths) {
  QStringList names;
  for (const QString& path : paths) {
    const QString base = QFileInfo(path).completeBaseName();
    QString name = base.isEmpty() ? QString("run") : base;
    for (int k = 2; names.contains(name); ++k) name = QString("%1_%2").arg(base).arg(k);
    names << name;
  }
  return names;
}

struct Run {
  QString name;
  QString path;
  SessionConfig config;
  std::unique_ptr<Trainer> trainer;
  RunResults results;
};

}  // namespace

int compareSessionFiles(const QStringList& paths, const CompareCommandOptions& options) {
  const QStringList names = runNames(paths);
  std::vector<Run> runs(static_cast<size_t>(paths.size()));
  // Read every session and build every trainer before anything is written.
  for (qsizetype k = 0; k < paths.size(); ++k) {
    Run& run = runs[static_cast<size_t>(k)];
    run.name = names[k];
    run.path = paths[k];
    const std::string label = paths[k].toStdString();
    try {
      run.config = loadSession(label);
      if (k > 0) {
        run.config.dataset = runs.front().config.dataset;  // the first session's data
        if (auto error = run.config.validate())
          throw InputError(label, error->field, error->message);
        run.trainer = std::make_unique<Trainer>(run.config, runs.front().trainer->sharedData());
      } else {
        run.trainer = std::make_unique<Trainer>(run.config);
      }
    } catch (const InputError& e) {
      const std::string file = e.file().empty() ? label : e.file();
      printError(InputError(file, e.field(), e.message()).what());
      return kExitBadInput;
    }
  }

  if (!options.quiet)
    std::fprintf(stderr, "training %zu runs side by side on the data of %s\n", runs.size(),
                 qPrintable(paths.front()));
  // One thread per run; the engine's thread team belongs to the calling thread.
  {
    std::vector<std::thread> threads;
    for (Run& run : runs)
      threads.emplace_back([&run] {
        run.trainer->run(run.config.training.steps);
        run.results = computeRunResults(*run.trainer);
      });
    for (std::thread& t : threads) t.join();
  }

  std::vector<ui::ComparisonRow> rows;
  bool diverged = false;
  for (const Run& run : runs) {
    const Trainer& t = *run.trainer;
    ui::ComparisonRow row;
    row.run = run.name;
    row.method = QString::fromStdString(t.config().method.name);
    row.prior = ui::priorLabel(t.config().prior);
    row.finalElbo = run.results.finalElbo;
    row.test = run.results.test;
    row.steps = t.step();
    row.msPerStep = t.step() > 0 ? 1e3 * t.trainingSeconds() / static_cast<double>(t.step())
                                 : TestMetrics::kNaN;
    row.parameters = t.parameterCount();
    rows.push_back(row);
    diverged = diverged || t.status() == TrainerStatus::Diverged;
    if (!options.quiet)
      std::fprintf(stderr, "%-16s %-24s steps %lld  final ELBO %.4g  test log-lik %.4g  %s\n",
                   qPrintable(run.name), qPrintable(ui::runTitle(t.config())),
                   static_cast<long long>(t.step()), row.finalElbo, row.test.logLikelihood,
                   t.status() == TrainerStatus::Diverged ? "DIVERGED" : "");
  }

  try {
    const QDir out(options.outDir);
    if (!QDir().mkpath(options.outDir))
      throw std::runtime_error(options.outDir.toStdString() + ": cannot create the folder");
    for (const Run& run : runs)
      writeTrainOutputs(out.filePath(run.name), run.config, *run.trainer, run.results,
                        options.figures);
    ui::writeFileAtomically(out.filePath("comparison.csv"),
                            ui::comparisonCsv(rows, runs.front().trainer->data().train.task).toUtf8());
    QStringList figures;
    if (options.figures) {
      std::vector<ui::ComparedRun> compared;
      for (const Run& run : runs) compared.push_back({run.name, run.trainer.get(), &run.results});
      figures = ui::writeComparisonFigures(options.outDir, compared);
    }
    if (!options.quiet)
      std::fprintf(stderr, "wrote %s (comparison.csv, %lld comparison figure files, %zu run folders)\n",
                   qPrintable(QDir(options.outDir).absolutePath()),
                   static_cast<long long>(figures.size()), runs.size());
  } catch (const std::exception& e) {
    printError(e.what());
    return kExitFailure;
  }
  return diverged ? kExitDiverged : kExitOk;
}

}  // namespace bayeslab::app
