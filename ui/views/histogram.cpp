#include "ui/views/histogram.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace bayeslab::ui {

double Histogram::total() const {
  return std::accumulate(counts.begin(), counts.end(), 0.0);
}

double Histogram::maxCount() const {
  return counts.empty() ? 0.0 : *std::max_element(counts.begin(), counts.end());
}

Histogram makeHistogram(const std::vector<double>& values, int bins, double lower, double upper) {
  Histogram h;
  h.lower = lower;
  h.upper = upper > lower ? upper : lower + 1.0;
  h.counts.assign(static_cast<size_t>(std::max(1, bins)), 0.0);
  const double scale = h.counts.size() / (h.upper - h.lower);
  const int last = static_cast<int>(h.counts.size()) - 1;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    const int bin = std::clamp(static_cast<int>(std::floor((v - h.lower) * scale)), 0, last);
    h.counts[static_cast<size_t>(bin)] += 1.0;
  }
  return h;
}

std::pair<double, double> quantileRange(std::vector<double> values, double qLow, double qHigh) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
      values.end());
  if (values.empty()) return {0.0, 1.0};
  auto at = [&](double q) {
    const size_t k = static_cast<size_t>(std::round(q * (values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + static_cast<long>(k), values.end());
    return values[k];
  };
  double lo = at(qLow), hi = at(qHigh);
  if (!(hi - lo > 1e-12 * std::max(1.0, std::abs(lo)))) {
    const double pad = std::max(1e-3, std::abs(lo) * 0.1);
    lo -= pad;
    hi += pad;
  }
  return {lo, hi};
}

QList<QPointF> stepOutline(const Histogram& histogram) {
  QList<QPointF> points;
  const double w = histogram.binWidth();
  points.reserve(static_cast<qsizetype>(histogram.counts.size()) * 2 + 2);
  points.append(QPointF(histogram.lower, 0.0));
  for (size_t i = 0; i < histogram.counts.size(); ++i) {
    const double x0 = histogram.lower + i * w;
    points.append(QPointF(x0, histogram.counts[i]));
    points.append(QPointF(x0 + w, histogram.counts[i]));
  }
  points.append(QPointF(histogram.upper, 0.0));
  return points;
}

}  // namespace bayeslab::ui
