#include "ui/views/elbo_view.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/io/run_writer.h"
#include "ui/views/chart_style.h"
#include "ui/views/histogram.h"
#include "ui/views/plot_note.h"

namespace bayeslab::ui {

namespace {

// Early steps can be orders of magnitude below the rest (a fresh network
// explains nothing); the axis follows the bulk of the curve instead, or, when
// zoomed, the later half of the run where the interesting differences are.
constexpr double kZoomedFraction = 0.5;

const QColor kPartBoundaryColor(120, 120, 120);
const QColor kDivergenceColor(178, 24, 43);
constexpr const char* kLowerBound = "elbo_lower";
constexpr const char* kUpperBound = "elbo_upper";

void showInLegend(QChart* chart, QAbstractSeries* series, bool shown) {
  for (QLegendMarker* marker : chart->legend()->markers(series)) marker->setVisible(shown);
}

// "prior_scale" -> "prior scale": the engine's names, made readable.
QString readable(const std::string& name) {
  return QString::fromStdString(name).replace('_', ' ');
}

QLineSeries* makeLine(const QString& name, const QColor& color, double width) {
  auto* series = new QLineSeries;
  series->setName(name);
  QPen pen(color);
  pen.setWidthF(width);
  series->setPen(pen);
  return series;
}

}  // namespace

ElboView::ElboView(QWidget* parent) : ChartPanel("elbo", tr("Training objective"), parent) {
  m_partMarks.label = tr("new data part");
  m_partMarks.color = kPartBoundaryColor;
  m_partMarks.width = 1.2;
  m_divergenceMarks.label = tr("diverged");
  m_divergenceMarks.color = kDivergenceColor;
  m_divergenceMarks.width = 1.6;
  setToolTip(
      tr("The objective per step (each plotted point averages several steps on long "
         "runs) and the test metrics, evaluated every few steps on held-out data. "
         "Semi-implicit VI draws its two K-sample bounds, lower L_K (trained) and upper "
         "L^K, which enclose the ELBO; a session with an exact posterior (Bayesian linear "
         "regression) shows the exact log evidence log p(D), above every ELBO."));

  m_objectiveChart = new QChart;
  m_elbo = makeLine(tr("ELBO"), palette::kBlue, 2.2);
  m_logLikelihood = makeLine(tr("expected log-likelihood"), palette::kGreen, 1.4);
  m_kl = makeLine(tr("KL"), palette::kVermillion, 1.4);
  m_lowerBound = makeLine(tr("lower L_K"), palette::kBlue, 2.2);
  m_upperBound = makeLine(tr("upper L^K"), palette::kSky, 2.2);
  m_evidence = makeLine(tr("log p(D)"), palette::kInk, 1.4);
  {
    QPen pen = m_evidence->pen();
    pen.setStyle(Qt::DashLine);
    m_evidence->setPen(pen);
  }
  const std::initializer_list<QLineSeries*> objectiveSeries = {
      m_elbo, m_lowerBound, m_upperBound, m_logLikelihood, m_kl, m_evidence};
  for (QLineSeries* s : objectiveSeries) m_objectiveChart->addSeries(s);
  m_stepAxis = new QValueAxis;
  m_valueAxis = new QValueAxis;
  m_objectiveChart->addAxis(m_stepAxis, Qt::AlignBottom);
  m_objectiveChart->addAxis(m_valueAxis, Qt::AlignLeft);
  for (QLineSeries* s : objectiveSeries) {
    s->attachAxis(m_stepAxis);
    s->attachAxis(m_valueAxis);
  }
  m_objectiveNote = new PlotNote(m_objectiveChart);
  m_objectiveView = makeChartView(m_objectiveChart);

  m_testChart = new QChart;
  m_testLogLikelihood = makeLine(tr("test log-likelihood"), palette::kPurple, 2.0);
  m_testMetric = makeLine(tr("test RMSE"), palette::kOrange, 2.0);
  m_testLogLikelihood->setPointsVisible(true);
  m_testMetric->setPointsVisible(true);
  m_testChart->addSeries(m_testLogLikelihood);
  m_testChart->addSeries(m_testMetric);
  m_testStepAxis = new QValueAxis;
  m_testLogLikelihoodAxis = new QValueAxis;
  m_testMetricAxis = new QValueAxis;
  m_testChart->addAxis(m_testStepAxis, Qt::AlignBottom);
  m_testChart->addAxis(m_testLogLikelihoodAxis, Qt::AlignLeft);
  m_testChart->addAxis(m_testMetricAxis, Qt::AlignRight);
  m_testLogLikelihood->attachAxis(m_testStepAxis);
  m_testLogLikelihood->attachAxis(m_testLogLikelihoodAxis);
  m_testMetric->attachAxis(m_testStepAxis);
  m_testMetric->attachAxis(m_testMetricAxis);
  m_testView = makeChartView(m_testChart);
  connect(m_testChart, &QGraphicsWidget::geometryChanged, this, [this] { fitTestChart(); });
  connect(m_testChart, &QChart::plotAreaChanged, this, [this] { fitTestChart(); });

  m_extraChart = new QChart;
  m_extra = makeLine(QString(), palette::kGreen, 2.0);
  m_extraChart->addSeries(m_extra);
  m_extraStepAxis = new QValueAxis;
  m_extraValueAxis = new QValueAxis;
  m_extraChart->addAxis(m_extraStepAxis, Qt::AlignBottom);
  m_extraChart->addAxis(m_extraValueAxis, Qt::AlignLeft);
  m_extra->attachAxis(m_extraStepAxis);
  m_extra->attachAxis(m_extraValueAxis);
  m_extraChart->legend()->hide();
  m_extraView = makeChartView(m_extraChart);
  m_extraView->setMinimumHeight(120);
  m_extraView->setToolTip(
      tr("A quantity the method or the trainer reports at every step: e.g. the prior scale "
         "learned by empirical Bayes, the KL weight during warm-up, the data part in "
         "sequential learning."));
  m_extraBox = new QComboBox(this);
  m_extraBox->setToolTip(tr("Which per-step quantity the small chart at the bottom shows."));
  m_extraLabel = new QLabel(tr("lower chart:"), this);
  m_extraLabel->setBuddy(m_extraBox);
  m_extraValue = new QLabel(this);
  m_extraValue->setObjectName("extraValue");
  m_extraValue->setToolTip(
      tr("The newest value of the quantity in the small chart (e.g. the log marginal "
         "likelihood and the tuned prior precision of a Laplace run)."));
  connect(m_extraBox, &QComboBox::currentIndexChanged, this, [this] { refreshExtras(); });

  m_zoomBox = new QCheckBox(tr("fit the y axis to the later steps"), this);
  m_zoomBox->setChecked(true);
  m_zoomBox->setToolTip(
      tr("The first steps of a run lie orders of magnitude below the rest. "
         "Checked: the y axis fits the second half of the run (earlier values "
         "leave the plot). Unchecked: it fits the whole run."));
  connect(m_zoomBox, &QCheckBox::toggled, this, [this] { updateObjectiveAxes(); });
  m_objectiveView->setMinimumHeight(200);
  m_testView->setMinimumHeight(120);

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 0);
  bar->addWidget(m_zoomBox);
  bar->addStretch(1);
  bar->addWidget(m_extraLabel);
  bar->addWidget(m_extraBox);
  bar->addWidget(m_extraValue);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  layout->addWidget(m_objectiveView, 3);
  // The per-step extra sits beside the test metrics: the window's height is the scarce room.
  auto* lower = new QHBoxLayout;
  lower->setSpacing(0);
  lower->addWidget(m_testView, 3);
  lower->addWidget(m_extraView, 2);
  layout->addLayout(lower, 2);
  applyStyle();
  clear();
}

