#pragma once
// Small factories for the series the comparison views draw over and over:
// a styled line, a scatter, an area under a curve (or between two), each added
// to a chart and attached to its axes, and a way to keep a series out of the legend.
#include <QColor>
#include <QString>
#include <Qt>

QT_BEGIN_NAMESPACE
class QAbstractSeries;
class QAreaSeries;
class QChart;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

QColor withAlpha(QColor color, int alpha);

QLineSeries* addLine(QChart* chart, QValueAxis* x, QValueAxis* y, const QString& name,
                     const QColor& color, double width, Qt::PenStyle style = Qt::SolidLine);

QScatterSeries* addScatter(QChart* chart, QValueAxis* x, QValueAxis* y, const QString& name,
                           const QColor& color, double size);

// The area between `upper` and `lower` (created here and owned by the area); with
// `withLower` false, between `upper` and zero.
struct AreaSeries {
  QAreaSeries* area = nullptr;
  QLineSeries* upper = nullptr;
  QLineSeries* lower = nullptr;
};
AreaSeries addArea(QChart* chart, QValueAxis* x, QValueAxis* y, const QString& name,
                   const QColor& fill, bool withLower);

void hideFromLegend(QChart* chart, QAbstractSeries* series);
// Shows or hides the series' legend entry. The legend is laid out again when it
// changes: Qt leaves the room of an entry hidden after the first layout otherwise.
void setLegendEntryVisible(QChart* chart, QAbstractSeries* series, bool visible);

}  // namespace bayeslab::ui
