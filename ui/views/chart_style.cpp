#include "ui/views/chart_style.h"

#include <QAbstractSeries>
#include <QAreaSeries>
#include <QChart>
#include <QFontMetricsF>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <cmath>

namespace bayeslab::ui {

namespace {
QFont scaled(double points, double scale, bool bold = false) {
  QFont font;
  font.setPointSizeF(points * scale);
  font.setBold(bold);
  return font;
}
}  // namespace

int ChartStyle::ticks(int normal) const {
  return std::max(3, static_cast<int>(std::lround(normal / fontScale)));
}

QFont ChartStyle::titleFont() const {
  return scaled(12.0, fontScale, true);
}
QFont ChartStyle::axisTitleFont() const {
  return scaled(10.0, fontScale);
}
QFont ChartStyle::labelFont() const {
  return scaled(9.0, fontScale);
}
QFont ChartStyle::legendFont() const {
  return scaled(9.0, fontScale);
}

QColor ChartStyle::background() const {
  return theme == Theme::Dark ? palette::kDarkBackground : QColor(Qt::white);
}
QColor ChartStyle::ink() const {
  return theme == Theme::Dark ? palette::kDarkInk : palette::kInk;
}
QColor ChartStyle::grid() const {
  return theme == Theme::Dark ? palette::kDarkGrid : palette::kGrid;
}
QColor ChartStyle::axisLine() const {
  return theme == Theme::Dark ? QColor(150, 150, 150) : QColor(120, 120, 120);
}

void ChartStyle::apply(QChart* chart) const {
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setBackgroundRoundness(0);
  chart->setBackgroundBrush(background());
  chart->setTitleFont(titleFont());
  chart->setTitleBrush(ink());
  chart->setMargins(QMargins(6, 4, 10, 4));
  QLegend* legend = chart->legend();
  legend->setAlignment(Qt::AlignBottom);
  legend->setFont(legendFont());
  legend->setLabelColor(ink());
  for (QAbstractAxis* axis : chart->axes()) apply(axis, axis->titleText());
}

void ChartStyle::apply(QAbstractAxis* axis, const QString& title) const {
  axis->setTitleText(title);
  axis->setTitleFont(axisTitleFont());
  axis->setTitleBrush(ink());
  axis->setLabelsFont(labelFont());
  axis->setLabelsColor(ink());
  axis->setGridLineColor(grid());
  axis->setLinePenColor(axisLine());
}

namespace {

const QColor kMutedLight{90, 90, 90};
const QColor kMutedDark{175, 175, 175};

// The colour in this theme of a colour that meant "ink" or "background" in either.
QColor swapped(const QColor& color, const ChartStyle& style) {
  const auto same = [&](const QColor& a) { return color.rgb() == a.rgb(); };
  QColor out = color;
  if (same(palette::kInk) || same(palette::kDarkInk))
    out = style.ink();
  else if (same(QColor(Qt::white)) || same(palette::kDarkBackground))
    out = style.background();
  else if (same(kMutedLight) || same(kMutedDark))  // notes and captions
    out = style.theme == Theme::Dark ? kMutedDark : kMutedLight;
  else
    return color;
  out.setAlpha(color.alpha());
  return out;
}

void swapItemColors(QGraphicsItem* item, const ChartStyle& style) {
  for (QGraphicsItem* child : item->childItems()) {
    if (auto* simple = dynamic_cast<QGraphicsSimpleTextItem*>(child)) {
      const QColor c = simple->brush().color();
      if (swapped(c, style) != c) simple->setBrush(swapped(c, style));
    } else if (auto* text = dynamic_cast<QGraphicsTextItem*>(child)) {
      const QColor c = text->defaultTextColor();
      if (swapped(c, style) != c) text->setDefaultTextColor(swapped(c, style));
    }
    swapItemColors(child, style);
  }
}

}  // namespace

void ChartStyle::applyTheme(QChart* chart) const {
  const QColor bg = chart->backgroundBrush().color();
  if (chart->backgroundBrush().style() != Qt::NoBrush && swapped(bg, *this) != bg)
    chart->setBackgroundBrush(swapped(bg, *this));
  if (chart->titleBrush().color() != swapped(chart->titleBrush().color(), *this))
    chart->setTitleBrush(swapped(chart->titleBrush().color(), *this));
  for (QAbstractSeries* series : chart->series()) {
    if (auto* scatter = qobject_cast<QScatterSeries*>(series)) {
      scatter->setColor(swapped(scatter->color(), *this));
      scatter->setBorderColor(swapped(scatter->borderColor(), *this));
    } else if (auto* xy = qobject_cast<QXYSeries*>(series)) {
      QPen pen = xy->pen();
      const QColor c = swapped(pen.color(), *this);
      if (c != pen.color()) {
        pen.setColor(c);
        xy->setPen(pen);
      }
    } else if (auto* area = qobject_cast<QAreaSeries*>(series)) {
      QPen pen = area->pen();
      const QColor c = swapped(pen.color(), *this);
      if (c != pen.color()) {
        pen.setColor(c);
        area->setPen(pen);
      }
    }
  }
  swapItemColors(chart, *this);
}

void fitTitle(QChart* chart, const QStringList& titles) {
  if (titles.isEmpty()) return;
  const QFontMetricsF metrics(chart->titleFont());
  const double room = chart->size().width() - 12.0;
  QString chosen = titles.last();
  for (const QString& title : titles)
    if (metrics.horizontalAdvance(title) <= room) {
      chosen = title;
      break;
    }
  if (chart->title() != chosen) chart->setTitle(chosen);
}

void fitAxisTitle(QChart* chart, QAbstractAxis* axis, const QStringList& titles) {
  if (titles.isEmpty()) return;
  const QFontMetricsF metrics(axis->titleFont());
  const QRectF plot = chart->plotArea();
  // Qt elides a little before the full length.
  const double room = (axis->orientation() == Qt::Horizontal ? plot.width() : plot.height()) - 8.0;
  QString chosen = titles.last();
  for (const QString& title : titles)
    if (metrics.horizontalAdvance(title) <= room) {
      chosen = title;
      break;
    }
  if (axis->titleText() != chosen) axis->setTitleText(chosen);
}

QColor palette::classColor(int k, int classes) {
  // Two classes use the ends of the diverging probability map.
  if (classes == 2) return k == 0 ? QColor(33, 102, 172) : QColor(178, 24, 43);
  static const QColor colors[] = {kBlue,   kVermillion, kGreen,  kPurple,
                                  kOrange, kSky,        kYellow, kInk};
  return colors[k % 8];
}

namespace {

// The tick interval among 1, 2, 2.5, 5 x 10^n that gives about `ticks` ticks.
double niceStep(double lo, double hi, int ticks) {
  const double raw = (hi - lo) / std::max(1, ticks - 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * magnitude >= raw * (1.0 - 1e-9)) return m * magnitude;
  return 10.0 * magnitude;
}

void applyTicks(QValueAxis* axis, double lo, double hi, double step) {
  // A range that starts and ends on ticks gets fixed ticks, lo + i (hi - lo) / n: Qt
  // computes those without accumulating rounding errors, which the dynamic ticks do
  // (a "0" tick labelled -5.55e-17).
  const double intervals = (hi - lo) / step;
  const double n = std::round(intervals);
  const bool onTicks = n >= 1 && n <= 50 && std::abs(intervals - n) < 1e-6 &&
                       std::abs(lo / step - std::round(lo / step)) < 1e-6;
  if (axis->min() == lo && axis->max() == hi &&
      (onTicks ? axis->tickType() == QValueAxis::TicksFixed &&
                     axis->tickCount() == static_cast<int>(n) + 1
               : axis->tickInterval() == step && axis->tickType() == QValueAxis::TicksDynamic))
    return;  // unchanged: no relayout of the axis
  // Fixed ticks while range and interval change: a new range under the old
  // interval could ask for millions of ticks for a moment.
  axis->setTickType(QValueAxis::TicksFixed);
  axis->setRange(lo, hi);
  if (onTicks) {
    axis->setTickCount(static_cast<int>(n) + 1);
  } else {
    axis->setTickAnchor(0.0);
    axis->setTickInterval(step);
    axis->setTickType(QValueAxis::TicksDynamic);
  }
  const bool whole = step >= 1.0 && step == std::floor(step);
  axis->setLabelFormat(whole && std::max(std::abs(lo), std::abs(hi)) < 1e6 ? "%.0f" : "%.3g");
}

bool widen(double& lo, double& hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return false;
  if (hi - lo < 1e-12 * std::max(1.0, std::abs(lo))) {
    const double pad = std::max(1e-6, std::abs(lo) * 0.05);
    lo -= pad;
    hi += pad;
  }
  return true;
}

}  // namespace

void setNiceRange(QValueAxis* axis, double lo, double hi, int ticks) {
  if (!widen(lo, hi)) return;
  const double step = niceStep(lo, hi, ticks);
  applyTicks(axis, std::floor(lo / step) * step, std::ceil(hi / step) * step, step);
}

void setNiceTicks(QValueAxis* axis, double lo, double hi, int ticks) {
  if (!widen(lo, hi)) return;
  applyTicks(axis, lo, hi, niceStep(lo, hi, ticks));
}

void setStickyRange(QValueAxis* axis, double lo, double hi, int ticks, double slack) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return;
  const bool contains = axis->min() <= lo && axis->max() >= hi;
  const bool tooLoose = (axis->max() - axis->min()) > slack * std::max(hi - lo, 1e-300);
  if (contains && !tooLoose) {
    // Same range; the tick count may have changed (presentation mode).
    applyTicks(axis, axis->min(), axis->max(), niceStep(axis->min(), axis->max(), ticks));
    return;
  }
  // A little headroom so that a slowly growing curve does not move the axis every frame.
  // Counts and other quantities that start at 0 keep their floor at 0.
  const double pad = 0.06 * (hi - lo);
  setNiceRange(axis, lo == 0.0 ? 0.0 : lo - pad, hi + pad, ticks);
}

}  // namespace bayeslab::ui
