#pragma once
// `bayeslab-cli cost SESSION.json --out DIR [--steps N] [--methods a,b,..] [--quiet]`:
// measure what every method costs on the session (engine/diagnostics/cost_measurement.h)
// and write DIR/cost.csv and the figure cost.png / cost.svg.
#include <QString>
#include <QStringList>

#include "app/train_command.h"
#include "engine/diagnostics/cost_measurement.h"

namespace bayeslab::app {

struct CostCommandOptions {
  QString outDir;
  bool quiet = false;
  Index steps = 0;      // 0: the session's steps, capped
  QStringList methods;  // empty: every registered method
};

// Loads the session file and measures it. Exit codes as `train`: 0 ok, 1 the outputs
// could not be written, 2 bad input (one line naming the file or option and the field;
// nothing is written).
int costSessionFile(const QString& path, const CostCommandOptions& options);

}  // namespace bayeslab::app
