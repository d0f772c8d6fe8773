#pragma once
// Equal-width histograms for the weight views, drawn as a step outline.
#include <QList>
#include <QPointF>
#include <vector>

namespace bayeslab::ui {

struct Histogram {
  double lower = 0.0, upper = 1.0;
  std::vector<double> counts;
  double binWidth() const { return counts.empty() ? 0.0 : (upper - lower) / counts.size(); }
  double total() const;
  double maxCount() const;
};

// Values outside [lower, upper] land in the edge bins; non-finite ones are dropped.
Histogram makeHistogram(const std::vector<double>& values, int bins, double lower, double upper);

// [q_lo, q_hi] quantiles of the finite values (a range that ignores a few
// extreme outliers); {0, 1} for no values, widened when degenerate.
std::pair<double, double> quantileRange(std::vector<double> values, double qLow, double qHigh);

// The outline of the bars: (lower, 0), (lower, c0), (lower + w, c0), ... (upper, 0).
QList<QPointF> stepOutline(const Histogram& histogram);

}  // namespace bayeslab::ui
