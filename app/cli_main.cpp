// bayeslab-cli: BayesLab without a display.
//
//   bayeslab-cli train SESSION.json --out DIR [--quiet] [--no-figures]
//   bayeslab-cli compare A.json B.json [C.json ...] --out DIR [--quiet] [--no-figures]
//   bayeslab-cli cost SESSION.json --out DIR [--steps N] [--methods a,b,...] [--quiet]
//   bayeslab-cli validate SESSION.json
//   bayeslab-cli demo [--out DIR]
//
// Exit codes: 0 ok, 1 outputs could not be written, 2 bad input (session,
// data file or command line; one line on stderr names the file and field),
// 3 the run diverged (outputs up to the divergence are written).
#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <cstdio>
#include <optional>

#include "app/bench_command.h"
#include "app/compare_command.h"
#include "app/cost_command.h"
#include "app/demo_command.h"
#include "app/qt_messages.h"
#include "app/train_command.h"
#include "engine/core/errors.h"
#include "engine/core/floating_point.h"
#include "engine/core/heap_tuning.h"
#include "engine/training/session_json.h"

using namespace bayeslab::app;

namespace {

int usageError(const QString& message) {
  std::fprintf(stderr, "bayeslab-cli: error: %s (see bayeslab-cli --help)\n", qPrintable(message));
  return kExitBadInput;
}

const char* kUsage =
    "Usage:\n"
    "  bayeslab-cli train SESSION.json --out DIR [--quiet] [--no-figures]\n"
    "  bayeslab-cli compare A.json B.json [C.json ...] --out DIR [--quiet] [--no-figures]\n"
    "  bayeslab-cli cost SESSION.json --out DIR [--steps N] [--methods a,b,...] [--quiet]\n"
    "  bayeslab-cli validate SESSION.json\n"
    "  bayeslab-cli demo [--out DIR] [--quiet]\n"
    "  bayeslab-cli bench [--json FILE] [--threads N] [--only KEY] [--reference SCRIPT]\n";

}  // namespace

