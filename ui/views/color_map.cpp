#include "ui/views/color_map.h"

#include <algorithm>
#include <cmath>

namespace bayeslab::ui {

ColorMap::ColorMap(std::vector<std::pair<double, QColor>> stops) : m_stops(std::move(stops)) {
  for (int i = 0; i < 256; ++i) {
    const double t = i / 255.0;
    size_t k = 1;
    while (k + 1 < m_stops.size() && m_stops[k].first < t) ++k;
    const auto& [t0, c0] = m_stops[k - 1];
    const auto& [t1, c1] = m_stops[k];
    const double u = std::clamp((t - t0) / (t1 - t0), 0.0, 1.0);
    auto mix = [u](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * u)); };
    m_table[static_cast<size_t>(i)] =
        qRgb(mix(c0.red(), c1.red()), mix(c0.green(), c1.green()), mix(c0.blue(), c1.blue()));
  }
}

ColorMap ColorMap::diverging() {
  // Light ends keep the training points (saturated colours) readable on top.
  return ColorMap({{0.0, QColor(67, 147, 195)},
                   {0.25, QColor(146, 197, 222)},
                   {0.5, QColor(247, 247, 247)},
                   {0.75, QColor(244, 165, 130)},
                   {1.0, QColor(214, 96, 77)}});
}

ColorMap ColorMap::sequential() {
  return ColorMap({{0.0, QColor(68, 1, 84)},
                   {0.25, QColor(59, 82, 139)},
                   {0.5, QColor(33, 145, 140)},
                   {0.75, QColor(94, 201, 98)},
                   {1.0, QColor(253, 231, 37)}});
}

QRgb ColorMap::at(double t) const {
  if (!std::isfinite(t)) return qRgb(200, 200, 200);
  return m_table[static_cast<size_t>(std::clamp(static_cast<int>(t * 255.0 + 0.5), 0, 255))];
}

QLinearGradient ColorMap::gradient(QPointF from, QPointF to) const {
  QLinearGradient g(from, to);
  for (int i = 0; i <= 16; ++i) g.setColorAt(i / 16.0, QColor(at(i / 16.0)));
  return g;
}

}  // namespace bayeslab::ui
