#include "ui/compare/compare_rotation_view.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>

#include "ui/views/chart_series.h"

namespace bayeslab::ui {

CompareRotationView::CompareRotationView(QWidget* parent)
    : ChartPanel("comparison_rotation", tr("Rotated digit, every run"), parent) {
  setToolTip(tr("One test digit turned from 0 to 180 degrees, one colour per run. Left: the "
                "probability each run gives the digit's true class. Right: the predictive "
                "entropy (solid) and the mutual information between label and weights "
                "(dashed, the epistemic part). Honest uncertainty rises as the digit turns."));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  for (int c = 0; c < 2; ++c) {
    m_charts[c] = new QChart;
    m_xAxes[c] = new QValueAxis;
    m_yAxes[c] = new QValueAxis;
    m_charts[c]->addAxis(m_xAxes[c], Qt::AlignBottom);
    m_charts[c]->addAxis(m_yAxes[c], Qt::AlignLeft);
    m_views[c] = makeChartView(m_charts[c]);
    m_views[c]->setMinimumSize(200, 150);
    layout->addWidget(m_views[c], 1);
  }
  applyStyle();
}

void CompareRotationView::applyStyle() {
  const ChartStyle& s = style();
  for (int c = 0; c < 2; ++c) {
    s.apply(m_charts[c]);
    s.apply(m_xAxes[c], tr("rotation (degrees)"));
  }
  m_charts[0]->setTitle(tr("p(true class = %1)").arg(m_label));
  s.apply(m_yAxes[0], tr("probability"));
  m_charts[1]->setTitle(tr("Entropy (solid), mutual information (dashed)"));
  s.apply(m_yAxes[1], tr("nats"));
  fitAxes();
}

void CompareRotationView::setDigitLabel(int label) {
  m_label = label;
  applyStyle();
}

int CompareRotationView::addRun(const QString& name, const QColor& color) {
  Run run;
  run.name = name;
  run.probability = addLine(m_charts[0], m_xAxes[0], m_yAxes[0], name, color, 2.0);
  run.entropy = addLine(m_charts[1], m_xAxes[1], m_yAxes[1], name, color, 2.0);
  run.mutualInformation =
      addLine(m_charts[1], m_xAxes[1], m_yAxes[1], name + tr(" (MI)"), color, 1.6, Qt::DashLine);
  hideFromLegend(m_charts[1], run.mutualInformation);
  m_runs.push_back(std::move(run));
  return runCount() - 1;
}

void CompareRotationView::removeRun(int index) {
  if (index < 0 || index >= runCount()) return;
  Run& run = m_runs[static_cast<size_t>(index)];
  for (auto [chart, series] : {std::pair{m_charts[0], run.probability},
                               std::pair{m_charts[1], run.entropy},
                               std::pair{m_charts[1], run.mutualInformation}}) {
    chart->removeSeries(series);
    delete series;
  }
  m_runs.erase(m_runs.begin() + index);
}

void CompareRotationView::setRunName(int index, const QString& name) {
  if (index < 0 || index >= runCount()) return;
  Run& run = m_runs[static_cast<size_t>(index)];
  run.name = name;
  run.probability->setName(name);
  run.entropy->setName(name);
  run.mutualInformation->setName(name + tr(" (MI)"));
}

void CompareRotationView::clearRun(int index) {
  if (index < 0 || index >= runCount()) return;
  Run& run = m_runs[static_cast<size_t>(index)];
  run.angles.clear();
  run.p.clear();
  run.h.clear();
  run.mi.clear();
  run.probability->clear();
  run.entropy->clear();
  run.mutualInformation->clear();
}

void CompareRotationView::setSweep(int index, const RotationSweep& sweep) {
  if (index < 0 || index >= runCount()) return;
  Run& run = m_runs[static_cast<size_t>(index)];
  const size_t n = sweep.angles.size();
  run.angles = sweep.angles;
  run.p.assign(n, 0.0);
  run.h.assign(n, 0.0);
  run.mi.assign(n, 0.0);
  QList<QPointF> p, h, mi;
  for (size_t a = 0; a < n; ++a) {
    const auto i = static_cast<Index>(a);
    if (m_label >= 0 && m_label < sweep.probabilities.rows())
      run.p[a] = static_cast<double>(sweep.probabilities(m_label, i));
    run.h[a] = static_cast<double>(sweep.entropy(i));
    run.mi[a] = static_cast<double>(sweep.mutualInformation(i));
    p << QPointF(run.angles[a], run.p[a]);
    h << QPointF(run.angles[a], run.h[a]);
    mi << QPointF(run.angles[a], run.mi[a]);
  }
  run.probability->replace(p);
  run.entropy->replace(h);
  run.mutualInformation->replace(mi);
  fitAxes();
}

void CompareRotationView::fitAxes() {
  const int ticks = style().ticks(6);
  for (int c = 0; c < 2; ++c) setNiceTicks(m_xAxes[c], 0.0, 180.0, ticks);
  m_yAxes[0]->setRange(0.0, 1.0);
  double hi = 0.5;
  for (const Run& run : m_runs)
    for (double v : run.h) hi = std::max(hi, v);
  setStickyRange(m_yAxes[1], 0.0, hi * 1.05, ticks);
}

const QLineSeries* CompareRotationView::probabilitySeries(int index) const {
  if (index < 0 || index >= runCount()) return nullptr;
  return m_runs[static_cast<size_t>(index)].probability;
}

std::vector<CsvTable> CompareRotationView::csvTables() const {
  QString text = "run,angle,p_true_class,entropy,mutual_information\n";
  for (const Run& run : m_runs)
    for (size_t a = 0; a < run.angles.size(); ++a)
      text += QString("%1,%2,%3,%4,%5\n")
                  .arg(run.name)
                  .arg(run.angles[a])
                  .arg(run.p[a], 0, 'g', 8)
                  .arg(run.h[a], 0, 'g', 8)
                  .arg(run.mi[a], 0, 'g', 8);
  return {CsvTable{QString(), text}};
}

QList<QChartView*> CompareRotationView::chartViews() const { return {m_views[0], m_views[1]}; }

}  // namespace bayeslab::ui
