#include "ui/compare/compare_curves_view.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/views/chart_series.h"
#include "ui/views/chart_style.h"

namespace bayeslab::ui {

namespace {
// The first steps of a run explain nothing yet: the ELBO axis fits the rest.
}  // namespace

CompareCurvesView::CompareCurvesView(CompareCurves kind, QWidget* parent)
    : ChartPanel(
          kind == CompareCurves::Elbo ? "comparison_elbo" : "comparison_test",
          kind == CompareCurves::Elbo ? tr("ELBO of every run") : tr("Test metrics of every run"),
          parent),
      m_kind(kind),
      m_chartCount(kind == CompareCurves::Elbo ? 1 : 2) {
  setToolTip(kind == CompareCurves::Elbo
                 ? tr("The minibatch ELBO of every run over the training steps, one colour per "
                      "run (long runs are drawn as averages of neighbouring steps). Higher is "
                      "better, but ELBOs of methods with different KL terms are not the same "
                      "bound: compare the test metrics too.")
                 : tr("Held-out metrics of every run at its evaluation steps: the test "
                      "log-likelihood per point (left; higher is better: it rewards honest "
                      "uncertainty) and the RMSE or accuracy of the predictive mean (right)."));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  for (int c = 0; c < m_chartCount; ++c) {
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

void CompareCurvesView::applyStyle() {
  const ChartStyle& s = style();
  for (int c = 0; c < m_chartCount; ++c) {
    s.apply(m_charts[c]);
    s.apply(m_xAxes[c], tr("training step"));
    // The test charts share one legend (the left one): the runs are the same.
    m_charts[c]->legend()->setVisible(m_legend && c == 0);
  }
  if (m_kind == CompareCurves::Elbo) {
    m_charts[0]->setTitle(tr("ELBO (minibatch)"));
    s.apply(m_yAxes[0], tr("nats"));
  } else {
    m_charts[0]->setTitle(tr("Test log-likelihood"));
    s.apply(m_yAxes[0], tr("log-lik / pt"));
    const bool regression = m_task == Task::Regression;
    m_charts[1]->setTitle(regression ? tr("Test RMSE") : tr("Test accuracy"));
    s.apply(m_yAxes[1], regression ? tr("RMSE") : tr("accuracy"));
  }
  fitAxes();
}

void CompareCurvesView::setLegendVisible(bool visible) {
  m_legend = visible;
  applyStyle();
}

void CompareCurvesView::setTask(Task task) {
  m_task = task;
  applyStyle();
}

QLineSeries* CompareCurvesView::makeSeries(int chart, const QString& name, const QColor& color) {
  QLineSeries* line = addLine(m_charts[chart], m_xAxes[chart], m_yAxes[chart], name, color, 2.0);
  if (m_kind == CompareCurves::Test) line->setPointsVisible(true);
  return line;
}

int CompareCurvesView::addRun(const QString& name, const QColor& color) {
  Run run;
  run.name = name;
  run.color = color;
  for (int c = 0; c < m_chartCount; ++c) run.lines[c] = makeSeries(c, name, color);
  m_runs.push_back(std::move(run));
  return runCount() - 1;
}

void CompareCurvesView::removeRun(int index) {
  if (index < 0 || index >= runCount()) return;
  Run& run = m_runs[static_cast<size_t>(index)];
  for (int c = 0; c < m_chartCount; ++c) {
    m_charts[c]->removeSeries(run.lines[c]);
    delete run.lines[c];
  }
  m_runs.erase(m_runs.begin() + index);
  fitAxes();
}

void CompareCurvesView::setRunName(int index, const QString& name) {
  if (index < 0 || index >= runCount()) return;
  Run& run = m_runs[static_cast<size_t>(index)];
  run.name = name;
  for (int c = 0; c < m_chartCount; ++c) run.lines[c]->setName(name);
}

void CompareCurvesView::clearRun(int index) {
  if (index < 0 || index >= runCount()) return;
  Run& run = m_runs[static_cast<size_t>(index)];
  run.elbo.clear();
  run.test[0].clear();
  run.test[1].clear();
  run.dirty = true;
}

void CompareCurvesView::appendRows(int index, const std::vector<MetricsRow>& rows) {
  if (index < 0 || index >= runCount() || rows.empty()) return;
  Run& run = m_runs[static_cast<size_t>(index)];
  for (const MetricsRow& row : rows) {
    const double step = static_cast<double>(row.step);
    if (m_kind == CompareCurves::Elbo) {
      run.elbo.append(step, row.elbo);
    } else if (row.evaluated()) {
      run.test[0].push(QPointF(step, row.testLogLikelihood));
      const double metric = m_task == Task::Regression ? row.testRmse : row.testAccuracy;
      if (std::isfinite(metric)) run.test[1].push(QPointF(step, metric));
    }
  }
  run.dirty = true;
}

void CompareCurvesView::refresh() {
  bool changed = false;
  for (Run& run : m_runs) {
    if (!run.dirty) continue;
    run.dirty = false;
    changed = true;
    if (m_kind == CompareCurves::Elbo) {
      run.lines[0]->replace(run.elbo.points());
    } else {
      for (int c = 0; c < 2; ++c)
        run.lines[c]->replace(
            QList<QPointF>(run.test[c].items().begin(), run.test[c].items().end()));
    }
  }
  if (changed) fitAxes();
}

void CompareCurvesView::fitAxes() {
  for (int c = 0; c < m_chartCount; ++c) {
    double maxStep = 0.0;
    for (const Run& run : m_runs) {
      const QList<QPointF> points = run.lines[c]->points();
      if (!points.isEmpty()) maxStep = std::max(maxStep, points.back().x());
    }
    // Log-likelihoods too start orders of magnitude below where they settle.
    const bool skip = m_kind == CompareCurves::Elbo || c == 0;
    const double from = skip ? kSkipEarlyFraction * maxStep : 0.0;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const Run& run : m_runs)
      for (const QPointF& p : run.lines[c]->points())
        if (p.x() >= from && std::isfinite(p.y())) {
          lo = std::min(lo, p.y());
          hi = std::max(hi, p.y());
        }
    const int ticks = style().ticks(6);
    setNiceTicks(m_xAxes[c], 0.0, std::max(10.0, maxStep), ticks);
    if (!(lo <= hi)) {
      setNiceRange(m_yAxes[c], 0.0, 1.0, ticks);
    } else {
      const double pad = std::max(1e-9, 0.05 * (hi - lo));
      setStickyRange(m_yAxes[c], lo - pad, hi + pad, ticks);
    }
  }
}

const QLineSeries* CompareCurvesView::series(int index, int chart) const {
  if (index < 0 || index >= runCount() || chart < 0 || chart >= m_chartCount) return nullptr;
  return m_runs[static_cast<size_t>(index)].lines[chart];
}

std::vector<CsvTable> CompareCurvesView::csvTables() const {
  QString text;
  if (m_kind == CompareCurves::Elbo) {
    text = "run,step,elbo\n";
    for (const Run& run : m_runs)
      for (const QPointF& p : run.elbo.points())
        text += QString("%1,%2,%3\n").arg(run.name).arg(p.x(), 0, 'g', 10).arg(p.y(), 0, 'g', 8);
  } else {
    text = QString("run,step,test_log_likelihood,%1\n")
               .arg(m_task == Task::Regression ? "test_rmse" : "test_accuracy");
    for (const Run& run : m_runs)
      for (size_t i = 0; i < run.test[0].size(); ++i) {
        const QPointF& p = run.test[0].items()[i];
        const QString metric = i < run.test[1].size()
                                   ? QString::number(run.test[1].items()[i].y(), 'g', 8)
                                   : QString();
        text += QString("%1,%2,%3,%4\n")
                    .arg(run.name)
                    .arg(p.x(), 0, 'g', 10)
                    .arg(p.y(), 0, 'g', 8)
                    .arg(metric);
      }
  }
  return {CsvTable{QString(), text}};
}

QList<QChartView*> CompareCurvesView::chartViews() const {
  QList<QChartView*> views;
  for (int c = 0; c < m_chartCount; ++c) views << m_views[c];
  return views;
}

}  // namespace bayeslab::ui
