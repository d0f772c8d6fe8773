#pragma once
// One row per run of a comparison (SPEC.md section 5, `bayeslab-cli compare`):
//   run, method, prior, final_elbo, test_log_likelihood, test_rmse | test_accuracy,
//   test_ece, ms_per_step, parameters
// The same numbers the cost view measures for one run: final ELBO is the mean
// minibatch ELBO of the last 10% of the steps (at most 100, Trainer::finalElbo),
// the test metrics are over the whole test set, ms per step is the run's own
// training time divided by its steps. Written by the CLI's compare command and
// by "Export all" of the compare window, so both give the same file.
#include <QColor>
#include <QString>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/predictive/evaluation.h"
#include "engine/training/session.h"

namespace bayeslab::ui {

struct ComparisonRow {
  QString run;     // the run's name (its session file or "run 2")
  QString method;  // registry name, e.g. "bbb"
  QString prior;   // e.g. "gaussian(1)"
  double finalElbo = TestMetrics::kNaN;
  TestMetrics test;
  double msPerStep = TestMetrics::kNaN;
  Index parameters = 0;
  Index steps = 0;
};

// "gaussian(1)", "mixture(...)": the prior's name and scale as a short label.
QString priorLabel(const PriorConfig& prior);
// "bbb · gaussian(1)": how a run is titled in the small multiples.
QString runTitle(const SessionConfig& config);
// The colour of run k (Okabe & Ito, then cycling).
QColor runColor(int k);

// The header and rows of comparison.csv; the test metric column is test_rmse for
// regression and test_accuracy for classification. Missing values are empty.
QString comparisonCsv(const std::vector<ComparisonRow>& rows, Task task);

}  // namespace bayeslab::ui