void ElboView::applyStyle() {
  const ChartStyle& s = style();
  s.apply(m_objectiveChart);
  s.apply(m_testChart);
  m_objectiveChart->setTitle(tr("Training objective"));
  // No title: the legend names the test metrics, and the height goes to the plot.
  m_testChart->setTitle(QString());
  s.apply(m_stepAxis, tr("training step"));
  s.apply(m_valueAxis, tr("nats"));
  // The objective chart above names the shared step axis; the height goes to the plot.
  s.apply(m_testStepAxis, QString());
  s.apply(m_testLogLikelihoodAxis, tr("log-lik / pt"));
  s.apply(m_testMetricAxis, m_task == Task::Regression ? tr("RMSE") : tr("accuracy"));
  s.apply(m_extraChart);
  m_extraChart->legend()->hide();
  s.apply(m_extraStepAxis, QString());
  s.apply(m_extraValueAxis, readable(shownExtra().toStdString()));
  m_testMetricAxis->setGridLineVisible(false);
  // Two y axes: each in its series' colour says which curve it measures.
  for (auto [axis, series] : {std::pair{m_testLogLikelihoodAxis, m_testLogLikelihood},
                              std::pair{m_testMetricAxis, m_testMetric}}) {
    const QColor color = series->pen().color();
    axis->setTitleBrush(color);
    axis->setLabelsColor(color);
    axis->setLinePenColor(color);
  }
  fitTestChart();
  m_objectiveNote->setFont(s.axisTitleFont());
  QFont font = m_zoomBox->font();
  font.setPointSizeF(9.0 * s.fontScale);
  m_zoomBox->setFont(font);
  m_extraBox->setFont(font);
  m_extraLabel->setFont(font);
  m_extraValue->setFont(font);
  updateObjectiveAxes();
  updateTestAxes();
}

