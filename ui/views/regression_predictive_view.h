#pragma once
// The posterior predictive of a 1-D regression: the training data, the
// predictive mean, a few functions drawn from the posterior, and +-1 / +-2
// standard-deviation bands for the epistemic part (the spread of the function
// draws, what the data could not pin down) and the total (epistemic plus the
// observation noise). The grid reaches 50% of the data range beyond the data on
// each side, where a good posterior's epistemic band widens. A pinned reference
// run (e.g. a long HMC run) is overlaid as dashed lines: its mean and +-2 sd
// epistemic band.
#include <optional>

#include "engine/data/dataset.h"
#include "engine/predictive/grid.h"
#include "engine/predictive/predictive.h"
#include "ui/training/pinned_reference.h"
#include "ui/views/chart_panel.h"

QT_BEGIN_NAMESPACE
class QAreaSeries;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PlotNote;

class RegressionPredictiveView : public ChartPanel {
  Q_OBJECT

 public:
  explicit RegressionPredictiveView(QWidget* parent = nullptr);

  void setTrainingData(const Dataset& train);
  void setPredictive(const Grid1D& grid, const RegressionPredictive& predictive);
  void clearPredictive();
  // Null: no overlay. Only a reference with a 1-D regression predictive is drawn.
  void setReference(PinnedReferencePtr reference);
  bool hasReference() const;
  const QLineSeries* referenceMeanSeries() const { return m_referenceMean; }

  const QLineSeries* meanSeries() const { return m_mean; }
  bool hasPredictive() const { return m_predictive.has_value(); }

  std::vector<CsvTable> csvTables() const override;

  // For the paint tool (ui/paint/paint_tool.h): the chart and its value axes.
  QChart* chart() const { return m_chart; }
  QChartView* chartView() const { return m_view; }
  QValueAxis* xAxis() const { return m_xAxis; }
  QValueAxis* yAxis() const { return m_yAxis; }

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;

 private:
  struct Band {
    QAreaSeries* area = nullptr;
    QLineSeries* upper = nullptr;
    QLineSeries* lower = nullptr;
  };
  Band makeBand(const QString& name, const QColor& fill);
  void updateAxes();

  QChart* m_chart = nullptr;
  QChartView* m_view = nullptr;
  QValueAxis* m_xAxis = nullptr;
  QValueAxis* m_yAxis = nullptr;
  Band m_total2, m_total1, m_epistemic2, m_epistemic1;
  std::vector<QLineSeries*> m_functions;
  QLineSeries* m_mean = nullptr;
  QLineSeries* m_referenceMean = nullptr;
  QLineSeries* m_referenceUpper = nullptr;
  QLineSeries* m_referenceLower = nullptr;
  PinnedReferencePtr m_reference;
  QScatterSeries* m_data = nullptr;
  PlotNote* m_note = nullptr;

  Matrix m_trainInputs, m_trainTargets;
  Grid1D m_grid;
  std::optional<RegressionPredictive> m_predictive;
};

}  // namespace bayeslab::ui
