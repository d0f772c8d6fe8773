#pragma once
// A row of small images inside a chart's scene, each centred at an x position
// that lines up with another chart's x axis (the rotated digits under the
// rotated-MNIST curves). Living in the chart's scene, the strip is exported
// with the figure. At most kMaxShown images are drawn, none smaller than a
// readable size: with fine angle steps or a narrow chart every k-th one is shown.
#include <QObject>
#include <QRectF>
#include <vector>

#include "engine/core/real.h"

QT_BEGIN_NAMESPACE
class QChart;
class QGraphicsPixmapItem;
class QGraphicsSimpleTextItem;
QT_END_NAMESPACE

namespace bayeslab::ui {

class ImageStrip : public QObject {
  Q_OBJECT

 public:
  static constexpr int kMaxShown = 25;

  explicit ImageStrip(QChart* chart);

  // One image per column of `images` (row-major width x height pixels in [0, 1]),
  // at x = positions[i] on an axis spanning [axisMin, axisMax].
  void setImages(const Matrix& images, int width, int height, const std::vector<double>& positions,
                 double axisMin, double axisMax);
  void clear();
  // Where the axis [axisMin, axisMax] lies, in the strip chart's coordinates.
  void setSpan(double left, double right);
  void setCaption(const QString& text);
  int shownCount() const { return m_shown; }
  int imageCount() const { return static_cast<int>(m_positions.size()); }

 private:
  void place();

  QChart* m_chart;
  std::vector<QGraphicsPixmapItem*> m_items;  // owned by the chart
  std::vector<double> m_positions;
  QGraphicsSimpleTextItem* m_caption = nullptr;
  double m_axisMin = 0.0, m_axisMax = 1.0;
  double m_left = 0.0, m_right = 0.0;
  int m_shown = 0;
};

}  // namespace bayeslab::ui
