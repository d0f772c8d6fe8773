#pragma once
// The cost of being Bayesian: what each method costs against what it buys. Two
// scatters of quality against cost, the test log-likelihood against the time
// per training step (left) and against the learned parameters (right), one
// labelled point per method, on log axes when the values span more than a
// decade and a half; below them a table of the numbers: parameters beside the
// lecture's formula, the memory training keeps, time per step and per
// predictive sample, the test log-likelihood and RMSE or accuracy, and why a
// method could not run. When the tab is short the charts keep a readable height
// and the view scrolls.
//
// The view only shows measurements; CostService makes them on its own thread
// when Measure is pressed, for the budget (training steps per method) chosen
// here, with a progress bar and Cancel.
#include <QString>
#include <vector>

#include "ui/training/cost_service.h"
#include "ui/views/chart_panel.h"

QT_BEGIN_NAMESPACE
class QGraphicsLineItem;
class QGraphicsSimpleTextItem;
class QLabel;
class QLogValueAxis;
class QScatterSeries;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QScrollArea;
class QTableWidget;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PlotNote;

class CostView : public ChartPanel {
  Q_OBJECT

 public:
  explicit CostView(QWidget* parent = nullptr);

  // Shows a measurement (partial frames while measuring, then the complete one).
  // Frames of an earlier measurement than the one shown are ignored.
  void setFrame(CostFramePtr frame);
  void clear();
  void setBusy(bool busy);
  void setProgress(double fraction, const QString& text);
  // The run cannot be measured (why), or empty.
  void setUnavailable(const QString& why);
  // The session's steps: what the budget's "session" setting means.
  void setSessionSteps(Index steps);
  // The table below the charts (hidden for an offscreen figure: the charts take its room).
  void setTableShown(bool shown);

  // Training steps per method; 0: the session's steps, capped (CostOptions::steps).
  Index budget() const;
  void setBudget(Index steps);

  const CostFramePtr& frame() const { return m_frame; }
  bool hasMeasurement() const;
  bool isBusy() const { return m_busy; }
  QPushButton* measureButton() const { return m_measure; }
  QPushButton* cancelButton() const { return m_cancel; }
  QTableWidget* table() const { return m_table; }
  // The method labels drawn on scatter `chart` (0: time, 1: parameters), and whether
  // its horizontal axis is logarithmic.
  QStringList pointLabels(int chart) const;
  bool logarithmicX(int chart) const;

  std::vector<CsvTable> csvTables() const override;

 signals:
  void measureRequested();
  void cancelRequested();

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;
  void resizeEvent(QResizeEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  // One scatter. Its axes and series are made once and reused (a chart relayout after
  // new axes or series costs the UI thread more than the data).
  struct Scatter {
    QChart* chart = nullptr;
    QChartView* view = nullptr;
    QLogValueAxis* logX = nullptr;  // one of the two is attached
    QValueAxis* linearX = nullptr;
    QValueAxis* y = nullptr;
    PlotNote* note = nullptr;
    bool logarithmic = false;
    bool updating = false;  // points and series disagree until refreshScatter ends
    struct Point {
      QString label;
      double x = 0.0, y = 0.0;
      bool clipped = false;  // below the axis: drawn at its floor
    };
    std::vector<Point> points;
    std::vector<QScatterSeries*> series;  // one per point (more are hidden), owned by the chart
    std::vector<QString> tips;            // hover text of each series
    std::vector<QGraphicsSimpleTextItem*> labels;  // owned by the chart
    std::vector<QGraphicsLineItem*> leaders;
  };

  void refresh();
  void refreshScatter(Scatter& s, bool time);
  void placeLabels(Scatter& s);
  void fillTable();
  void fitTableHeight();
  void elideInfo();
  void updateInfo();

  QPushButton* m_measure = nullptr;
  QPushButton* m_cancel = nullptr;
  QSpinBox* m_budget = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_info = nullptr;
  QScrollArea* m_scroll = nullptr;
  QTableWidget* m_table = nullptr;
  Scatter m_time, m_parameters;

  CostFramePtr m_frame;
  QString m_unavailable;
  QString m_progressText;
  QString m_infoText;  // m_info shows it elided to its width
  bool m_busy = false;
};

}  // namespace bayeslab::ui
