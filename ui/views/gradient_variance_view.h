#pragma once
// How noisy is each gradient estimator of the ELBO? At the current posterior
// and one fixed minibatch, the variance of dD/dmu and dD/dsigma (mean over the
// parameters) for reparameterisation, local reparameterisation, Flipout and
// the score function, side by side on a log axis (left), the same per layer
// (right), the time per estimate over each estimator's bars, a table of the
// numbers and a one-line reading.
//
// The view only shows measurements; GradientVarianceService makes them on a
// background thread when the Measure button asks (or on its auto-refresh clock).
#include <QString>
#include <vector>

#include "ui/training/gradient_variance_service.h"
#include "ui/views/chart_panel.h"

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QBarSeries;
class QCheckBox;
class QComboBox;
class QGraphicsSimpleTextItem;
class QLabel;
class QLogValueAxis;
class QPushButton;
class QSpinBox;
class QTableWidget;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PlotNote;

class GradientVarianceView : public ChartPanel {
  Q_OBJECT

 public:
  explicit GradientVarianceView(QWidget* parent = nullptr);

  void setFrame(GradientVarianceFramePtr frame);
  void clear();
  // A measurement is running (the button waits).
  void setBusy(bool busy);
  // The run cannot be measured (e.g. no training data).
  void setUnavailable(const QString& why);

  void setAutoRefresh(bool on);
  bool autoRefresh() const;
  int repetitions() const;

  const GradientVarianceFramePtr& frame() const { return m_frame; }
  bool hasMeasurement() const { return m_frame && !m_frame->estimators.empty(); }
  QString reading() const;
  QPushButton* measureButton() const { return m_measure; }
  // What the charts show: the estimator categories, and the bar heights of one set
  // (0: dD/dmu, 1: dD/dsigma).
  QStringList estimatorLabels() const;
  QList<double> barHeights(int set) const;
  QStringList layerLabels() const;

  std::vector<CsvTable> csvTables() const override;

 signals:
  void measureRequested();
  void autoRefreshChanged(bool on);
  void repetitionsChanged(int repetitions);

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;

 private:
  void refresh();
  void refreshLayers();
  void fillTable();
  void placeTimeLabels();

  QPushButton* m_measure = nullptr;
  QCheckBox* m_auto = nullptr;
  QSpinBox* m_repetitions = nullptr;
  QComboBox* m_layerQuantity = nullptr;
  QLabel* m_info = nullptr;
  QLabel* m_reading = nullptr;
  QTableWidget* m_table = nullptr;

  QChart* m_chart = nullptr;
  QChartView* m_view = nullptr;
  QBarSeries* m_bars = nullptr;
  QBarCategoryAxis* m_estimatorAxis = nullptr;
  QLogValueAxis* m_varianceAxis = nullptr;
  PlotNote* m_note = nullptr;
  std::vector<QGraphicsSimpleTextItem*> m_timeLabels;  // time per estimate, owned by the chart

  QChart* m_layerChart = nullptr;
  QChartView* m_layerView = nullptr;
  QBarSeries* m_layerBars = nullptr;
  QBarCategoryAxis* m_layerAxis = nullptr;
  QLogValueAxis* m_layerVarianceAxis = nullptr;

  GradientVarianceFramePtr m_frame;
  QString m_unavailable;
  bool m_busy = false;
};

}  // namespace bayeslab::ui