void ElboView::setRun(const MethodDescriptor& method, Task task, Index totalSteps) {
  m_task = task;
  m_totalSteps = totalSteps;
  const QString kl = QString::fromStdString(method.klLabel);
  // For a non-variational method the "ELBO" column is the log-likelihood minus
  // a penalty (the log joint for MAP); say so rather than call it an ELBO.
  const bool variational = method.traits.variational;
  m_kl->setName(variational ? kl : tr("penalty %1").arg(kl));
  m_elbo->setName(variational ? tr("ELBO") : tr("log-likelihood \u2212 penalty"));
  m_logLikelihood->setName(variational ? tr("E_q[log p(D | w)]") : tr("log p(D | w)"));
  m_testMetric->setName(task == Task::Regression ? tr("test RMSE") : tr("test accuracy"));
  applyStyle();
  clear();
}

void ElboView::clear() {
  m_rows.clear();
  m_hasBounds = false;
  for (SeriesDecimator* d :
       {&m_elboPoints, &m_logLikelihoodPoints, &m_klPoints, &m_lowerBoundPoints,
        &m_upperBoundPoints, &m_testLogLikelihoodPoints, &m_testMetricPoints})
    d->clear();
  m_extraNames.clear();
  m_divergenceMarks.steps.clear();
  m_extraPoints.clear();
  m_extraLatest.clear();
  {
    const QSignalBlocker block(m_extraBox);
    m_extraBox->clear();
  }
  refresh();
}

void ElboView::appendRows(const std::vector<MetricsRow>& rows) {
  if (rows.empty()) return;
  for (const MetricsRow& row : rows) {
    const double x = static_cast<double>(row.step);
    m_elboPoints.append(x, row.elbo);
    m_logLikelihoodPoints.append(x, row.expectedLogLikelihood);
    m_klPoints.append(x, row.kl);
    if (row.evaluated()) {
      m_testLogLikelihoodPoints.append(x, row.testLogLikelihood);
      m_testMetricPoints.append(x, m_task == Task::Regression ? row.testRmse : row.testAccuracy);
    }
    for (int e = 0; e < row.extraCount; ++e) {
      const auto& [name, value] = row.extras[static_cast<size_t>(e)];
      if (!name) continue;
      // The K-sample bounds go into the objective chart, not the extras' list.
      if (std::strcmp(name, kLowerBound) == 0 || std::strcmp(name, kUpperBound) == 0) {
        (std::strcmp(name, kLowerBound) == 0 ? m_lowerBoundPoints : m_upperBoundPoints)
            .append(x, value);
        m_hasBounds = true;
        continue;
      }
      auto it = m_extraPoints.find(name);
      if (it == m_extraPoints.end()) {
        it = m_extraPoints.emplace(name, SeriesDecimator(kMaxPoints)).first;
        m_extraNames.push_back(name);
        m_extraBox->addItem(readable(name), QString::fromUtf8(name));
      }
      it->second.append(x, value);
      if (std::isfinite(value)) m_extraLatest[name] = {row.step, value};
    }
  }
  for (const MetricsRow& row : rows) m_rows.push(row);
  refresh();
}

void ElboView::setHistory(const std::vector<MetricsRow>& rows) {
  clear();
  appendRows(rows);
}

