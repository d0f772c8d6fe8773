#pragma once
// The training curves: ELBO, expected log-likelihood and the KL term over the
// steps (top), and the held-out metrics (bottom: test log-likelihood on the
// left axis, RMSE or accuracy on the right).
//
// The rows kept for the CSV export are a MetricsHistory (engine/training/
// metrics_history.h): every row of a run of up to 4096 steps, of a longer one an
// even spacing with the first, the latest and every evaluated row, so an
// overnight run keeps a flat resident size.
//
// The KL series is named by the method's descriptor (klLabel), so a MAP run
// says "-log p(w)" and a variational one "KL(q || p)". Long runs are drawn
// from at most ~1200 averaged points per series (SeriesDecimator).
//
// Method quantities (the MetricsRow extras: a learned prior scale, the KL
// weight under warm-up, a control-variate baseline, ...) get a small third
// chart beside the test metrics, one chosen extra at a time, shown only when
// the run has any; the view knows them by the names the engine gives, never by
// method. Sequential learning's part boundaries are marked in the objective chart.
//
// Two extras are drawn in the objective chart itself: a method that reports
// "elbo_lower" and "elbo_upper" (semi-implicit VI's K-sample bounds, Molchanov et
// al. 2019) gets both as curves, the sandwich L_K <= ELBO <= L^K, in place of the
// ELBO curve they enclose. When the session has an exact log evidence (Bayesian
// linear regression) it is drawn as a dashed level: every ELBO lies below it.
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "engine/training/trainer.h"
#include "ui/views/chart_panel.h"
#include "ui/views/series_decimator.h"

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PlotNote;

class ElboView : public ChartPanel {
  Q_OBJECT

 public:
  explicit ElboView(QWidget* parent = nullptr);

  // A new run: names the series after the method and clears the curves.
  void setRun(const MethodDescriptor& method, Task task, Index totalSteps);
  void clear();
  void appendRows(const std::vector<MetricsRow>& rows);
  void setHistory(const std::vector<MetricsRow>& rows);
  // Steps after which a new data part begins (sequential learning); empty: none.
  void setPartBoundaries(const std::vector<Index>& steps);
  // Marks a step whose loss, gradient or parameters went non-finite (a red
  // dashed line, "diverged" in the legend); clear() removes the marks.
  void markDivergence(Index step);
  const std::vector<Index>& divergenceSteps() const { return m_divergenceMarks.steps; }
  // The exact log evidence log p(D) of the session, drawn as a level; NaN: none.
  void setLogEvidence(double logEvidence);
  double logEvidence() const { return m_logEvidence; }
  // True while the run reports the K-sample bounds (elbo_lower, elbo_upper).
  bool showsBounds() const { return m_hasBounds; }
  const QLineSeries* lowerBoundSeries() const { return m_lowerBound; }
  const QLineSeries* upperBoundSeries() const { return m_upperBound; }

  // The extras seen so far, in the order the engine reports them.
  QStringList extraNames() const;
  QString shownExtra() const;
  void showExtra(const QString& name);
  const QLineSeries* extraSeries() const { return m_extra; }
  // "latest: 12.3 (step 400)" for the shown extra: its newest finite value.
  QString extraValueText() const;
  int partBoundaryCount() const;

  // Rows held for the CSV export (bounded; see MetricsHistory) and rows seen.
  qsizetype rowCount() const { return static_cast<qsizetype>(m_rows.rows().size()); }
  qint64 rowsSeen() const { return static_cast<qint64>(m_rows.pushed()); }
  const QLineSeries* elboSeries() const { return m_elbo; }
  const QLineSeries* testLogLikelihoodSeries() const { return m_testLogLikelihood; }

  std::vector<CsvTable> csvTables() const override;

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;

 private:
  void refresh();
  // A short test chart (small windows) drops its legend for plot height: its two
  // y axes are coloured like their series, so the legend is not needed to read it.
  void fitTestChart();
  void updateObjectiveAxes();
  void updateTestAxes();
  void refreshExtras();
  // Vertical dashed lines across the objective chart at some steps, one legend
  // entry for all of them: where a new data part begins, where a run diverged.
  struct StepMarks {
    QString label;
    QColor color;
    double width = 1.0;
    std::vector<Index> steps;
    std::vector<QLineSeries*> lines;  // grown on demand, the spare ones hidden
  };
  void setMarkedSteps(StepMarks& marks, std::vector<Index> steps);
  // Places every mark of both kinds across the value axis's current range.
  void updateStepMarks();
  void updateEvidence();

  QCheckBox* m_zoomBox = nullptr;
  QChart* m_objectiveChart = nullptr;
  QChartView* m_objectiveView = nullptr;
  QLineSeries* m_elbo = nullptr;
  QLineSeries* m_logLikelihood = nullptr;
  QLineSeries* m_kl = nullptr;
  QLineSeries* m_lowerBound = nullptr;
  QLineSeries* m_upperBound = nullptr;
  QLineSeries* m_evidence = nullptr;
  QValueAxis* m_stepAxis = nullptr;
  QValueAxis* m_valueAxis = nullptr;
  PlotNote* m_objectiveNote = nullptr;

  QChart* m_testChart = nullptr;
  QChartView* m_testView = nullptr;
  QLineSeries* m_testLogLikelihood = nullptr;
  QLineSeries* m_testMetric = nullptr;
  QValueAxis* m_testStepAxis = nullptr;
  QValueAxis* m_testLogLikelihoodAxis = nullptr;
  QValueAxis* m_testMetricAxis = nullptr;

  QComboBox* m_extraBox = nullptr;
  QLabel* m_extraLabel = nullptr;
  QLabel* m_extraValue = nullptr;
  QChart* m_extraChart = nullptr;
  QChartView* m_extraView = nullptr;
  QLineSeries* m_extra = nullptr;
  QValueAxis* m_extraStepAxis = nullptr;
  QValueAxis* m_extraValueAxis = nullptr;
  std::vector<std::string> m_extraNames;
  std::map<std::string, SeriesDecimator> m_extraPoints;
  std::map<std::string, std::pair<Index, double>> m_extraLatest;  // step, value
  double m_logEvidence = std::numeric_limits<double>::quiet_NaN();
  bool m_hasBounds = false;
  StepMarks m_partMarks;
  StepMarks m_divergenceMarks;

  // 250..500 points per curve, each the mean of its stretch of steps: smooth at
  // any chart width. When the value axis moves, Qt Charts re-strokes every
  // curve (QPainterPathStroker, per point): with 1,200 points that took up to
  // 14 ms of a frame, with 500 under 7.
  static constexpr int kMaxPoints = 500;
  SeriesDecimator m_elboPoints{kMaxPoints}, m_logLikelihoodPoints{kMaxPoints},
      m_klPoints{kMaxPoints}, m_lowerBoundPoints{kMaxPoints}, m_upperBoundPoints{kMaxPoints};
  SeriesDecimator m_testLogLikelihoodPoints, m_testMetricPoints;
  MetricsHistory m_rows;
  Task m_task = Task::Regression;
  Index m_totalSteps = 0;
};

}  // namespace bayeslab::ui
