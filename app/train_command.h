#pragma once
// `bayeslab-cli train SESSION.json --out DIR`: run a session without a display
// and write every output of SPEC.md section 5 (data files and figures).
#include <QString>
#include <QStringList>

#include "engine/io/run_writer.h"

#include "engine/training/session.h"

namespace bayeslab::app {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,   // could not write the outputs
  kExitBadInput = 2,  // bad session, data file or command line
  kExitDiverged = 3,  // the run diverged; outputs up to the divergence were written
};

struct TrainCommandOptions {
  QString outDir;
  bool quiet = false;
  bool figures = true;
};

// Trains `config` (read from `sessionLabel`, used in messages) and writes the outputs.
int runTrainCommand(const SessionConfig& config, const QString& sessionLabel,
                    const TrainCommandOptions& options);

// Writes everything `train` writes for a finished run into `dir` (data files,
// session.json, figures when `figures`); returns the figure files. Throws
// std::exception naming the file on a write failure.
QStringList writeTrainOutputs(const QString& dir, const SessionConfig& config,
                              const Trainer& trainer, const RunResults& results, bool figures);

// Loads the session file, then runs it; bad input gives one line on stderr and kExitBadInput.
int trainSessionFile(const QString& path, const TrainCommandOptions& options);

}  // namespace bayeslab::app
