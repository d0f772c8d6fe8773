#pragma once
// The outputs of a finished run (SPEC.md section 5):
//   metrics.csv    step, elbo, expected_log_likelihood, kl, objective, seconds,
//                  test_log_likelihood, test_rmse | test_accuracy, method extras
//   summary.json   final_elbo, test_log_likelihood, test_rmse | test_accuracy, test_ece,
//                  train_seconds, parameters, ...
//   posterior.json per layer weight/bias means and std devs (weights [d_out][d_in]),
//                  plus weight_samples / bias_samples for sample-based posteriors
//   predictive.csv regression: x0, mean, std_epistemic, std_total on a grid beyond the data;
//                  classification: x0, x1, p0..pK-1, entropy, mutual_information on a grid
//   data.csv       the training data used: x0.., y
//   rotation.csv   image data: angle, p0..p9, entropy, mutual_information for a test digit
//                  (the first "1" of the test set, or the first digit) rotated 0..180 degrees
// Every file is written atomically: an earlier file is never replaced by a partial one.
#include <filesystem>
#include <optional>
#include <string>

#include "engine/predictive/calibration.h"
#include "engine/predictive/grid.h"
#include "engine/predictive/predictive.h"
#include "engine/predictive/rotation.h"
#include "engine/training/trainer.h"

BAYESLAB_BEGIN_NAMESPACE

struct RunOutputOptions {
  Index regressionGridPoints = 200;
  int classificationGridResolution = 100;
  int predictiveSamples = 100;
  double rotationStep = 10.0;  // degrees
};

// In- and out-of-distribution predictive entropies and how well they separate.
struct OutOfDistributionResult {
  std::vector<double> inDistributionEntropy;  // test points of the training classes
  std::vector<double> outOfDistributionEntropy;
  double auroc = 0.0;
};

// Everything computed from a trained model for the outputs and the figures.
struct RunResults {
  TestMetrics test;
  double finalElbo = 0.0;
  std::optional<Grid1D> regressionGrid;
  std::optional<RegressionPredictive> regression;
  std::optional<Grid2D> classificationGrid;
  std::optional<ClassificationPredictive> classification;
  std::optional<ReliabilityDiagram> reliability;  // classification
  std::optional<RotationSweep> rotation;          // image data
  Index rotationIndex = -1;                       // which test image was rotated
  std::optional<OutOfDistributionResult> outOfDistribution;
  PosteriorSummary posterior;
};

// The test digit the rotation view starts from: the first "1" (Gal & Ghahramani), else the first.
Index defaultRotationDigit(const Dataset& test);
RotationSweep rotationOf(const Trainer& trainer, const Posterior& posterior, Index testIndex,
                         int samples, double step);

RunResults computeRunResults(const Trainer& trainer, const RunOutputOptions& options = {});

std::string metricsCsv(const std::vector<MetricsRow>& history, Task task);
std::string summaryJson(const Trainer& trainer, const RunResults& results);
std::string posteriorJson(const PosteriorSummary& summary, const Trainer& trainer);
std::string predictiveCsv(const RunResults& results);
std::string rotationCsv(const RotationSweep& sweep);

// Writes the five data files into `dir` (created if needed). Throws std::runtime_error.
void writeRunOutputs(const std::filesystem::path& dir, const Trainer& trainer,
                     const RunResults& results);

BAYESLAB_END_NAMESPACE
