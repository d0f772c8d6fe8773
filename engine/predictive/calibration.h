#pragma once
// Uncertainty quality.
//
// Reliability diagram (Guo et al. 2017): test points binned by confidence
// c = max_k p_k into equal-width bins; per bin the mean confidence and the
// accuracy. Expected calibration error ECE = sum_b (n_b / n) |acc_b - conf_b|.
//
// Out-of-distribution detection with a score s (the predictive entropy): AUROC =
// P(s_ood > s_in) + P(s_ood = s_in) / 2, the Mann-Whitney statistic (1: perfect
// separation, 0.5: chance).
#include <vector>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

struct ReliabilityBin {
  double lower = 0, upper = 0;
  double confidence = 0;  // mean confidence of the points in the bin
  double accuracy = 0;
  Index count = 0;
};

struct ReliabilityDiagram {
  std::vector<ReliabilityBin> bins;
  double ece = 0;
};

ReliabilityDiagram reliabilityDiagram(const Matrix& probabilities, const IndexVector& labels,
                                      int bins = 10);
double expectedCalibrationError(const Matrix& probabilities, const IndexVector& labels,
                                int bins = 10);

// AUROC of separating `positives` (out of distribution) from `negatives` by score.
double areaUnderRoc(std::vector<double> negatives, std::vector<double> positives);

// Counts of `values` in `bins` equal-width bins on [lower, upper] (clamped).
std::vector<Index> histogram(const std::vector<double>& values, double lower, double upper,
                             int bins);

BAYESLAB_END_NAMESPACE
