#include "ui/views/regression_predictive_view.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTextStream>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "ui/views/chart_series.h"
#include "ui/views/plot_note.h"

namespace bayeslab::ui {

namespace {

constexpr int kMaxFunctions = 8;
// The bands may reach far beyond the data where the posterior is unsure; the
// y axis stops at one data range beyond the data so the fit stays readable.
constexpr double kYOverreach = 1.0;

}  // namespace

RegressionPredictiveView::RegressionPredictiveView(QWidget* parent)
    : ChartPanel("predictive", tr("Posterior predictive"), parent) {
  setToolTip(
      tr("Epistemic band: spread of the functions drawn from the posterior (shrinks with "
         "more data). Total band: epistemic plus observation noise."));
  m_chart = new QChart;
  m_xAxis = new QValueAxis;
  m_yAxis = new QValueAxis;
  m_chart->addAxis(m_xAxis, Qt::AlignBottom);
  m_chart->addAxis(m_yAxis, Qt::AlignLeft);

  // Grey for everything the model expects (noise included), blue for what it
  // does not know: where they overlap the blue reads darker, never another hue.
  const QColor totalColor(120, 120, 120);
  const QColor epistemicColor(0, 114, 178);
  m_total2 = makeBand(tr("total \u00b12\u03c3"), withAlpha(totalColor, 40));
  m_total1 = makeBand(tr("total \u00b11\u03c3"), withAlpha(totalColor, 60));
  m_epistemic2 = makeBand(tr("epistemic \u00b12\u03c3"), withAlpha(epistemicColor, 60));
  m_epistemic1 = makeBand(tr("epistemic \u00b11\u03c3"), withAlpha(epistemicColor, 95));

  for (int i = 0; i < kMaxFunctions; ++i) {
    auto* f = new QLineSeries;
    f->setName(tr("posterior function draws"));
    QPen pen(QColor(60, 60, 60, 110));
    pen.setWidthF(0.9);
    f->setPen(pen);
    m_chart->addSeries(f);
    f->attachAxis(m_xAxis);
    f->attachAxis(m_yAxis);
    m_functions.push_back(f);
  }
  m_mean = new QLineSeries;
  m_mean->setName(tr("predictive mean"));
  QPen meanPen(QColor(0, 60, 110));
  meanPen.setWidthF(2.4);
  m_mean->setPen(meanPen);
  m_chart->addSeries(m_mean);
  m_mean->attachAxis(m_xAxis);
  m_mean->attachAxis(m_yAxis);

  // The pinned reference: dashed, over the bands and under the data.
  m_referenceMean =
      addLine(m_chart, m_xAxis, m_yAxis, QString(), palette::kVermillion, 2.2, Qt::DashLine);
  m_referenceUpper =
      addLine(m_chart, m_xAxis, m_yAxis, QString(), palette::kVermillion, 1.3, Qt::DashLine);
  m_referenceLower =
      addLine(m_chart, m_xAxis, m_yAxis, QString(), palette::kVermillion, 1.3, Qt::DashLine);
  hideFromLegend(m_chart, m_referenceLower);

  m_data = new QScatterSeries;
  m_data->setName(tr("training data"));
  m_data->setMarkerSize(5.5);
  m_data->setColor(palette::kInk);
  m_data->setBorderColor(Qt::white);
  m_chart->addSeries(m_data);
  m_data->attachAxis(m_xAxis);
  m_data->attachAxis(m_yAxis);

  // One legend entry for all function draws.
  for (size_t i = 1; i < m_functions.size(); ++i)
    for (QLegendMarker* marker : m_chart->legend()->markers(m_functions[i]))
      marker->setVisible(false);

  m_note = new PlotNote(m_chart);
  m_view = makeChartView(m_chart);
  setReference(nullptr);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_view);
  applyStyle();
  clearPredictive();
}

