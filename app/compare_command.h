#pragma once
// `bayeslab-cli compare A.json B.json [C.json ...] --out DIR` (SPEC.md section 5):
// trains the runs side by side, each on its own thread, on the data of the first
// session (each run keeps its own model, method, prior and knobs; its dataset
// section is replaced by the first session's, and every run gets the very same
// data object), then writes
//   DIR/comparison.csv   one row per run (ui/compare/comparison_table.h)
//   DIR/<run>/           exactly what `train` writes for that run
//   DIR/comparison_*.png|svg  the overlaid figures (ui/compare/comparison_figures.h)
// A run is named by its session file's base name (made unique with "_2", ...).
// Every session is read and every trainer built before anything is written: a
// bad session gives exit code 2 and one line naming the file and field, and no
// output at all.
#include <QString>
#include <QStringList>

namespace bayeslab::app {

struct CompareCommandOptions {
  QString outDir;
  bool quiet = false;
  bool figures = true;
};

int compareSessionFiles(const QStringList& paths, const CompareCommandOptions& options);

}  // namespace bayeslab::app
