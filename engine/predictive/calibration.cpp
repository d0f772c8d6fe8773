#include "engine/predictive/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>

BAYESLAB_BEGIN_NAMESPACE

ReliabilityDiagram reliabilityDiagram(const Matrix& probabilities, const IndexVector& labels,
                                      int bins) {
  ReliabilityDiagram d;
  d.bins.resize(static_cast<size_t>(bins));
  std::vector<double> correct(static_cast<size_t>(bins), 0.0);
  for (int b = 0; b < bins; ++b) {
    d.bins[static_cast<size_t>(b)].lower = static_cast<double>(b) / bins;
    d.bins[static_cast<size_t>(b)].upper = static_cast<double>(b + 1) / bins;
  }
  const Index M = probabilities.cols();
  for (Index i = 0; i < M; ++i) {
    Index predicted = 0;
    const double conf = probabilities.col(i).maxCoeff(&predicted);
    const auto b = static_cast<size_t>(std::clamp(static_cast<int>(conf * bins), 0, bins - 1));
    d.bins[b].count += 1;
    d.bins[b].confidence += conf;
    correct[b] += predicted == labels(i) ? 1.0 : 0.0;
  }
  for (size_t b = 0; b < d.bins.size(); ++b) {
    ReliabilityBin& bin = d.bins[b];
    if (bin.count == 0) continue;
    bin.confidence /= static_cast<double>(bin.count);
    bin.accuracy = correct[b] / static_cast<double>(bin.count);
    d.ece += static_cast<double>(bin.count) / static_cast<double>(M) *
             std::abs(bin.accuracy - bin.confidence);
  }
  return d;
}

double expectedCalibrationError(const Matrix& probabilities, const IndexVector& labels, int bins) {
  if (probabilities.cols() == 0) return std::numeric_limits<double>::quiet_NaN();
  return reliabilityDiagram(probabilities, labels, bins).ece;
}

double areaUnderRoc(std::vector<double> negatives, std::vector<double> positives) {
  if (negatives.empty() || positives.empty()) return std::numeric_limits<double>::quiet_NaN();
  // Rank-sum: for each positive, count negatives below it (ties count one half).
  std::sort(negatives.begin(), negatives.end());
  double wins = 0.0;
  for (double p : positives) {
    const auto lower = std::lower_bound(negatives.begin(), negatives.end(), p);
    const auto upper = std::upper_bound(negatives.begin(), negatives.end(), p);
    wins +=
        static_cast<double>(lower - negatives.begin()) + 0.5 * static_cast<double>(upper - lower);
  }
  return wins / (static_cast<double>(negatives.size()) * static_cast<double>(positives.size()));
}

std::vector<Index> histogram(const std::vector<double>& values, double lower, double upper,
                             int bins) {
  std::vector<Index> counts(static_cast<size_t>(bins), 0);
  const double width = (upper - lower) / bins;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    const int b = std::clamp(static_cast<int>(std::floor((v - lower) / width)), 0, bins - 1);
    ++counts[static_cast<size_t>(b)];
  }
  return counts;
}

BAYESLAB_END_NAMESPACE