RegressionPredictiveView::Band RegressionPredictiveView::makeBand(const QString& name,
                                                                  const QColor& fill) {
  Band band;
  band.upper = new QLineSeries(this);
  band.lower = new QLineSeries(this);
  band.area = new QAreaSeries(band.upper, band.lower);
  band.area->setName(name);
  band.area->setBrush(fill);
  band.area->setPen(Qt::NoPen);
  m_chart->addSeries(band.area);
  band.area->attachAxis(m_xAxis);
  band.area->attachAxis(m_yAxis);
  return band;
}

void RegressionPredictiveView::applyStyle() {
  const ChartStyle& s = style();
  s.apply(m_chart);
  m_chart->setTitle(tr("Posterior predictive"));
  s.apply(m_xAxis, tr("x"));
  s.apply(m_yAxis, tr("y"));
  m_note->setFont(s.axisTitleFont());
  if (m_data) updateAxes();
}

void RegressionPredictiveView::setTrainingData(const Dataset& train) {
  m_trainInputs = train.inputs;
  m_trainTargets = train.targets;
  QList<QPointF> points;
  if (train.inputDim() == 1 && train.targets.rows() >= 1) {
    points.reserve(train.size());
    for (Index i = 0; i < train.size(); ++i)
      points.append(QPointF(train.inputs(0, i), train.targets(0, i)));
  }
  m_data->replace(points);
  updateAxes();
}

void RegressionPredictiveView::setPredictive(const Grid1D& grid,
                                             const RegressionPredictive& predictive) {
  m_grid = grid;
  m_predictive = predictive;
  const Index M = grid.points.cols();
  QList<QPointF> mean, t2u, t2l, t1u, t1l, e2u, e2l, e1u, e1l;
  for (QList<QPointF>* l : {&mean, &t2u, &t2l, &t1u, &t1l, &e2u, &e2l, &e1u, &e1l}) l->reserve(M);
  for (Index i = 0; i < M; ++i) {
    const double x = grid.points(0, i), m = predictive.mean(i);
    const double st = predictive.stdTotal(i), se = predictive.stdEpistemic(i);
    mean.append({x, m});
    t2u.append({x, m + 2 * st});
    t2l.append({x, m - 2 * st});
    t1u.append({x, m + st});
    t1l.append({x, m - st});
    e2u.append({x, m + 2 * se});
    e2l.append({x, m - 2 * se});
    e1u.append({x, m + se});
    e1l.append({x, m - se});
  }
  m_mean->replace(mean);
  m_total2.upper->replace(t2u);
  m_total2.lower->replace(t2l);
  m_total1.upper->replace(t1u);
  m_total1.lower->replace(t1l);
  m_epistemic2.upper->replace(e2u);
  m_epistemic2.lower->replace(e2l);
  m_epistemic1.upper->replace(e1u);
  m_epistemic1.lower->replace(e1l);
  const Index kept = std::min<Index>(predictive.functions.rows(), kMaxFunctions);
  for (Index f = 0; f < static_cast<Index>(m_functions.size()); ++f) {
    QList<QPointF> points;
    if (f < kept) {
      points.reserve(M);
      for (Index i = 0; i < M; ++i) points.append({grid.points(0, i), predictive.functions(f, i)});
    }
    m_functions[static_cast<size_t>(f)]->replace(points);
  }
  m_note->setText(QString());
  updateAxes();
}

void RegressionPredictiveView::clearPredictive() {
  m_predictive.reset();
  for (QLineSeries* s :
       {m_mean, m_total2.upper, m_total2.lower, m_total1.upper, m_total1.lower, m_epistemic2.upper,
        m_epistemic2.lower, m_epistemic1.upper, m_epistemic1.lower})
    s->clear();
  for (QLineSeries* f : m_functions) f->clear();
  m_note->setText(tr("computing the predictive\u2026"));
  updateAxes();
}

