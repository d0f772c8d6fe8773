#pragma once
// The posterior predictive of a 2-D classification as a heatmap under the
// training points, with the decision boundary.
//
// Three quantities can be shown (SPEC.md section 3): the class probability
// (two classes: p(class 1) on a diverging map, white where the classifier is
// unsure; K classes: the class colours mixed by probability), the predictive
// entropy (total uncertainty) and the mutual information between the label
// and the weights (the epistemic part, the BALD score).
//
// Qt Charts has no heatmap: the image is a pixmap item inside the chart's own
// scene, kept on the plot area (plotAreaChanged), between the grid and the
// series, so exporting the chart exports the heatmap with it.
#include <QImage>
#include <QPainterPath>
#include <optional>

#include "engine/data/dataset.h"
#include "engine/predictive/grid.h"
#include "engine/predictive/predictive.h"
#include "ui/views/chart_panel.h"

QT_BEGIN_NAMESPACE
class QColorAxis;
class QComboBox;
class QGraphicsPathItem;
class QGraphicsPixmapItem;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PlotNote;

enum class ClassificationQuantity { Probability, Entropy, MutualInformation };

class ClassificationPredictiveView : public ChartPanel {
  Q_OBJECT

 public:
  explicit ClassificationPredictiveView(QWidget* parent = nullptr);

  void setTrainingData(const Dataset& train);
  void setPredictive(const Grid2D& grid, const ClassificationPredictive& predictive);
  void clearPredictive();

  void setQuantity(ClassificationQuantity quantity);
  ClassificationQuantity quantity() const { return m_quantity; }

  const QImage& heatmap() const { return m_image; }
  const QPainterPath& boundary() const { return m_gridBoundary; }
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
  void renderImage();
  void updateAxes();
  void placeItems();
  void updateTitles();

  QComboBox* m_quantityBox = nullptr;
  QChart* m_chart = nullptr;
  QChartView* m_view = nullptr;
  QValueAxis* m_xAxis = nullptr;
  QValueAxis* m_yAxis = nullptr;
  QColorAxis* m_colorAxis = nullptr;
  QGraphicsPixmapItem* m_heatmapItem = nullptr;
  QGraphicsPathItem* m_boundaryItem = nullptr;
  QLineSeries* m_boundaryLegend = nullptr;
  std::vector<QScatterSeries*> m_classSeries;
  PlotNote* m_note = nullptr;

  ClassificationQuantity m_quantity = ClassificationQuantity::Probability;
  Matrix m_trainInputs;
  IndexVector m_trainLabels;
  int m_classes = 0;
  Grid2D m_grid;
  std::optional<ClassificationPredictive> m_predictive;
  QImage m_image;
  QPainterPath m_gridBoundary;  // grid coordinates
  double m_colorMin = 0.0, m_colorMax = 1.0;
};

}  // namespace bayeslab::ui
