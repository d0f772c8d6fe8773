#include "app/cost_command.h"

#include <unistd.h>

#include <QDir>
#include <QFileInfo>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "engine/core/errors.h"
#include "engine/diagnostics/cost_measurement.h"
#include "engine/io/atomic_file.h"
#include "engine/io/cost_csv.h"
#include "engine/training/session_json.h"
#include "ui/figures/cost_figures.h"

namespace bayeslab::app {

namespace {

void printError(const std::string& message) {
  std::fprintf(stderr, "bayeslab-cli: error: %s\n", message.c_str());
}

// Progress on stderr: a refreshed line on a terminal, one line per method otherwise.
class CostProgressPrinter {
 public:
  explicit CostProgressPrinter(bool enabled)
      : m_enabled(enabled), m_terminal(::isatty(STDERR_FILENO) == 1) {}

  CallbackResult operator()(const CostProgress& p) {
    if (!m_enabled) return CallbackResult::Continue;
    const auto now = std::chrono::steady_clock::now();
    if (p.step == 0 && !p.row) m_lastPrint = now;  // a method starts
    if (p.row) {
      const CostRow& r = *p.row;
      std::fprintf(stderr, "%scost: [%lld/%lld] %-12s ", m_terminal ? "\r" : "",
                   static_cast<long long>(p.method + 1), static_cast<long long>(p.methodCount),
                   r.method.c_str());
      if (r.ran)
        std::fprintf(stderr, "%8.4f ms/step  %8.4f ms/sample  test_log_likelihood %.4g%s\n",
                     r.msPerStep, r.msPerPredictiveSample, r.testLogLikelihood,
                     r.diverged ? "  (diverged)" : "");
      else
        std::fprintf(stderr, "%s\n", r.note.c_str());
    } else if (p.step > 0 && now - m_lastPrint > (m_terminal ? std::chrono::milliseconds(200)
                                                             : std::chrono::milliseconds(10000))) {
      // A refreshed line on a terminal; in a log, a line when a slow method has run 10 s.
      m_lastPrint = now;
      std::fprintf(stderr, "%scost: [%lld/%lld] %-12s step %lld/%lld", m_terminal ? "\r" : "",
                   static_cast<long long>(p.method + 1), static_cast<long long>(p.methodCount),
                   p.methodId.c_str(), static_cast<long long>(p.step),
                   static_cast<long long>(p.steps));
      const double left = p.secondsLeft();
      if (left > 5.0) std::fprintf(stderr, ", about %.0f s left for it", left);
      std::fprintf(stderr, m_terminal ? "   " : "\n");
    }
    std::fflush(stderr);
    return CallbackResult::Continue;
  }

 private:
  bool m_enabled, m_terminal;
  std::chrono::steady_clock::time_point m_lastPrint{};
};

}  // namespace

int costSessionFile(const QString& path, const CostCommandOptions& options) {
  const std::string label = path.toStdString();
  SessionConfig config;
  try {
    config = loadSession(label);
  } catch (const InputError& e) {
    printError(e.what());
    return kExitBadInput;
  }
  CostOptions cost;
  cost.steps = options.steps;
  for (const QString& id : options.methods) cost.methods.push_back(id.trimmed().toStdString());
  if (auto error = cost.validate()) {
    printError("--" + error->field + ": " + error->message);
    return kExitBadInput;
  }

  CostMeasurement measurement;
  try {
    measurement = measureCost(config, cost, CostProgressPrinter(!options.quiet));
  } catch (const InputError& e) {
    // The options were checked above: this is the session (its data, likelihood).
    printError(InputError(e.file().empty() ? label : e.file(), e.field(), e.message()).what());
    return kExitBadInput;
  }

  try {
    const std::filesystem::path dir = options.outDir.toStdString();
    std::filesystem::create_directories(dir);
    writeFileAtomically(dir / "cost.csv", costCsv(measurement));
    const QString dataset = QString::fromStdString(config.dataset.name) +
                            QString(", %1").arg(QFileInfo(path).fileName());
    const QStringList figures = ui::writeCostFigures(options.outDir, measurement, dataset);
    if (!options.quiet)
      std::fprintf(
          stderr,
          "cost: %zu methods x %lld steps in %.1f s; wrote %s (cost.csv, %lld figure files)\n",
          measurement.rows.size(), static_cast<long long>(measurement.steps), measurement.seconds,
          QDir(options.outDir).absolutePath().toStdString().c_str(),
          static_cast<long long>(figures.size()));
  } catch (const std::exception& e) {
    printError(e.what());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace bayeslab::app
