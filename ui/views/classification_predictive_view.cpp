#include "ui/views/classification_predictive_view.h"

#include <QChart>
#include <QChartView>
#include <QColorAxis>
#include <QComboBox>
#include <QGraphicsPathItem>
#include <QGraphicsPixmapItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTextStream>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "ui/views/color_map.h"
#include "ui/views/decision_boundary.h"
#include "ui/views/plot_note.h"

namespace bayeslab::ui {

namespace {

// Stacking inside the chart: plot area 0, grid 2, axes 3, series 4 (Qt Charts).
constexpr double kHeatmapZ = 2.5;
constexpr double kBoundaryZ = 3.5;
const QColor kBoundaryColor(20, 20, 20);

QColor lighter(const QColor& c, double towardsWhite) {
  return QColor::fromRgbF(c.redF() + (1 - c.redF()) * towardsWhite,
                          c.greenF() + (1 - c.greenF()) * towardsWhite,
                          c.blueF() + (1 - c.blueF()) * towardsWhite);
}

}  // namespace

ClassificationPredictiveView::ClassificationPredictiveView(QWidget* parent)
    : ChartPanel("predictive", tr("Posterior predictive"), parent) {
  m_quantityBox = new QComboBox(this);
  m_quantityBox->addItem(tr("Class probability"));
  m_quantityBox->setItemData(0, tr("The MC-averaged predictive probability of each class."),
                             Qt::ToolTipRole);
  m_quantityBox->addItem(tr("Predictive entropy (total uncertainty)"));
  m_quantityBox->setItemData(
      1, tr("H[p(y | x)]: high where the averaged prediction is unsure, for any reason."),
      Qt::ToolTipRole);
  m_quantityBox->addItem(tr("Mutual information (epistemic)"));
  m_quantityBox->setItemData(
      2,
      tr("I[y; w | x] = H[p] \u2212 E_w H[p(y | x, w)]: high where the posterior's functions "
         "disagree, i.e. uncertainty that more data would remove (the BALD score)."),
      Qt::ToolTipRole);
  m_quantityBox->setToolTip(tr("Which quantity the heatmap shows."));
  connect(m_quantityBox, &QComboBox::currentIndexChanged, this,
          [this](int index) { setQuantity(static_cast<ClassificationQuantity>(index)); });

  m_chart = new QChart;
  m_xAxis = new QValueAxis;
  m_yAxis = new QValueAxis;
  m_chart->addAxis(m_xAxis, Qt::AlignBottom);
  m_chart->addAxis(m_yAxis, Qt::AlignLeft);
  m_colorAxis = new QColorAxis;
  m_colorAxis->setAutoRange(false);
  m_colorAxis->setSize(14);
  m_chart->addAxis(m_colorAxis, Qt::AlignRight);

  m_boundaryLegend = new QLineSeries;
  m_boundaryLegend->setName(tr("decision boundary"));
  QPen boundaryPen(kBoundaryColor, 2.0);
  m_boundaryLegend->setPen(boundaryPen);
  m_chart->addSeries(m_boundaryLegend);
  m_boundaryLegend->attachAxis(m_xAxis);
  m_boundaryLegend->attachAxis(m_yAxis);
  m_boundaryLegend->attachAxis(m_colorAxis);

  m_heatmapItem = new QGraphicsPixmapItem(m_chart);
  m_heatmapItem->setZValue(kHeatmapZ);
  m_heatmapItem->setTransformationMode(Qt::SmoothTransformation);
  m_heatmapItem->setShapeMode(QGraphicsPixmapItem::BoundingRectShape);
  m_boundaryItem = new QGraphicsPathItem(m_chart);
  m_boundaryItem->setZValue(kBoundaryZ);
  m_boundaryItem->setPen(boundaryPen);
  connect(m_chart, &QChart::plotAreaChanged, this, &ClassificationPredictiveView::placeItems);

  m_note = new PlotNote(m_chart);
  m_view = makeChartView(m_chart);

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 0);
  auto* label = new QLabel(tr("Show:"), this);
  label->setBuddy(m_quantityBox);
  bar->addWidget(label);
  bar->addWidget(m_quantityBox);
  bar->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  layout->addWidget(m_view, 1);
  applyStyle();
  clearPredictive();
}

void ClassificationPredictiveView::applyStyle() {
  const ChartStyle& s = style();
  s.apply(m_chart);
  s.apply(m_xAxis, tr("x\u2080"));
  s.apply(m_yAxis, tr("x\u2081"));
  m_xAxis->setGridLineVisible(false);
  m_yAxis->setGridLineVisible(false);
  m_note->setFont(s.axisTitleFont());
  QFont font = m_quantityBox->font();
  font.setPointSizeF(9.0 * s.fontScale);
  m_quantityBox->setFont(font);
  updateTitles();
  updateAxes();
}