void ElboView::refresh() {
  // With the bounds, the ELBO curve would only retrace the lower bound (the trained one).
  m_elbo->setVisible(!m_hasBounds);
  showInLegend(m_objectiveChart, m_elbo, !m_hasBounds);
  for (QLineSeries* s : {m_lowerBound, m_upperBound}) {
    s->setVisible(m_hasBounds);
    showInLegend(m_objectiveChart, s, m_hasBounds);
  }
  m_elbo->replace(m_hasBounds ? QList<QPointF>() : m_elboPoints.points());
  m_lowerBound->replace(m_lowerBoundPoints.points());
  m_upperBound->replace(m_upperBoundPoints.points());
  m_logLikelihood->replace(m_logLikelihoodPoints.points());
  m_kl->replace(m_klPoints.points());
  m_testLogLikelihood->replace(m_testLogLikelihoodPoints.points());
  m_testMetric->replace(m_testMetricPoints.points());
  m_objectiveNote->setText(m_rows.empty() ? tr("press \u25b6 to train") : QString());
  updateObjectiveAxes();
  updateTestAxes();
  refreshExtras();
}

void ElboView::updateObjectiveAxes() {
  const double lastStep = m_rows.empty() ? 0.0 : static_cast<double>(m_rows.latest().step);
  const double xMax = std::max<double>({10.0, lastStep, static_cast<double>(m_totalSteps)});
  setNiceTicks(m_stepAxis, 0.0, xMax, style().ticks(6));
  std::vector<double> values;
  const double skipBelow = lastStep <= 20           ? -1.0
                           : m_zoomBox->isChecked() ? kZoomedFraction * lastStep
                                                    : kSkipEarlyFraction * lastStep;
  for (const QLineSeries* s : {m_elbo, m_lowerBound, m_upperBound, m_logLikelihood, m_kl})
    for (const QPointF& p : s->points())
      if (p.x() > skipBelow) values.push_back(p.y());
  if (values.empty()) {
    setNiceRange(m_valueAxis, -1.0, 1.0, style().ticks(6));
    updateStepMarks();
    updateEvidence();
    return;
  }
  if (std::isfinite(m_logEvidence)) values.push_back(m_logEvidence);
  auto [lo, hi] = quantileRange(values, 0.0, 1.0);
  const double pad = 0.05 * (hi - lo);
  setStickyRange(m_valueAxis, lo - pad, hi + pad, style().ticks(6));
  updateStepMarks();
  updateEvidence();
}

void ElboView::setLogEvidence(double logEvidence) {
  m_logEvidence = logEvidence;
  updateObjectiveAxes();
}

void ElboView::updateEvidence() {
  const bool shown = std::isfinite(m_logEvidence);
  m_evidence->setVisible(shown);
  showInLegend(m_objectiveChart, m_evidence, shown);
  if (!shown) return;
  m_evidence->replace(
      {QPointF(m_stepAxis->min(), m_logEvidence), QPointF(m_stepAxis->max(), m_logEvidence)});
}

void ElboView::fitTestChart() {
  // The legend's row, the step labels and the margins leave the plot this much:
  // below ~2.5 label lines of plot the legend goes (its names are on the axes' colours).
  const QFontMetricsF metrics(style().legendFont());
  const double needed = 6.0 * metrics.height() + 60.0;
  const bool room = m_testChart->size().height() >= needed;
  if (m_testChart->legend()->isVisible() != room) m_testChart->legend()->setVisible(room);
  // The y axis titles run along the plot's height: the short name when the long one does not fit.
  const QFontMetricsF axisMetrics(style().axisTitleFont());
  const double along = m_testChart->plotArea().height() - 8.0;
  const QString full = tr("log-lik / pt");
  const QString title = axisMetrics.horizontalAdvance(full) <= along ? full : tr("log-lik");
  if (m_testLogLikelihoodAxis->titleText() != title) m_testLogLikelihoodAxis->setTitleText(title);
}

void ElboView::updateTestAxes() {
  const double xMax = m_stepAxis->max();
  setNiceTicks(m_testStepAxis, 0.0, xMax, style().ticks(6));
  auto range = [](const QLineSeries* s, double floor) {
    std::vector<double> v;
    for (const QPointF& p : s->points()) v.push_back(p.y());
    if (v.empty()) return std::pair<double, double>(floor, floor + 1.0);
    return quantileRange(v, 0.0, 1.0);
  };
  auto [llLo, llHi] = range(m_testLogLikelihood, -1.0);
  setStickyRange(m_testLogLikelihoodAxis, llLo, llHi, 3);
  if (m_task == Task::Classification) {
    setNiceRange(m_testMetricAxis, 0.0, 1.0, 3);
  } else {
    const double hi = range(m_testMetric, 0.0).second;
    setStickyRange(m_testMetricAxis, 0.0, hi, 3);
  }
}