void RegressionPredictiveView::setReference(PinnedReferencePtr reference) {
  if (reference && !(reference->regression && reference->grid)) reference.reset();
  m_reference = std::move(reference);
  QList<QPointF> mean, upper, lower;
  if (m_reference) {
    const Matrix& x = m_reference->grid->points;
    const RegressionPredictive& p = *m_reference->regression;
    for (Index i = 0; i < x.cols(); ++i) {
      mean.append({x(0, i), p.mean(i)});
      upper.append({x(0, i), p.mean(i) + 2 * p.stdEpistemic(i)});
      lower.append({x(0, i), p.mean(i) - 2 * p.stdEpistemic(i)});
    }
    m_referenceMean->setName(tr("%1 mean").arg(m_reference->label));
    m_referenceUpper->setName(tr("%1 ±2σ epistemic").arg(m_reference->label));
  }
  m_referenceMean->replace(mean);
  m_referenceUpper->replace(upper);
  m_referenceLower->replace(lower);
  for (QLineSeries* s : {m_referenceMean, m_referenceUpper})
    setLegendEntryVisible(m_chart, s, m_reference != nullptr);
  updateAxes();
}

bool RegressionPredictiveView::hasReference() const {
  return m_reference != nullptr;
}

void RegressionPredictiveView::updateAxes() {
  double xLo = m_predictive ? m_grid.lower : 0.0, xHi = m_predictive ? m_grid.upper : 1.0;
  double yLo = INFINITY, yHi = -INFINITY;
  for (const QPointF& p : m_data->points()) {
    if (!m_predictive) {
      xLo = std::min(xLo, p.x());
      xHi = std::max(xHi, p.x());
    }
    yLo = std::min(yLo, p.y());
    yHi = std::max(yHi, p.y());
  }
  if (!std::isfinite(yLo)) yLo = -1.0, yHi = 1.0;
  const double dataLo = yLo, dataHi = yHi, range = std::max(1e-6, dataHi - dataLo);
  if (m_predictive) {
    for (const QPointF& p : m_total2.lower->points()) yLo = std::min(yLo, p.y());
    for (const QPointF& p : m_total2.upper->points()) yHi = std::max(yHi, p.y());
    yLo = std::max(yLo, dataLo - kYOverreach * range);
    yHi = std::min(yHi, dataHi + kYOverreach * range);
  }
  setNiceTicks(m_xAxis, xLo, xHi, style().ticks(8));
  setStickyRange(m_yAxis, yLo, yHi, style().ticks(7), 1.4);
}

std::vector<CsvTable> RegressionPredictiveView::csvTables() const {
  std::vector<CsvTable> tables;
  if (m_predictive) {
    QString text;
    QTextStream out(&text);
    out.setRealNumberPrecision(8);
    const Index F = m_predictive->functions.rows();
    out << "x0,mean,std_epistemic,std_total";
    for (Index f = 0; f < F; ++f) out << ",f" << f;
    out << "\n";
    for (Index i = 0; i < m_grid.points.cols(); ++i) {
      out << m_grid.points(0, i) << "," << m_predictive->mean(i) << ","
          << m_predictive->stdEpistemic(i) << "," << m_predictive->stdTotal(i);
      for (Index f = 0; f < F; ++f) out << "," << m_predictive->functions(f, i);
      out << "\n";
    }
    tables.push_back({QString(), text});
  }
  if (m_reference) {
    // The pinned reference run's predictive, on its own grid.
    QString text;
    QTextStream out(&text);
    out.setRealNumberPrecision(8);
    out << "x0,mean,std_epistemic,std_total\n";
    const Matrix& x = m_reference->grid->points;
    const RegressionPredictive& p = *m_reference->regression;
    for (Index i = 0; i < x.cols(); ++i)
      out << x(0, i) << "," << p.mean(i) << "," << p.stdEpistemic(i) << "," << p.stdTotal(i)
          << "\n";
    tables.push_back({QStringLiteral("reference"), text});
  }
  if (m_trainInputs.cols() > 0) {
    QString text;
    QTextStream out(&text);
    out.setRealNumberPrecision(8);
    out << "x0,y\n";
    for (Index i = 0; i < m_trainInputs.cols(); ++i)
      out << m_trainInputs(0, i) << "," << m_trainTargets(0, i) << "\n";
    tables.push_back({QStringLiteral("data"), text});
  }
  return tables;
}

QList<QChartView*> RegressionPredictiveView::chartViews() const {
  return {m_view};
}

}  // namespace bayeslab::ui
