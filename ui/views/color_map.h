#pragma once
// Colour maps for the heatmaps: a diverging blue-white-red map for a class
// probability (white at p = 0.5, where the classifier is unsure) and a
// perceptually uniform sequential map (viridis-like) for entropy and mutual
// information, where only "more" or "less" matters.
#include <QColor>
#include <QLinearGradient>
#include <array>
#include <utility>
#include <vector>

namespace bayeslab::ui {

class ColorMap {
 public:
  static ColorMap diverging();
  static ColorMap sequential();

  // t in [0, 1] (clamped); NaN gives light grey.
  QRgb at(double t) const;
  // The map as a gradient from `from` (t = 0) to `to` (t = 1), for colour bars.
  QLinearGradient gradient(QPointF from, QPointF to) const;

 private:
  explicit ColorMap(std::vector<std::pair<double, QColor>> stops);
  std::vector<std::pair<double, QColor>> m_stops;
  std::array<QRgb, 256> m_table{};
};

}  // namespace bayeslab::ui