QStringList ElboView::extraNames() const {
  QStringList names;
  for (const std::string& name : m_extraNames) names << QString::fromStdString(name);
  return names;
}

QString ElboView::shownExtra() const {
  return m_extraBox->currentData().toString();
}

void ElboView::showExtra(const QString& name) {
  const int index = m_extraBox->findData(name);
  if (index >= 0) m_extraBox->setCurrentIndex(index);
}

QString ElboView::extraValueText() const {
  const auto it = m_extraLatest.find(shownExtra().toStdString());
  if (it == m_extraLatest.end()) return m_extraNames.empty() ? QString() : tr("not yet computed");
  return tr("latest: %1 (step %2)")
      .arg(QString::number(it->second.second, 'g', 5).replace('-', QChar(0x2212)))
      .arg(it->second.first);
}

void ElboView::refreshExtras() {
  const bool any = !m_extraNames.empty();
  m_extraView->setVisible(any);
  m_extraBox->setVisible(any);
  m_extraLabel->setVisible(any);
  m_extraValue->setVisible(any);
  m_extraValue->setText(extraValueText());
  if (!any) {
    m_extra->clear();
    return;
  }
  const std::string name = shownExtra().toStdString();
  const auto it = m_extraPoints.find(name);
  const QList<QPointF> points = it == m_extraPoints.end() ? QList<QPointF>() : it->second.points();
  m_extra->replace(points);
  m_extra->setName(readable(name));
  style().apply(m_extraValueAxis, readable(name));
  // Three ticks: five-digit step labels must fit the small chart.
  setNiceTicks(m_extraStepAxis, 0.0, m_stepAxis->max(), style().ticks(3));
  std::vector<double> values;
  for (const QPointF& p : points) values.push_back(p.y());
  if (values.empty()) {
    setNiceRange(m_extraValueAxis, 0.0, 1.0, 3);
    return;
  }
  auto [lo, hi] = quantileRange(values, 0.0, 1.0);
  setStickyRange(m_extraValueAxis, lo, hi, 3);
}

void ElboView::setPartBoundaries(const std::vector<Index>& steps) {
  setMarkedSteps(m_partMarks, steps);
}

void ElboView::markDivergence(Index step) {
  const auto& marked = m_divergenceMarks.steps;
  if (std::find(marked.begin(), marked.end(), step) != marked.end()) return;
  std::vector<Index> steps = marked;
  steps.push_back(step);
  setMarkedSteps(m_divergenceMarks, std::move(steps));
}

int ElboView::partBoundaryCount() const {
  return static_cast<int>(m_partMarks.steps.size());
}

void ElboView::setMarkedSteps(StepMarks& marks, std::vector<Index> steps) {
  marks.steps = std::move(steps);
  while (marks.lines.size() < marks.steps.size()) {
    QLineSeries* line = makeLine(marks.label, marks.color, marks.width);
    QPen pen = line->pen();
    pen.setStyle(Qt::DashLine);
    line->setPen(pen);
    m_objectiveChart->addSeries(line);
    line->attachAxis(m_stepAxis);
    line->attachAxis(m_valueAxis);
    marks.lines.push_back(line);
  }
  updateStepMarks();
}

void ElboView::updateStepMarks() {
  for (StepMarks* marks : {&m_partMarks, &m_divergenceMarks}) {
    for (size_t i = 0; i < marks->lines.size(); ++i) {
      QLineSeries* line = marks->lines[i];
      const bool shown = i < marks->steps.size();
      line->setVisible(shown);
      for (QLegendMarker* marker : m_objectiveChart->legend()->markers(line))
        marker->setVisible(shown && i == 0);
      if (!shown) continue;
      const double x = static_cast<double>(marks->steps[i]);
      line->replace({QPointF(x, m_valueAxis->min()), QPointF(x, m_valueAxis->max())});
    }
  }
}

std::vector<CsvTable> ElboView::csvTables() const {
  if (m_rows.empty()) return {};
  return {{QString(), QString::fromStdString(metricsCsv(m_rows.rows(), m_task))}};
}

QList<QChartView*> ElboView::chartViews() const {
  return {m_objectiveView, m_testView, m_extraView};
}

}  // namespace bayeslab::ui
