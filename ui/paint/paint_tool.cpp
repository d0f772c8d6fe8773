#include "ui/paint/paint_tool.h"

#include <QChart>
#include <QChartView>
#include <QMouseEvent>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "ui/paint/paint_data.h"

namespace bayeslab::ui {

PaintTool::PaintTool(QChartView* view, QChart* chart, QValueAxis* x, QValueAxis* y,
                     PaintData* data, QObject* parent)
    : QObject(parent), m_view(view), m_chart(chart), m_x(x), m_y(y), m_data(data) {
  m_view->viewport()->installEventFilter(this);
}

void PaintTool::setSettings(const PaintSettings& settings) {
  m_settings = settings;
  m_view->viewport()->setCursor(settings.enabled ? Qt::CrossCursor : Qt::ArrowCursor);
  if (!settings.enabled) {
    m_dragIndex = -1;
    m_brushing = false;
  }
}

QPointF PaintTool::toValue(const QPointF& pixel) const {
  const QPointF inChart = m_chart->mapFromScene(m_view->mapToScene(pixel.toPoint()));
  const QRectF area = m_chart->plotArea();
  const double fx = (inChart.x() - area.left()) / std::max(1.0, area.width());
  const double fy = (area.bottom() - inChart.y()) / std::max(1.0, area.height());
  return {m_x->min() + fx * (m_x->max() - m_x->min()), m_y->min() + fy * (m_y->max() - m_y->min())};
}

QPointF PaintTool::toPixel(const QPointF& value) const {
  const QRectF area = m_chart->plotArea();
  const double fx = (value.x() - m_x->min()) / std::max(1e-300, m_x->max() - m_x->min());
  const double fy = (value.y() - m_y->min()) / std::max(1e-300, m_y->max() - m_y->min());
  const QPointF inChart(area.left() + fx * area.width(), area.bottom() - fy * area.height());
  return m_view->mapFromScene(m_chart->mapToScene(inChart));
}

int PaintTool::pointAt(const QPointF& pixel, double tolerance) const {
  int best = -1;
  double bestDistance = tolerance * tolerance;
  const auto& points = m_data->points();
  for (size_t i = 0; i < points.size(); ++i) {
    const QPointF d = toPixel(QPointF(points[i].x, points[i].y)) - pixel;
    const double d2 = d.x() * d.x() + d.y() * d.y();
    if (d2 <= bestDistance) {
      bestDistance = d2;
      best = static_cast<int>(i);
    }
  }
  return best;
}

QRectF PaintTool::plotRect() const {
  return m_view->mapFromScene(m_chart->mapToScene(m_chart->plotArea())).boundingRect();
}

QPointF PaintTool::clampToPlot(const QPointF& pixel) const {
  const QRectF r = plotRect();
  return {std::clamp(pixel.x(), r.left(), r.right()), std::clamp(pixel.y(), r.top(), r.bottom())};
}

void PaintTool::spray(const QPointF& pixel) {
  std::vector<QPointF> at;
  at.reserve(static_cast<size_t>(m_settings.count));
  const QRectF plot = plotRect();
  for (int i = 0; i < m_settings.count; ++i) {
    // Uniform over the part of the disc inside the plot (points outside it would
    // be off the predictive grid, unseen): radius r sqrt(u), angle 2 pi v, redrawn.
    QPointF q = pixel;
    for (int attempt = 0; attempt < 50; ++attempt) {
      const double r = m_settings.radius * std::sqrt(m_random.generateDouble());
      const double a = 2.0 * std::numbers::pi * m_random.generateDouble();
      q = pixel + QPointF(r * std::cos(a), r * std::sin(a));
      if (plot.contains(q)) break;
    }
    at.push_back(toValue(clampToPlot(q)));
  }
  m_lastDab = pixel;
  m_data->addPoints(at, m_settings.label, tr("Brush %n points", nullptr, m_settings.count));
}

bool PaintTool::eventFilter(QObject* watched, QEvent* event) {
  if (!m_settings.enabled || !m_data->isActive()) return QObject::eventFilter(watched, event);
  switch (event->type()) {
    case QEvent::ContextMenu:
      return true;  // a right click removes a point here, not the export menu
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonDblClick: {
      auto* e = static_cast<QMouseEvent*>(event);
      const QPointF pos = e->position();
      if (e->button() == Qt::RightButton) {
        m_data->removePoint(pointAt(pos, 1.5 * kPickPixels));
        return true;
      }
      if (e->button() != Qt::LeftButton) return true;
      if (const int index = pointAt(pos, kPickPixels); index >= 0) {
        m_dragIndex = index;
        m_data->beginDrag();
        return true;
      }
      if (m_settings.mode == PaintMode::Brush) {
        m_brushing = true;
        spray(pos);
      } else {
        m_data->addPoints({toValue(clampToPlot(pos))}, m_settings.label, tr("Add point"));
      }
      return true;
    }
    case QEvent::MouseMove: {
      auto* e = static_cast<QMouseEvent*>(event);
      const QPointF pos = e->position();
      if (m_dragIndex >= 0) {
        m_data->movePoint(m_dragIndex, toValue(clampToPlot(pos)));
      } else if (m_brushing) {
        const QPointF d = pos - m_lastDab;
        if (std::hypot(d.x(), d.y()) >= 0.5 * m_settings.radius) spray(pos);
      }
      return true;
    }
    case QEvent::MouseButtonRelease:
      m_dragIndex = -1;
      m_brushing = false;
      return true;
    default:
      return QObject::eventFilter(watched, event);
  }
}

}  // namespace bayeslab::ui
