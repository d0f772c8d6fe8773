#pragma once
// Small multiples of the posterior predictive, one per run of a comparison, in
// a grid (2 runs side by side, 3-4 as 2 x 2, 5-6 as 3 x 2): the regression
// bands or the classification heatmaps of RegressionPredictiveView and
// ClassificationPredictiveView, each titled with its run's method and prior in
// the run's colour. Exported as one figure (every cell's chart at its place).
// Data without a drawable predictive (images, more than 2 inputs) has no cells:
// the grid then says so.
#include <QColor>
#include <vector>

#include "engine/data/dataset.h"
#include "ui/training/predictive_frame.h"
#include "ui/views/chart_panel.h"

QT_BEGIN_NAMESPACE
class QGridLayout;
class QLabel;
QT_END_NAMESPACE

namespace bayeslab::ui {

class ClassificationPredictiveView;
class RegressionPredictiveView;

class ComparePredictiveGrid : public ChartPanel {
  Q_OBJECT

 public:
  explicit ComparePredictiveGrid(QWidget* parent = nullptr);

  // Whether the data has a predictive picture (1-D regression, 2-D classification).
  static bool drawable(const Dataset& train);

  // A new cell at the end for a run on `train`; returns its index.
  int addRun(const QString& title, const QColor& color, const Dataset& train);
  void removeRun(int index);
  void setRunTitle(int index, const QString& title);
  // A new run (reset) on possibly new data: the cell's picture is cleared.
  void setTrainingData(int index, const Dataset& train);
  // The newest predictive of run `index` (frames without a grid are ignored).
  void setFrame(int index, const PredictiveFramePtr& frame);

  int runCount() const { return static_cast<int>(m_cells.size()); }
  // The cell's view (a RegressionPredictiveView or ClassificationPredictiveView), or null.
  ChartPanel* cellView(int index) const;
  bool cellHasPredictive(int index) const;

  std::vector<CsvTable> csvTables() const override;

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;

 private:
  struct Cell {
    QString title;
    QColor color;
    ChartPanel* view = nullptr;
    RegressionPredictiveView* regression = nullptr;
    ClassificationPredictiveView* classification = nullptr;
  };
  void buildView(Cell& cell, const Dataset& train);
  void applyTitle(Cell& cell);
  void relayout();

  QGridLayout* m_grid = nullptr;
  QLabel* m_empty = nullptr;
  std::vector<Cell> m_cells;
};

}  // namespace bayeslab::ui
