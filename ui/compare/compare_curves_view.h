#pragma once
// The training curves of a comparison, one colour per run (SPEC.md section 3:
// "several runs overlaid"). Two kinds:
//   Elbo  the minibatch ELBO over the steps (each curve decimated to at most
//         500 averaged points, SeriesDecimator), y axis fitted to the steps
//         after the first 5% of the longest run (the first steps lie orders of
//         magnitude below);
//   Test  the held-out log-likelihood per point (left chart) and the RMSE or
//         accuracy (right chart) at the evaluation steps.
// Rows arrive with appendRows (cheap: the decimators only); refresh() pushes
// what changed into the series in one replace per curve, so a caller's frame
// timer decides how often Qt Charts repaints.
#include <QColor>
#include <QList>
#include <QPointF>
#include <vector>

#include "engine/training/trainer.h"
#include "ui/views/chart_panel.h"
#include "ui/views/series_decimator.h"

QT_BEGIN_NAMESPACE
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

enum class CompareCurves { Elbo, Test };

class CompareCurvesView : public ChartPanel {
  Q_OBJECT

 public:
  explicit CompareCurvesView(CompareCurves kind, QWidget* parent = nullptr);

  void setTask(Task task);
  // The legends name the runs; a window that names them elsewhere hides them.
  void setLegendVisible(bool visible);
  Task task() const { return m_task; }
  // A new curve (or pair of curves) at the end; returns its index.
  int addRun(const QString& name, const QColor& color);
  void removeRun(int index);
  void setRunName(int index, const QString& name);
  // Forgets a run's points (its trainer was reset).
  void clearRun(int index);
  void appendRows(int index, const std::vector<MetricsRow>& rows);
  // Pushes the changed curves into the charts and fits the axes.
  void refresh();

  int runCount() const { return static_cast<int>(m_runs.size()); }
  // The run's curve in chart `chart` (Elbo: 0; Test: 0 log-likelihood, 1 metric).
  const QLineSeries* series(int index, int chart = 0) const;

  std::vector<CsvTable> csvTables() const override;

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;

 private:
  struct Run {
    QString name;
    QColor color;
    QLineSeries* lines[2] = {nullptr, nullptr};
    SeriesDecimator elbo{500};
    // (step, value) at the evaluation steps, at most 1024 + 1 (DownsampledSeries).
    DownsampledSeries<QPointF> test[2]{DownsampledSeries<QPointF>(1024),
                                       DownsampledSeries<QPointF>(1024)};
    bool dirty = true;
  };
  QLineSeries* makeSeries(int chart, const QString& name, const QColor& color);
  void fitAxes();

  CompareCurves m_kind;
  Task m_task = Task::Regression;
  int m_chartCount = 1;
  bool m_legend = true;
  QChart* m_charts[2] = {nullptr, nullptr};
  QChartView* m_views[2] = {nullptr, nullptr};
  QValueAxis* m_xAxes[2] = {nullptr, nullptr};
  QValueAxis* m_yAxes[2] = {nullptr, nullptr};
  std::vector<Run> m_runs;
};

}  // namespace bayeslab::ui
