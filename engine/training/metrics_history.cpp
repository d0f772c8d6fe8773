#include "engine/training/metrics_history.h"

#include <algorithm>

BAYESLAB_BEGIN_NAMESPACE

MetricsHistory::MetricsHistory(std::size_t rows, std::size_t evaluations)
    : m_steps(rows), m_evaluations(evaluations) {}

void MetricsHistory::push(const MetricsRow& row) {
  m_lastElbos[static_cast<size_t>(m_steps.pushed() % kElboWindow)] = row.elbo;
  m_steps.push(row);
  if (row.evaluated()) m_evaluations.push(row);
  m_dirty = true;
}

void MetricsHistory::clear() {
  m_steps.clear();
  m_evaluations.clear();
  m_merged.clear();
  m_merged.shrink_to_fit();
  m_dirty = false;
}

const std::vector<MetricsRow>& MetricsHistory::rows() const {
  if (!m_dirty) return m_merged;
  m_dirty = false;
  const auto& a = m_steps.items();
  const auto& b = m_evaluations.items();
  m_merged.clear();
  m_merged.reserve(a.size() + b.size());
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].step < b[j].step)) {
      m_merged.push_back(a[i++]);
    } else if (i == a.size() || b[j].step < a[i].step) {
      m_merged.push_back(b[j++]);
    } else {  // the same step in both: one row
      m_merged.push_back(b[j++]);
      ++i;
    }
  }
  return m_merged;
}

double MetricsHistory::finalElbo() const {
  const std::uint64_t n = m_steps.pushed();
  if (n == 0) return MetricsRow::kNaN;
  const std::uint64_t window = std::clamp<std::uint64_t>(n / 10, 1, kElboWindow);
  double sum = 0.0;
  for (std::uint64_t k = n - window; k < n; ++k)
    sum += m_lastElbos[static_cast<size_t>(k % kElboWindow)];
  return sum / static_cast<double>(window);
}

BAYESLAB_END_NAMESPACE