int main(int argc, char** argv) {
  // Before any thread starts: every thread inherits it (engine/core/floating_point.h).
  bayeslab::flushSubnormalsToZero();
  // Per-call buffers reuse freed memory instead of fresh pages (engine/core/heap_tuning.h).
  bayeslab::keepFreedMemoryForReuse();
  // The CLI never opens a window; figures are rendered offscreen. The
  // application object exists only for the figures (the GUI classes need it).
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  silenceOffscreenNoise();
  QStringList arguments;
  for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);

  QCommandLineParser parser;
  parser.setApplicationDescription(QString("BayesLab without a display.\n\n") + kUsage);
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption out({"o", "out"}, "Output folder.", "dir");
  QCommandLineOption quiet({"q", "quiet"}, "No progress on stderr.");
  QCommandLineOption noFigures("no-figures", "Write the data files only.");
  QCommandLineOption costSteps(
      "steps",
      QString("cost: training steps per method, the same for every method (default: the "
              "session's steps, at most %1).")
          .arg(bayeslab::CostOptions::kDefaultStepCap),
      "n");
  QCommandLineOption costMethods(
      "methods", "cost: the methods to measure, comma-separated (default: every method).", "list");
  QCommandLineOption jsonFile("json", "bench: also write the results to this JSON file.", "file");
  QCommandLineOption threads("threads", "bench: threads (default 2, as the PyTorch reference).",
                             "n", "2");
  QCommandLineOption only("only", "bench: run one workload (e.g. w3_mnist_lrt).", "key");
  QCommandLineOption reference(
      "reference",
      "bench: run this PyTorch reference script first (torch_reference.py) "
      "and print the speed-up of each workload over it.",
      "script");
  QCommandLineOption python("python",
                            "bench: interpreter for --reference (default /usr/bin/python3).",
                            "path", "/usr/bin/python3");
  parser.addOption(out);
  parser.addOption(quiet);
  parser.addOption(noFigures);
  parser.addOption(costSteps);
  parser.addOption(costMethods);
  parser.addOption(jsonFile);
  parser.addOption(threads);
  parser.addOption(only);
  parser.addOption(reference);
  parser.addOption(python);
  parser.addPositionalArgument("command", "train | compare | cost | validate | demo | bench");
  parser.addPositionalArgument("session", "Session file (train, cost, validate).", "[session]");
  if (!parser.parse(arguments)) return usageError(parser.errorText());
  if (parser.isSet("help")) {
    std::printf("%s", qPrintable(parser.helpText()));
    return kExitOk;
  }
  if (parser.isSet("version")) {
    std::printf("bayeslab-cli %s\n", BAYESLAB_VERSION);
    return kExitOk;
  }

  const QStringList args = parser.positionalArguments();
  if (args.isEmpty()) return usageError("no command given");
  const QString command = args.first();
  std::optional<QApplication> app;
  if (command == "train" || command == "compare" || command == "cost" || command == "demo") {
    app.emplace(argc, argv);
    QApplication::setApplicationName("bayeslab-cli");
  }
  if (command == "train") {
    if (args.size() != 2) return usageError("train needs exactly one session file");
    if (!parser.isSet(out)) return usageError("train needs --out DIR");
    TrainCommandOptions options;
    options.outDir = parser.value(out);
    options.quiet = parser.isSet(quiet);
    options.figures = !parser.isSet(noFigures);
    return trainSessionFile(args[1], options);
  }
  if (command == "compare") {
    if (args.size() < 3) return usageError("compare needs at least two session files");
    if (!parser.isSet(out)) return usageError("compare needs --out DIR");
    CompareCommandOptions options;
    options.outDir = parser.value(out);
    options.quiet = parser.isSet(quiet);
    options.figures = !parser.isSet(noFigures);
    return compareSessionFiles(args.mid(1), options);
  }
  if (command == "cost") {
    if (args.size() != 2) return usageError("cost needs exactly one session file");
    if (!parser.isSet(out)) return usageError("cost needs --out DIR");
    CostCommandOptions options;
    options.outDir = parser.value(out);
    options.quiet = parser.isSet(quiet);
    if (parser.isSet(costSteps)) {
      bool ok = false;
      options.steps = parser.value(costSteps).toLongLong(&ok);
      if (!ok || options.steps < 1) return usageError("--steps must be a whole number >= 1");
    }
    if (parser.isSet(costMethods)) {
      options.methods = parser.value(costMethods).split(',', Qt::SkipEmptyParts);
      if (options.methods.isEmpty()) return usageError("--methods needs at least one method");
    }
    return costSessionFile(args[1], options);
  }
  if (command == "validate") {
    if (args.size() != 2) return usageError("validate needs exactly one session file");
    try {
      bayeslab::loadSession(args[1].toStdString());
    } catch (const bayeslab::InputError& e) {
      std::fprintf(stderr, "bayeslab-cli: error: %s\n", e.what());
      return kExitBadInput;
    }
    std::printf("%s: valid\n", qPrintable(args[1]));
    return kExitOk;
  }
  if (command == "bench") {
    if (args.size() != 1) return usageError("bench takes no session file");
    BenchOptions options;
    options.jsonPath = parser.value(jsonFile);
    bool ok = false;
    options.threads = parser.value(threads).toInt(&ok);
    if (!ok || options.threads < 1 || options.threads > 256)
      return usageError("--threads must be 1..256");
    options.only = parser.value(only);
    options.referencePath = parser.value(reference);
    options.python = parser.value(python);
    if (!options.referencePath.isEmpty() && !QFile::exists(options.referencePath))
      return usageError("--reference: no such file '" + options.referencePath + "'");
    options.quiet = parser.isSet(quiet);
    return runBench(options);
  }
  if (command == "demo") {
    if (args.size() != 1) return usageError("demo takes no session file");
    return runDemo(parser.isSet(out) ? parser.value(out) : QString("bayeslab-demo"),
                   parser.isSet(quiet));
  }
  return usageError("unknown command '" + command + "'");
}
