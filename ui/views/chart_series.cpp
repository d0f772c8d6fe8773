#include "ui/views/chart_series.h"

#include <QAreaSeries>
#include <QChart>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

namespace bayeslab::ui {

QColor withAlpha(QColor color, int alpha) {
  color.setAlpha(alpha);
  return color;
}

namespace {
void attach(QChart* chart, QAbstractSeries* series, QValueAxis* x, QValueAxis* y) {
  chart->addSeries(series);
  series->attachAxis(x);
  series->attachAxis(y);
}
}  // namespace

QLineSeries* addLine(QChart* chart, QValueAxis* x, QValueAxis* y, const QString& name,
                     const QColor& color, double width, Qt::PenStyle style) {
  auto* series = new QLineSeries;
  series->setName(name);
  QPen pen(color);
  pen.setWidthF(width);
  pen.setStyle(style);
  series->setPen(pen);
  attach(chart, series, x, y);
  return series;
}

QScatterSeries* addScatter(QChart* chart, QValueAxis* x, QValueAxis* y, const QString& name,
                           const QColor& color, double size) {
  auto* series = new QScatterSeries;
  series->setName(name);
  series->setMarkerSize(size);
  series->setColor(color);
  series->setBorderColor(withAlpha(color, 0));
  attach(chart, series, x, y);
  return series;
}

AreaSeries addArea(QChart* chart, QValueAxis* x, QValueAxis* y, const QString& name,
                   const QColor& fill, bool withLower) {
  AreaSeries a;
  a.upper = new QLineSeries;
  a.lower = withLower ? new QLineSeries : nullptr;
  a.area = new QAreaSeries(a.upper, a.lower);
  a.upper->setParent(a.area);
  if (a.lower) a.lower->setParent(a.area);
  a.area->setName(name);
  a.area->setBrush(fill);
  a.area->setPen(Qt::NoPen);
  attach(chart, a.area, x, y);
  return a;
}

void hideFromLegend(QChart* chart, QAbstractSeries* series) {
  setLegendEntryVisible(chart, series, false);
}

void setLegendEntryVisible(QChart* chart, QAbstractSeries* series, bool visible) {
  bool changed = false;
  for (QLegendMarker* marker : chart->legend()->markers(series)) {
    changed |= marker->isVisible() != visible;
    marker->setVisible(visible);
  }
  // The chart's layout places the legend's entries (the legend's own layout must be left alone).
  if (changed && chart->layout()) chart->layout()->invalidate();
}

}  // namespace bayeslab::ui
