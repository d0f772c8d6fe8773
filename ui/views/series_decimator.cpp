#include "ui/views/series_decimator.h"

#include <cmath>

namespace bayeslab::ui {

void SeriesDecimator::clear() {
  m_stride = 1;
  m_full.clear();
  m_partial = {};
}

void SeriesDecimator::append(double x, double y) {
  if (!std::isfinite(x) || !std::isfinite(y)) return;
  m_partial.sumX += x;
  m_partial.sumY += y;
  if (++m_partial.count < m_stride) return;
  m_full.push_back(m_partial);
  m_partial = {};
  if (static_cast<int>(m_full.size()) < m_maxPoints) return;
  std::vector<Bucket> merged;
  merged.reserve(m_full.size() / 2 + 1);
  for (size_t i = 0; i + 1 < m_full.size(); i += 2)
    merged.push_back({m_full[i].sumX + m_full[i + 1].sumX, m_full[i].sumY + m_full[i + 1].sumY,
                      m_full[i].count + m_full[i + 1].count});
  if (m_full.size() % 2 == 1) m_partial = m_full.back();
  m_full.swap(merged);
  m_stride *= 2;
}

QList<QPointF> SeriesDecimator::points() const {
  QList<QPointF> out;
  out.reserve(static_cast<qsizetype>(m_full.size()) + 1);
  for (const Bucket& b : m_full) out.append(QPointF(b.sumX / b.count, b.sumY / b.count));
  if (m_partial.count > 0)
    out.append(QPointF(m_partial.sumX / m_partial.count, m_partial.sumY / m_partial.count));
  return out;
}

}  // namespace bayeslab::ui