void ClassificationPredictiveView::setTrainingData(const Dataset& train) {
  m_trainInputs = train.inputs;
  m_trainLabels = train.labels;
  m_classes = train.classes;
  for (QScatterSeries* s : m_classSeries) {
    m_chart->removeSeries(s);
    delete s;
  }
  m_classSeries.clear();
  if (train.inputDim() != 2) return;
  std::vector<QList<QPointF>> points(static_cast<size_t>(std::max(0, m_classes)));
  for (Index i = 0; i < train.size(); ++i) {
    const int k = train.labels(i);
    if (k >= 0 && k < m_classes)
      points[static_cast<size_t>(k)].append(QPointF(train.inputs(0, i), train.inputs(1, i)));
  }
  for (int k = 0; k < m_classes; ++k) {
    auto* s = new QScatterSeries;
    s->setName(tr("class %1").arg(k));
    s->setMarkerSize(7.0);
    s->setColor(palette::classColor(k, m_classes));
    s->setBorderColor(Qt::white);
    s->replace(points[static_cast<size_t>(k)]);
    m_chart->addSeries(s);
    s->attachAxis(m_xAxis);
    s->attachAxis(m_yAxis);
    m_classSeries.push_back(s);
  }
  if (!m_predictive) {
    const InputBounds b = inputBounds(train);
    setNiceRange(m_xAxis, b.lower(0), b.upper(0));
    setNiceRange(m_yAxis, b.lower(1), b.upper(1));
  }
  applyStyle();
}

void ClassificationPredictiveView::setPredictive(const Grid2D& grid,
                                                 const ClassificationPredictive& predictive) {
  m_grid = grid;
  m_predictive = predictive;
  updateAxes();
  m_gridBoundary = decisionBoundary(predictive.probabilities, grid.rows, grid.columns);
  m_note->setText(QString());
  renderImage();
}

void ClassificationPredictiveView::updateAxes() {
  if (!m_predictive) return;
  // The axes cover whole cells: the grid points are the cell centres.
  const Grid2D& g = m_grid;
  const double dx = (g.x0Upper - g.x0Lower) / std::max(1, g.columns - 1);
  const double dy = (g.x1Upper - g.x1Lower) / std::max(1, g.rows - 1);
  setNiceTicks(m_xAxis, g.x0Lower - dx / 2, g.x0Upper + dx / 2, style().ticks(7));
  setNiceTicks(m_yAxis, g.x1Lower - dy / 2, g.x1Upper + dy / 2, style().ticks(7));
}

void ClassificationPredictiveView::clearPredictive() {
  m_predictive.reset();
  m_image = QImage();
  m_gridBoundary = QPainterPath();
  m_heatmapItem->setPixmap(QPixmap());
  m_boundaryItem->setPath(QPainterPath());
  m_note->setText(tr("computing the predictive\u2026"));
}

void ClassificationPredictiveView::setQuantity(ClassificationQuantity quantity) {
  m_quantity = quantity;
  if (m_quantityBox->currentIndex() != static_cast<int>(quantity)) {
    const QSignalBlocker block(m_quantityBox);
    m_quantityBox->setCurrentIndex(static_cast<int>(quantity));
  }
  renderImage();
}

