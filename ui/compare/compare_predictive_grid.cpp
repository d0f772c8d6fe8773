#include "ui/compare/compare_predictive_grid.h"

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLabel>
#include <QLegend>
#include <cmath>

#include "ui/views/classification_predictive_view.h"
#include "ui/views/regression_predictive_view.h"

namespace bayeslab::ui {

ComparePredictiveGrid::ComparePredictiveGrid(QWidget* parent)
    : ChartPanel("comparison_predictive", tr("Posterior predictive of every run"), parent) {
  setToolTip(
      tr("The posterior predictive of every run on the same data, one small chart per "
         "run titled with its method and prior: where the methods agree, and where "
         "(away from the data) their uncertainty differs."));
  m_grid = new QGridLayout(this);
  m_grid->setContentsMargins(0, 0, 0, 0);
  m_grid->setSpacing(2);
  m_empty = new QLabel(tr("No predictive picture for this data (it needs 1-D regression or "
                          "2-D classification inputs)."),
                       this);
  m_empty->setAlignment(Qt::AlignCenter);
  m_empty->setWordWrap(true);
  m_empty->hide();
}

bool ComparePredictiveGrid::drawable(const Dataset& train) {
  return (train.task == Task::Regression && train.inputDim() == 1) ||
         (train.task == Task::Classification && train.inputDim() == 2 && !train.isImage());
}

void ComparePredictiveGrid::buildView(Cell& cell, const Dataset& train) {
  delete cell.view;
  cell.view = nullptr;
  cell.regression = nullptr;
  cell.classification = nullptr;
  if (!drawable(train)) return;
  if (train.task == Task::Regression) {
    cell.regression = new RegressionPredictiveView(this);
    cell.regression->setTrainingData(train);
    cell.view = cell.regression;
  } else {
    cell.classification = new ClassificationPredictiveView(this);
    cell.classification->setTrainingData(train);
    cell.view = cell.classification;
  }
  cell.view->setMinimumSize(220, 160);
  // Small multiples: the legend would take half of each cell; the main window explains it.
  for (QChartView* view : cell.view->findChildren<QChartView*>()) view->chart()->legend()->hide();
  applyTitle(cell);
}

void ComparePredictiveGrid::applyTitle(Cell& cell) {
  if (!cell.view) return;
  for (QChartView* view : cell.view->findChildren<QChartView*>()) {
    QChart* chart = view->chart();
    if (chart->title() == cell.title && chart->titleBrush().color() == cell.color) continue;
    chart->setTitle(cell.title);
    chart->setTitleBrush(cell.color);
    QFont font = style().titleFont();  // small multiples: a smaller title fits the cell
    font.setPointSizeF(font.pointSizeF() * 0.9);
    chart->setTitleFont(font);
  }
}

int ComparePredictiveGrid::addRun(const QString& title, const QColor& color, const Dataset& train) {
  m_cells.push_back(Cell{title, color});
  buildView(m_cells.back(), train);
  relayout();
  return runCount() - 1;
}

void ComparePredictiveGrid::removeRun(int index) {
  if (index < 0 || index >= runCount()) return;
  delete m_cells[static_cast<size_t>(index)].view;
  m_cells.erase(m_cells.begin() + index);
  relayout();
}

void ComparePredictiveGrid::setRunTitle(int index, const QString& title) {
  if (index < 0 || index >= runCount()) return;
  m_cells[static_cast<size_t>(index)].title = title;
  applyTitle(m_cells[static_cast<size_t>(index)]);
}

void ComparePredictiveGrid::setTrainingData(int index, const Dataset& train) {
  if (index < 0 || index >= runCount()) return;
  buildView(m_cells[static_cast<size_t>(index)], train);
  relayout();
}

void ComparePredictiveGrid::setFrame(int index, const PredictiveFramePtr& frame) {
  if (index < 0 || index >= runCount() || !frame) return;
  Cell& cell = m_cells[static_cast<size_t>(index)];
  if (cell.regression && frame->regression && frame->regressionGrid)
    cell.regression->setPredictive(*frame->regressionGrid, *frame->regression);
  else if (cell.classification && frame->classification && frame->classificationGrid)
    cell.classification->setPredictive(*frame->classificationGrid, *frame->classification);
  else
    return;
  applyTitle(cell);  // the views retitle their charts on new data
}

ChartPanel* ComparePredictiveGrid::cellView(int index) const {
  if (index < 0 || index >= runCount()) return nullptr;
  return m_cells[static_cast<size_t>(index)].view;
}

bool ComparePredictiveGrid::cellHasPredictive(int index) const {
  if (index < 0 || index >= runCount()) return false;
  const Cell& cell = m_cells[static_cast<size_t>(index)];
  if (cell.regression) return cell.regression->hasPredictive();
  if (cell.classification) return cell.classification->hasPredictive();
  return false;
}

void ComparePredictiveGrid::relayout() {
  // takeAt() hands the layout item to the caller: delete it (the widget stays).
  while (m_grid->count() > 0) delete m_grid->takeAt(0);
  int drawn = 0;
  for (const Cell& cell : m_cells) drawn += cell.view ? 1 : 0;
  m_empty->setVisible(drawn == 0 && !m_cells.empty());
  if (drawn == 0) {
    m_grid->addWidget(m_empty, 0, 0);
    return;
  }
  const int columns = drawn <= 2 ? drawn : (drawn <= 4 ? 2 : 3);
  int k = 0;
  for (const Cell& cell : m_cells) {
    if (!cell.view) continue;
    m_grid->addWidget(cell.view, k / columns, k % columns);
    cell.view->show();
    ++k;
  }
  for (int c = 0; c < 3; ++c) m_grid->setColumnStretch(c, c < columns ? 1 : 0);
  const int rows = (drawn + columns - 1) / columns;
  for (int r = 0; r < 3; ++r) m_grid->setRowStretch(r, r < rows ? 1 : 0);
}

void ComparePredictiveGrid::applyStyle() {
  for (Cell& cell : m_cells) {
    if (cell.view) cell.view->setPresentationMode(style().fontScale > 1.0);
    applyTitle(cell);
  }
}

std::vector<CsvTable> ComparePredictiveGrid::csvTables() const {
  // Each cell's own table, tagged with its run: "<suffix>" = run k's file.
  std::vector<CsvTable> tables;
  for (size_t k = 0; k < m_cells.size(); ++k) {
    if (!m_cells[k].view) continue;
    for (const CsvTable& t : m_cells[k].view->csvTables()) {
      const QString suffix =
          QString("run%1%2").arg(k + 1).arg(t.suffix.isEmpty() ? "" : "_" + t.suffix);
      tables.push_back(CsvTable{suffix, t.text});
    }
  }
  return tables;
}

QList<QChartView*> ComparePredictiveGrid::chartViews() const {
  QList<QChartView*> views;
  for (const Cell& cell : m_cells)
    if (cell.view) views << cell.view->findChildren<QChartView*>();
  return views;
}

}  // namespace bayeslab::ui
