#pragma once
// The "Network" tab: the MLP drawn as layers of nodes with one edge per weight,
// coloured by the weight's posterior mean and drawn thinner and fainter the
// larger its standard deviation (the spread of the samples for sampling methods
// and ensembles); nodes are filled by their bias mean. Large layers show only
// their strongest edges and a compact column (network_diagram.h says exactly
// how). Hovering a node or an edge tells its layer, indices, mean and std.
//
// The drawing is one QGraphicsItem painted with QPainter inside a chart view,
// so that it exports like every chart (PNG / SVG / PDF through ChartPanel, and
// the weights and biases as CSV). ViewsArea hands it each new posterior summary
// by pointer (no copy); the diagram is built from it only when it is painted or
// exported, so a hidden tab costs nothing.
#include <QElapsedTimer>
#include <QTimer>
#include <memory>

#include "engine/methods/posterior.h"
#include "ui/views/chart_panel.h"
#include "ui/views/network_diagram.h"

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
QT_END_NAMESPACE

namespace bayeslab::ui {

class NetworkDiagramItem;

class NetworkDiagramView : public ChartPanel {
  Q_OBJECT

 public:
  explicit NetworkDiagramView(QWidget* parent = nullptr);
  ~NetworkDiagramView() override;

  void setSummary(std::shared_ptr<const PosteriorSummary> summary);
  void setSummary(const PosteriorSummary& summary);
  void setLimits(const NetworkDiagramLimits& limits);
  void clear();
  bool hasSummary() const { return m_summary && !m_summary->layers.empty(); }
  // Built from the newest summary on first use.
  const NetworkDiagram& diagram() const;
  // The hover text at a point of the chart view's viewport (empty: nothing there).
  QString toolTipAt(const QPoint& viewportPos) const;
  QChartView* chartView() const { return m_view; }

  std::vector<CsvTable> csvTables() const override;

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;

 private:
  QChart* m_chart = nullptr;
  QChartView* m_view = nullptr;
  NetworkDiagramItem* m_item = nullptr;
  std::shared_ptr<const PosteriorSummary> m_summary;
  NetworkDiagramLimits m_limits;
  mutable NetworkDiagram m_diagram;
  mutable bool m_dirty = false;
  QElapsedTimer m_updated;
  QTimer m_updateTimer;
};

}  // namespace bayeslab::ui
