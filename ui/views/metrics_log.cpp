#include "ui/views/metrics_log.h"

#include <cassert>

namespace bayeslab::ui {

void MetricsLog::append(const std::vector<MetricsRow>& rows) {
  for (const MetricsRow& row : rows) {
    if (m_chunks.empty() || m_chunks.back()->size() == kChunkRows) {
      m_chunks.push_back(std::make_unique<std::vector<MetricsRow>>());
      m_chunks.back()->reserve(kChunkRows);
    }
    m_chunks.back()->push_back(row);
    ++m_size;
  }
}

void MetricsLog::clear() {
  m_chunks.clear();
  m_size = 0;
}

const MetricsRow& MetricsLog::back() const {
  assert(m_size > 0);
  return m_chunks.back()->back();
}

std::vector<MetricsRow> MetricsLog::toVector() const {
  std::vector<MetricsRow> all;
  all.reserve(m_size);
  for (const auto& chunk : m_chunks) all.insert(all.end(), chunk->begin(), chunk->end());
  return all;
}

}  // namespace bayeslab::ui