void ClassificationPredictiveView::renderImage() {
  updateTitles();
  if (!m_predictive) return;
  const ClassificationPredictive& p = *m_predictive;
  const int rows = m_grid.rows, cols = m_grid.columns;
  const Index K = p.probabilities.rows();
  QImage image(cols, rows, QImage::Format_RGB32);
  const double logK = std::log(static_cast<double>(std::max<Index>(2, K)));
  m_colorMin = 0.0;
  m_colorMax = 1.0;
  if (m_quantity == ClassificationQuantity::Entropy) {
    m_colorMax = logK;
  } else if (m_quantity == ClassificationQuantity::MutualInformation) {
    // Mutual information is usually far below log K: scale to what is there.
    m_colorMax = std::max(1e-3, static_cast<double>(p.mutualInformation.maxCoeff()));
  }
  const ColorMap diverging = ColorMap::diverging();
  const ColorMap sequential = ColorMap::sequential();
  std::vector<QColor> classColors;
  for (Index k = 0; k < K; ++k)
    classColors.push_back(
        lighter(palette::classColor(static_cast<int>(k), static_cast<int>(K)), 0.45));
  for (int r = 0; r < rows; ++r) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(rows - 1 - r));  // row 0 is the bottom
    for (int c = 0; c < cols; ++c) {
      const Index i = static_cast<Index>(r) * cols + c;
      switch (m_quantity) {
        case ClassificationQuantity::Probability:
          if (K == 2) {
            line[c] = diverging.at(p.probabilities(1, i));
          } else {
            double red = 0, green = 0, blue = 0;
            for (Index k = 0; k < K; ++k) {
              const double w = p.probabilities(k, i);
              red += w * classColors[static_cast<size_t>(k)].redF();
              green += w * classColors[static_cast<size_t>(k)].greenF();
              blue += w * classColors[static_cast<size_t>(k)].blueF();
            }
            line[c] = QColor::fromRgbF(std::clamp(red, 0.0, 1.0), std::clamp(green, 0.0, 1.0),
                                       std::clamp(blue, 0.0, 1.0))
                          .rgb();
          }
          break;
        case ClassificationQuantity::Entropy:
          line[c] = sequential.at(p.entropy(i) / m_colorMax);
          break;
        case ClassificationQuantity::MutualInformation:
          line[c] = sequential.at(p.mutualInformation(i) / m_colorMax);
          break;
      }
    }
  }
  m_image = image;
  m_heatmapItem->setPixmap(QPixmap::fromImage(m_image));

  const bool bar = m_quantity != ClassificationQuantity::Probability || K == 2;
  m_colorAxis->setVisible(bar);
  if (bar) {
    const ColorMap& map =
        m_quantity == ClassificationQuantity::Probability ? diverging : sequential;
    m_colorAxis->setGradient(map.gradient(QPointF(0, 1), QPointF(0, 0)));
    m_colorAxis->setRange(m_colorMin, m_colorMax);
    m_colorAxis->setTickCount(5);
  }
  updateTitles();
  placeItems();
}

void ClassificationPredictiveView::updateTitles() {
  const ChartStyle& s = style();
  QString title, bar;
  switch (m_quantity) {
    case ClassificationQuantity::Probability:
      title = m_classes == 2 ? tr("Predictive probability of class 1")
                             : tr("Predictive class probabilities (colours mixed)");
      bar = tr("p(class 1 | x)");
      break;
    case ClassificationQuantity::Entropy:
      title = tr("Predictive entropy (total uncertainty)");
      bar = tr("entropy (nats)");
      break;
    case ClassificationQuantity::MutualInformation:
      title = tr("Mutual information (epistemic uncertainty)");
      bar = tr("mutual information (nats)");
      break;
  }
  m_chart->setTitle(title);
  s.apply(m_colorAxis, bar);
}

void ClassificationPredictiveView::placeItems() {
  const QRectF area = m_chart->plotArea();
  if (m_image.isNull() || area.isEmpty()) {
    m_boundaryItem->setPath(QPainterPath());
    return;
  }
  const double cw = area.width() / m_image.width(), ch = area.height() / m_image.height();
  m_heatmapItem->setPos(area.topLeft());
  m_heatmapItem->setTransform(QTransform::fromScale(cw, ch));
  // Grid coordinates (column, row) to the chart: row 0 at the bottom, centres of cells.
  const QTransform toChart(cw, 0, 0, -ch, area.left() + 0.5 * cw, area.bottom() - 0.5 * ch);
  m_boundaryItem->setPath(toChart.map(m_gridBoundary));
}

std::vector<CsvTable> ClassificationPredictiveView::csvTables() const {
  std::vector<CsvTable> tables;
  if (m_predictive) {
    const ClassificationPredictive& p = *m_predictive;
    QString text;
    QTextStream out(&text);
    out.setRealNumberPrecision(8);
    out << "x0,x1";
    for (Index k = 0; k < p.probabilities.rows(); ++k) out << ",p" << k;
    out << ",entropy,mutual_information\n";
    for (Index i = 0; i < m_grid.points.cols(); ++i) {
      out << m_grid.points(0, i) << "," << m_grid.points(1, i);
      for (Index k = 0; k < p.probabilities.rows(); ++k) out << "," << p.probabilities(k, i);
      out << "," << p.entropy(i) << "," << p.mutualInformation(i) << "\n";
    }
    tables.push_back({QString(), text});
  }
  if (m_trainInputs.cols() > 0) {
    QString text;
    QTextStream out(&text);
    out.setRealNumberPrecision(8);
    out << "x0,x1,y\n";
    for (Index i = 0; i < m_trainInputs.cols(); ++i)
      out << m_trainInputs(0, i) << "," << m_trainInputs(1, i) << "," << m_trainLabels(i) << "\n";
    tables.push_back({QStringLiteral("data"), text});
  }
  return tables;
}

QList<QChartView*> ClassificationPredictiveView::chartViews() const {
  return {m_view};
}

}  // namespace bayeslab::ui
