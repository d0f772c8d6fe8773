#include "ui/views/reference_charts.h"

#include <QAreaSeries>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "ui/views/gaussian_shapes.h"
#include "ui/views/histogram.h"
#include "ui/views/plot_note.h"

namespace bayeslab::ui {

namespace {

const QColor kExactColor = palette::kInk;
const QColor kMethodColor = palette::kBlue;
const QColor kPinnedColor = palette::kVermillion;

// One distribution's marginal of parameter a (first) or b.
struct Marginal {
  bool present = false;
  double mean = 0.0, sd = 0.0;
  const std::vector<double>* draws = nullptr;
};

Marginal marginalOf(const PairView& view, bool first) {
  Marginal m;
  m.present = view.present;
  m.mean = first ? view.meanA : view.meanB;
  m.sd = first ? view.sdA : view.sdB;
  const std::vector<double>& draws = first ? view.draws.a : view.draws.b;
  if (!draws.empty()) m.draws = &draws;
  return m;
}

// Where a marginal has its mass: mean +- 4 sd, or the bulk of its draws.
void extend(const Marginal& m, double& lo, double& hi) {
  if (!m.present) return;
  if (m.draws) {
    auto [qlo, qhi] = quantileRange(*m.draws, 0.002, 0.998);
    const double pad = 0.15 * (qhi - qlo);
    lo = std::min(lo, qlo - pad);
    hi = std::max(hi, qhi + pad);
  } else if (m.sd > 0) {
    lo = std::min(lo, m.mean - 4 * m.sd);
    hi = std::max(hi, m.mean + 4 * m.sd);
  } else {
    lo = std::min(lo, m.mean);
    hi = std::max(hi, m.mean);
  }
}

// The marginal's curve on [lo, hi]: a density histogram of draws, a Gaussian
// density, or for a point estimate a spike to `top` (set once the others are known).
QList<QPointF> curveOf(const Marginal& m, double lo, double hi) {
  if (!m.present) return {};
  if (m.draws) return densityOutline(*m.draws, MarginalChart::kBins, lo, hi);
  if (m.sd > 0) return gaussianDensity(m.mean, m.sd, lo, hi, MarginalChart::kCurvePoints);
  return {QPointF(m.mean, 0.0), QPointF(m.mean, 0.0)};
}

double peak(const QList<QPointF>& curve) {
  double top = 0.0;
  for (const QPointF& p : curve) top = std::max(top, p.y());
  return top;
}

void setSpikeHeight(QList<QPointF>& curve, double top) {
  if (curve.size() == 2 && curve[0].x() == curve[1].x()) curve[1].setY(top);
}

// Exactly the range of the distributions (a nice-rounded one could double it),
// kept while it still fits so that live updates do not shake the axis.
void stickyTicks(QValueAxis* axis, double lo, double hi, int ticks, double slack = 1.8) {
  const bool contains = axis->min() <= lo && axis->max() >= hi;
  const bool tooLoose = axis->max() - axis->min() > slack * std::max(hi - lo, 1e-300);
  if (contains && !tooLoose) return;
  const double pad = 0.04 * (hi - lo);
  setNiceTicks(axis, lo - pad, hi + pad, ticks);
}

void newReferenceChart(QChart*& chart, QValueAxis*& x, QValueAxis*& y) {
  chart = new QChart;
  x = new QValueAxis;
  y = new QValueAxis;
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
}

void replaceEllipse(QLineSeries* series, const PairView& v, double radius) {
  if (!v.present || !(v.sdA > 0 || v.sdB > 0)) {
    series->clear();
    return;
  }
  const double rho = v.fullCovariance ? v.correlation : 0.0;
  series->replace(gaussianEllipse(v.meanA, v.meanB, v.sdA, v.sdB, rho, radius));
}

QList<QPointF> cloud(const PairDraws& draws, int maxPoints) {
  QList<QPointF> points;
  const size_t n = std::min(draws.a.size(), draws.b.size());
  const size_t kept = std::min<size_t>(n, static_cast<size_t>(maxPoints));
  points.reserve(static_cast<qsizetype>(kept));
  for (size_t k = 0; k < kept; ++k) {
    const size_t i = k * n / kept;
    points.append({draws.a[i], draws.b[i]});
  }
  return points;
}

void extendBox(const PairView& v, double& xlo, double& xhi, double& ylo, double& yhi) {
  if (!v.present) return;
  Marginal a = marginalOf(v, true), b = marginalOf(v, false);
  // Ellipses reach 2 sd: 2.6 leaves a margin; draws use their bulk.
  for (Marginal* m : {&a, &b})
    if (!m->draws) m->sd *= 0.65;
  extend(a, xlo, xhi);
  extend(b, ylo, yhi);
}

void replaceLine(QLineSeries* series, const std::vector<double>& x, const std::vector<double>& m,
                 const std::vector<double>& sd, double k) {
  QList<QPointF> points;
  if (!sd.empty() || k == 0.0) {
    points.reserve(static_cast<qsizetype>(x.size()));
    for (size_t i = 0; i < x.size() && i < m.size(); ++i)
      points.append({x[i], m[i] + (k == 0.0 ? 0.0 : k * sd[i])});
  }
  series->replace(points);
}

}  // namespace

// ---------------------------------------------------------------- marginals

MarginalChart::MarginalChart() {
  newReferenceChart(m_chart, m_x, m_y);
  m_method = addArea(m_chart, m_x, m_y, QString(), withAlpha(kMethodColor, 60), false);
  QPen outline(kMethodColor, 1.8);
  m_method.area->setPen(outline);
  m_pinned = addLine(m_chart, m_x, m_y, QString(), kPinnedColor, 2.0, Qt::DashLine);
  m_exact = addLine(m_chart, m_x, m_y, QString(), kExactColor, 2.2);
  m_note = new PlotNote(m_chart);
}

void MarginalChart::applyStyle(const ChartStyle& style) {
  style.apply(m_chart);
  style.apply(m_x, m_parameter);
  style.apply(m_y, QObject::tr("density"));
  m_note->setFont(style.axisTitleFont());
  m_chart->legend()->hide();  // the pair chart's legend names the colours
}

void MarginalChart::setNames(const ReferenceNames& names) {
  m_exact->setName(names.exact);
  m_method.area->setName(names.method);
  m_pinned->setName(names.pinned);
}

void MarginalChart::update(const ReferenceFrame& frame, bool first, const QString& parameter) {
  m_parameter = parameter;
  m_x->setTitleText(parameter);
  m_chart->setTitle(QObject::tr("Marginal of %1").arg(parameter));
  const Marginal exact = marginalOf(frame.exact, first);
  const Marginal method = marginalOf(frame.method, first);
  const Marginal pinned = marginalOf(frame.pinned, first);
  double lo = INFINITY, hi = -INFINITY;
  for (const Marginal* m : {&exact, &method, &pinned}) extend(*m, lo, hi);
  if (!std::isfinite(lo)) {
    clear(QObject::tr("no posterior yet"));
    return;
  }
  if (hi - lo < 1e-9) lo -= 1.0, hi += 1.0;
  QList<QPointF> e = curveOf(exact, lo, hi), m = curveOf(method, lo, hi),
                 p = curveOf(pinned, lo, hi);
  double top = std::max({peak(e), peak(m), peak(p), 1e-12});
  for (QList<QPointF>* c : {&e, &m, &p}) setSpikeHeight(*c, top);
  m_exact->replace(e);
  m_method.upper->replace(m);
  m_pinned->replace(p);
  m_note->setText(QString());
  stickyTicks(m_x, lo, hi, 5, 1.4);
  setStickyRange(m_y, 0.0, top * 1.05, 4, 1.8);
}

void MarginalChart::clear(const QString& note) {
  for (QLineSeries* s : {m_exact, m_method.upper, m_pinned}) s->clear();
  m_note->setText(note);
}

// ---------------------------------------------------------------- pair

PairChart::PairChart() {
  newReferenceChart(m_chart, m_x, m_y);
  m_pinnedDraws = addScatter(m_chart, m_x, m_y, QString(), withAlpha(kPinnedColor, 90), 4.0);
  m_methodDraws = addScatter(m_chart, m_x, m_y, QString(), withAlpha(kMethodColor, 90), 4.0);
  m_pinned1 = addLine(m_chart, m_x, m_y, QString(), kPinnedColor, 2.0, Qt::DashLine);
  m_pinned2 = addLine(m_chart, m_x, m_y, QString(), kPinnedColor, 1.2, Qt::DashLine);
  m_method1 = addLine(m_chart, m_x, m_y, QString(), kMethodColor, 2.2, Qt::DashLine);
  m_method2 = addLine(m_chart, m_x, m_y, QString(), kMethodColor, 1.3, Qt::DashLine);
  m_exact1 = addLine(m_chart, m_x, m_y, QString(), kExactColor, 2.2);
  m_exact2 = addLine(m_chart, m_x, m_y, QString(), kExactColor, 1.3);
  m_means = addScatter(m_chart, m_x, m_y, QString(), kExactColor, 7.0);
  m_means->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
  for (QLineSeries* s : {m_pinned2, m_method2, m_exact2}) hideFromLegend(m_chart, s);
  hideFromLegend(m_chart, m_means);
  m_note = new PlotNote(m_chart);
}

void PairChart::applyStyle(const ChartStyle& style) {
  style.apply(m_chart);
  style.apply(m_x, m_x->titleText());
  style.apply(m_y, m_y->titleText());
  m_note->setFont(style.axisTitleFont());
}

void PairChart::setNames(const ReferenceNames& names) {
  // One legend entry per distribution: its ellipses; its draws share the colour.
  m_exact1->setName(names.exact);
  m_method1->setName(names.method);
  m_pinned1->setName(names.pinned);
  // The draws stay unnamed: a hidden legend entry still takes a share of the legend's width.
}

void PairChart::update(const ReferenceFrame& frame, const QString& a, const QString& b) {
  m_chart->setTitle(QObject::tr("%1 and %2: 1\u03c3, 2\u03c3 ellipses").arg(a, b));
  m_x->setTitleText(a);
  m_y->setTitleText(b);
  replaceEllipse(m_exact1, frame.exact, 1.0);
  replaceEllipse(m_exact2, frame.exact, 2.0);
  replaceEllipse(m_method1, frame.method, 1.0);
  replaceEllipse(m_method2, frame.method, 2.0);
  replaceEllipse(m_pinned1, frame.pinned, 1.0);
  replaceEllipse(m_pinned2, frame.pinned, 2.0);
  m_methodDraws->replace(cloud(frame.method.draws, kMaxPoints));
  m_pinnedDraws->replace(cloud(frame.pinned.draws, kMaxPoints));
  QList<QPointF> means;
  if (frame.exact.present) means.append({frame.exact.meanA, frame.exact.meanB});
  m_means->replace(means);
  // A point estimate has no ellipse: its mean marks it.
  if (frame.method.present && frame.method.sdA == 0 && frame.method.sdB == 0)
    m_method1->replace({QPointF(frame.method.meanA, frame.method.meanB)});
  for (QLineSeries* s : {m_exact1, m_method1, m_pinned1})
    setLegendEntryVisible(m_chart, s, s->count() > 0);
  for (QScatterSeries* s : {m_methodDraws, m_pinnedDraws}) setLegendEntryVisible(m_chart, s, false);

  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  for (const PairView* v : {&frame.exact, &frame.method, &frame.pinned})
    extendBox(*v, xlo, xhi, ylo, yhi);
  if (!std::isfinite(xlo) || !std::isfinite(ylo)) {
    clear(QObject::tr("no posterior yet"));
    return;
  }
  m_note->setText(QString());
  stickyTicks(m_x, xlo, xhi, 5);
  stickyTicks(m_y, ylo, yhi, 6);
}

void PairChart::clear(const QString& note) {
  for (QLineSeries* s : {m_exact1, m_exact2, m_method1, m_method2, m_pinned1, m_pinned2})
    s->clear();
  for (QScatterSeries* s : {m_methodDraws, m_pinnedDraws, m_means}) s->clear();
  m_note->setText(note);
}

// ---------------------------------------------------------------- predictive

BandChart::BandChart() {
  newReferenceChart(m_chart, m_x, m_y);
  m_methodTotal = addArea(m_chart, m_x, m_y, QString(), QColor(120, 120, 120, 45), true);
  m_methodEpistemic = addArea(m_chart, m_x, m_y, QString(), withAlpha(kMethodColor, 80), true);
  m_data = addScatter(m_chart, m_x, m_y, QObject::tr("training data"), palette::kInk, 4.5);
  m_data->setBorderColor(Qt::white);
  m_methodMean = addLine(m_chart, m_x, m_y, QString(), kMethodColor, 2.2);
  m_pinnedMean = addLine(m_chart, m_x, m_y, QString(), kPinnedColor, 2.0, Qt::DashLine);
  m_pinnedUpper = addLine(m_chart, m_x, m_y, QString(), kPinnedColor, 1.3, Qt::DashLine);
  m_pinnedLower = addLine(m_chart, m_x, m_y, QString(), kPinnedColor, 1.3, Qt::DashLine);
  m_exactMean = addLine(m_chart, m_x, m_y, QString(), kExactColor, 2.0, Qt::DashLine);
  m_exactUpper = addLine(m_chart, m_x, m_y, QString(), kExactColor, 1.4, Qt::DashLine);
  m_exactLower = addLine(m_chart, m_x, m_y, QString(), kExactColor, 1.4, Qt::DashLine);
  m_exactTotalUpper = addLine(m_chart, m_x, m_y, QString(), kExactColor, 1.2, Qt::DotLine);
  m_exactTotalLower = addLine(m_chart, m_x, m_y, QString(), kExactColor, 1.2, Qt::DotLine);
  // The legend names the colours; the tooltip says dashed is epistemic, dotted total.
  for (QLineSeries* s : {m_pinnedLower, m_exactLower, m_exactTotalUpper, m_exactTotalLower,
                         m_methodMean, m_pinnedMean, m_exactMean})
    hideFromLegend(m_chart, s);
  hideFromLegend(m_chart, m_data);
  m_note = new PlotNote(m_chart);
}

void BandChart::applyStyle(const ChartStyle& style) {
  style.apply(m_chart);
  style.apply(m_x, QObject::tr("x"));
  style.apply(m_y, QObject::tr("y"));
  m_note->setFont(style.axisTitleFont());
}

void BandChart::setNames(const ReferenceNames& names) {
  m_chart->setTitle(QObject::tr("Predictive: mean and \u00b12\u03c3"));
  m_methodTotal.area->setName(QObject::tr("%1 total").arg(names.method));
  m_methodEpistemic.area->setName(QObject::tr("%1 epistemic").arg(names.method));
  m_exactUpper->setName(names.exact);
  m_pinnedUpper->setName(names.pinned);
}

void BandChart::setData(const Dataset& train) {
  QList<QPointF> points;
  if (train.inputDim() == 1 && train.targets.rows() == 1)
    for (Index i = 0; i < train.size(); ++i)
      points.append({train.inputs(0, i), train.targets(0, i)});
  m_data->replace(points);
}

void BandChart::update(const ReferenceFrame& frame, const PinnedReference* pinned) {
  if (frame.x.empty()) {
    clear(QObject::tr("the predictive band needs 1-D inputs"));
    return;
  }
  const PredictiveBand& m = frame.methodBand;
  const PredictiveBand& e = frame.exactBand;
  replaceLine(m_methodMean, frame.x, m.mean, m.sdEpistemic, 0.0);
  replaceLine(m_methodEpistemic.upper, frame.x, m.mean, m.sdEpistemic, 2.0);
  replaceLine(m_methodEpistemic.lower, frame.x, m.mean, m.sdEpistemic, -2.0);
  replaceLine(m_methodTotal.upper, frame.x, m.mean, m.sdTotal, 2.0);
  replaceLine(m_methodTotal.lower, frame.x, m.mean, m.sdTotal, -2.0);
  replaceLine(m_exactMean, frame.x, e.mean, e.sdEpistemic, 0.0);
  replaceLine(m_exactUpper, frame.x, e.mean, e.sdEpistemic, 2.0);
  replaceLine(m_exactLower, frame.x, e.mean, e.sdEpistemic, -2.0);
  replaceLine(m_exactTotalUpper, frame.x, e.mean, e.sdTotal, 2.0);
  replaceLine(m_exactTotalLower, frame.x, e.mean, e.sdTotal, -2.0);
  std::vector<double> px, pm, psd;
  if (pinned && pinned->regression && pinned->grid) {
    const Matrix& g = pinned->grid->points;
    px.assign(g.data(), g.data() + g.cols());
    pm.assign(pinned->regression->mean.data(),
              pinned->regression->mean.data() + pinned->regression->mean.size());
    psd.assign(pinned->regression->stdEpistemic.data(),
               pinned->regression->stdEpistemic.data() + pinned->regression->stdEpistemic.size());
  }
  replaceLine(m_pinnedMean, px, pm, psd, 0.0);
  replaceLine(m_pinnedUpper, px, pm, psd, 2.0);
  replaceLine(m_pinnedLower, px, pm, psd, -2.0);
  for (QLineSeries* s : {m_exactUpper, m_pinnedUpper})
    setLegendEntryVisible(m_chart, s, s->count() > 0);

  double ylo = INFINITY, yhi = -INFINITY;
  for (const QPointF& p : m_data->points()) ylo = std::min(ylo, p.y()), yhi = std::max(yhi, p.y());
  for (size_t i = 0; i < m.mean.size(); ++i) {
    ylo = std::min(ylo, m.mean[i] - 2 * m.sdTotal[i]);
    yhi = std::max(yhi, m.mean[i] + 2 * m.sdTotal[i]);
  }
  m_note->setText(QString());
  setNiceTicks(m_x, frame.x.front(), frame.x.back(), 6);
  if (std::isfinite(ylo)) setStickyRange(m_y, ylo, yhi, 5, 1.5);
}

void BandChart::clear(const QString& note) {
  for (QLineSeries* s :
       {m_methodMean, m_methodEpistemic.upper, m_methodEpistemic.lower, m_methodTotal.upper,
        m_methodTotal.lower, m_exactMean, m_exactUpper, m_exactLower, m_exactTotalUpper,
        m_exactTotalLower, m_pinnedMean, m_pinnedUpper, m_pinnedLower})
    s->clear();
  m_note->setText(note);
}

}  // namespace bayeslab::ui
