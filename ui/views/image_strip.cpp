#include "ui/views/image_strip.h"

#include <QChart>
#include <QGraphicsPixmapItem>
#include <QGraphicsSimpleTextItem>
#include <QImage>
#include <QPixmap>
#include <algorithm>
#include <cmath>

namespace bayeslab::ui {

namespace {

constexpr double kGap = 0.92;      // image width as a share of the spacing between images
constexpr double kMinSide = 34.0;  // pixels: smaller digits are dropped for larger ones

// Dark ink on white paper: reads better on a slide than MNIST's white on black.
QPixmap digitPixmap(const Real* pixels, int width, int height) {
  QImage image(width, height, QImage::Format_Grayscale8);
  for (int y = 0; y < height; ++y) {
    uchar* line = image.scanLine(y);
    for (int x = 0; x < width; ++x) {
      const double v = std::clamp(static_cast<double>(pixels[y * width + x]), 0.0, 1.0);
      line[x] = static_cast<uchar>(std::lround(255.0 * (1.0 - v)));
    }
  }
  return QPixmap::fromImage(image);
}

}  // namespace

ImageStrip::ImageStrip(QChart* chart) : QObject(chart), m_chart(chart) {
  m_caption = new QGraphicsSimpleTextItem(chart);
  m_caption->setBrush(QColor(90, 90, 90));
  m_caption->setZValue(10);
}

void ImageStrip::clear() {
  for (QGraphicsPixmapItem* item : m_items) item->setVisible(false);
  m_positions.clear();
  m_shown = 0;
}

void ImageStrip::setImages(const Matrix& images, int width, int height,
                           const std::vector<double>& positions, double axisMin, double axisMax) {
  m_axisMin = axisMin;
  m_axisMax = axisMax;
  const auto count = static_cast<size_t>(std::min<Index>(positions.size(), images.cols()));
  while (m_items.size() < count) {
    auto* item = new QGraphicsPixmapItem(m_chart);
    item->setTransformationMode(Qt::SmoothTransformation);
    item->setZValue(5);
    m_items.push_back(item);
  }
  for (size_t i = 0; i < count; ++i)
    m_items[i]->setPixmap(digitPixmap(images.col(static_cast<Index>(i)).data(), width, height));
  m_positions.assign(positions.begin(), positions.begin() + static_cast<long>(count));
  place();
}

void ImageStrip::setSpan(double left, double right) {
  m_left = left;
  m_right = right;
  place();
}

void ImageStrip::setCaption(const QString& text) {
  m_caption->setText(text);
  place();
}

void ImageStrip::place() {
  const QRectF area = m_chart->rect();
  const double span = m_axisMax - m_axisMin;
  const int count = static_cast<int>(m_positions.size());
  m_shown = 0;
  for (QGraphicsPixmapItem* item : m_items) item->setVisible(false);
  if (count == 0 || span <= 0.0 || m_right <= m_left) return;
  const double pitch =
      count > 1 ? (m_right - m_left) * (m_positions[1] - m_positions[0]) / span : m_right - m_left;
  // Every k-th image when they would be too many or too small to read.
  int every = std::max(1, (count + kMaxShown - 1) / kMaxShown);
  const double tallest = area.height() - 4.0;
  while (every < count && kGap * pitch * every < std::min(kMinSide, tallest)) ++every;
  const double side = std::max(4.0, std::min(tallest, kGap * pitch * every));
  for (int i = 0; i < count; i += every) {
    QGraphicsPixmapItem* item = m_items[static_cast<size_t>(i)];
    const double x =
        m_left + (m_positions[static_cast<size_t>(i)] - m_axisMin) / span * (m_right - m_left);
    const QSizeF pixmap = item->pixmap().size();
    item->setTransform(QTransform::fromScale(side / pixmap.width(), side / pixmap.height()));
    item->setPos(x - side / 2.0, area.top() + (area.height() - side) / 2.0);
    item->setVisible(true);
    ++m_shown;
  }
  // The caption sits in the margin left of the first image.
  const QRectF box = m_caption->boundingRect();
  m_caption->setPos(std::max(2.0, m_left - side / 2.0 - box.width() - 6.0),
                    area.top() + (area.height() - box.height()) / 2.0);
}

}  // namespace bayeslab::ui
