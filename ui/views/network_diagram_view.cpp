#include "ui/views/network_diagram_view.h"

#include <QChart>
#include <QChartView>
#include <QFontMetricsF>
#include <QGraphicsObject>
#include <QGraphicsSceneHoverEvent>
#include <QLegend>
#include <QPainter>
#include <QTextStream>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>

namespace bayeslab::ui {

namespace {

constexpr double kSideMargin = 70.0;
constexpr double kCompactWidth = 14.0;
constexpr double kMaxNodeRadius = 8.0;
constexpr double kMinNodeRadius = 1.5;
constexpr double kHitSlack = 3.0;
constexpr size_t kAntialiasedEdges = 800;
// At most this often a new posterior is drawn: a dense diagram costs the UI thread
// tens of milliseconds, and the weights move little in a fraction of a second.
constexpr int kMinUpdateMilliseconds = 500;

QString number(double v) {
  return QString::number(v, 'g', 3);
}

double distanceToSegment(const QPointF& p, const QPointF& a, const QPointF& b) {
  const QPointF ab = b - a;
  const double len2 = QPointF::dotProduct(ab, ab);
  const double t =
      len2 > 0.0 ? std::clamp(QPointF::dotProduct(p - a, ab) / len2, 0.0, 1.0) : 0.0;
  const QPointF q = a + t * ab - p;
  return std::sqrt(QPointF::dotProduct(q, q));
}

}  // namespace

// The whole diagram, painted into the chart's rectangle.
class NetworkDiagramItem : public QGraphicsObject {
 public:
  NetworkDiagramItem(const NetworkDiagramView* view, QGraphicsItem* parent)
      : QGraphicsObject(parent), m_view(view) {
    setAcceptHoverEvents(true);
    setZValue(100);
  }

  void setArea(const QRectF& area) {
    prepareGeometryChange();
    m_area = area;
    update();
  }
  void setStyle(const ChartStyle& style) {
    m_style = style;
    update();
  }
  void refresh() { update(); }

  QRectF boundingRect() const override { return m_area; }

  void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override;

  // Hover text for an item-coordinate point.
  QString textAt(const QPointF& p) const;

 protected:
  void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override {
    setToolTip(textAt(event->pos()));
  }

 private:
  struct Geometry {
    QRectF plot;
    std::vector<double> x;        // column centres
    std::vector<double> spacing;  // between unit centres per column
    double legendTop = 0.0;
    double labelTop = 0.0;
    QPointF unit(size_t column, int i, int units) const {
      if (units <= 1) return {x[column], plot.center().y()};
      return {x[column], plot.top() + spacing[column] * i};
    }
  };
  Geometry geometry() const;
  double nodeRadius(const Geometry& g, size_t column) const {
    return std::clamp(g.spacing[column] * 0.35, kMinNodeRadius, kMaxNodeRadius);
  }
  void paintLegend(QPainter& p, const Geometry& g) const;

  const NetworkDiagram& diagram() const { return m_view->diagram(); }

  const NetworkDiagramView* m_view;
  QRectF m_area;
  ChartStyle m_style;
};

NetworkDiagramItem::Geometry NetworkDiagramItem::geometry() const {
  Geometry g;
  const QFontMetricsF title(m_style.titleFont());
  const QFontMetricsF label(m_style.labelFont());
  const double top = m_area.top() + title.height() + 14.0;
  const double legendHeight = 2.0 * label.height() + 22.0;
  g.legendTop = m_area.bottom() - legendHeight;
  g.labelTop = g.legendTop - label.height() - 8.0;
  // Room for the largest node above the first unit and below the last.
  g.plot = QRectF(QPointF(m_area.left() + kSideMargin, top + kMaxNodeRadius + 2.0),
                  QPointF(m_area.right() - kSideMargin, g.labelTop - kMaxNodeRadius - 4.0));
  const auto& columns = diagram().columns;
  const size_t n = columns.size();
  for (size_t c = 0; c < n; ++c) {
    g.x.push_back(n == 1 ? g.plot.center().x()
                         : g.plot.left() + g.plot.width() * static_cast<double>(c) /
                                               static_cast<double>(n - 1));
    const int units = columns[c].units;
    g.spacing.push_back(units > 1 ? g.plot.height() / (units - 1) : g.plot.height());
  }
  return g;
}

void NetworkDiagramItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
  QPainter& p = *painter;
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  p.setClipRect(m_area);
  const NetworkDiagram& d = diagram();
  p.setPen(palette::kInk);
  p.setFont(m_style.titleFont());
  const QFontMetricsF titleMetrics(m_style.titleFont());
  p.drawText(QRectF(m_area.left() + 8, m_area.top() + 6, m_area.width() - 16,
                    titleMetrics.height() + 4),
             Qt::AlignLeft | Qt::AlignVCenter,
             QObject::tr("Network: edge colour = weight mean, width and opacity = certainty"));
  if (d.empty()) {
    p.setFont(m_style.axisTitleFont());
    p.drawText(m_area, Qt::AlignCenter | Qt::TextWordWrap,
               QObject::tr("No posterior yet: the network appears with the first snapshot."));
    p.restore();
    return;
  }
  const Geometry g = geometry();
  if (g.plot.width() < 10 || g.plot.height() < 10) {
    p.restore();
    return;
  }

  // Edges, weakest first. Thousands of separate antialiased strokes cost the UI
  // thread most of a second, so edges share a pen per (colour, width) bucket (colour
  // channels to 1/32, width to 1/8 px: invisible on screen) and each bucket is one
  // drawLines() call; buckets go from thin to thick, as the edges are sorted.
  std::map<std::pair<int, QRgb>, QVector<QLineF>> buckets;
  for (const DiagramEdge& e : d.edges) {
    const size_t a = static_cast<size_t>(e.layer), b = a + 1;
    QColor color = e.color;
    color.setAlphaF(static_cast<float>(e.alpha));
    const QRgb rgba = color.rgba() & 0xF8F8F8F8u;
    const int width = static_cast<int>(std::lround(e.width * 8.0));
    buckets[{width, rgba}].append(
        QLineF(g.unit(a, e.from, d.columns[a].units), g.unit(b, e.to, d.columns[b].units)));
  }
  // Antialiasing thousands of long strokes is what costs; past a few hundred edges
  // the overlap hides the stair steps, so dense diagrams draw them without it.
  p.setRenderHint(QPainter::Antialiasing, d.edges.size() <= kAntialiasedEdges);
  for (const auto& [key, lines] : buckets) {
    p.setPen(QPen(QColor::fromRgba(key.second), key.first / 8.0, Qt::SolidLine, Qt::FlatCap));
    p.drawLines(lines);
  }

  p.setRenderHint(QPainter::Antialiasing);
  // Nodes: filled by the bias mean (inputs have none), on top of the edges.
  const QFontMetricsF labelMetrics(m_style.labelFont());
  p.setFont(m_style.labelFont());
  for (size_t c = 0; c < d.columns.size(); ++c) {
    const DiagramColumn& column = d.columns[c];
    if (column.compact) {
      const QRectF bar(g.x[c] - kCompactWidth / 2, g.plot.top() - 4, kCompactWidth,
                       g.plot.height() + 8);
      p.setPen(QPen(QColor(90, 90, 90), 1.0));
      p.setBrush(QColor(235, 235, 235, 230));
      p.drawRoundedRect(bar, 4, 4);
    } else {
      const double r = nodeRadius(g, c);
      p.setPen(QPen(QColor(70, 70, 70), r > 3 ? 1.0 : 0.5));
      for (int i = 0; i < column.units; ++i) {
        p.setBrush(column.biasMean.empty()
                       ? QColor(250, 250, 250)
                       : diagramColor(column.biasMean[static_cast<size_t>(i)], d.colorScale));
        p.drawEllipse(g.unit(c, i, column.units), r, r);
      }
    }
    // The column's label below it; the outer ones align to the edge they sit on.
    const double w = std::max(2.0 * kSideMargin, g.plot.width() /
                                                     std::max<double>(1, d.columns.size() - 1));
    QRectF box(g.x[c] - w / 2, g.labelTop, w, labelMetrics.height() + 4);
    int align = Qt::AlignHCenter;
    if (c == 0 && d.columns.size() > 1) {
      box.moveLeft(m_area.left() + 4);
      box.setRight(g.x[c] + w / 2);
      align = Qt::AlignLeft;
      box.setLeft(std::max(m_area.left() + 4, g.x[c] - kSideMargin + 8));
    } else if (c + 1 == d.columns.size() && d.columns.size() > 1) {
      box.setRight(std::min(m_area.right() - 4, g.x[c] + kSideMargin - 8));
      box.setLeft(g.x[c] - w / 2);
      align = Qt::AlignRight;
    }
    p.setPen(palette::kInk);
    p.drawText(box, align | Qt::AlignTop,
               labelMetrics.elidedText(column.label, Qt::ElideRight, box.width()));
  }
  paintLegend(p, g);
  p.restore();
}

void NetworkDiagramItem::paintLegend(QPainter& p, const Geometry& g) const {
  const NetworkDiagram& d = diagram();
  const QFont font = m_style.labelFont();
  const QFontMetricsF fm(font);
  p.setFont(font);
  p.setPen(palette::kInk);
  const double rowH = fm.height();
  double x = m_area.left() + 12;
  const double y0 = g.legendTop + 6;

  // Colour bar: -m .. 0 .. +m.
  const double barW = std::min(180.0, m_area.width() * 0.22);
  p.drawText(QPointF(x, y0 + fm.ascent()), QObject::tr("weight mean"));
  const QRectF bar(x, y0 + rowH + 2, barW, 10);
  QLinearGradient gradient(bar.topLeft(), bar.topRight());
  for (int i = 0; i <= 16; ++i)
    gradient.setColorAt(i / 16.0, diagramColor((i / 8.0 - 1.0) * d.colorScale, d.colorScale));
  p.setPen(Qt::NoPen);
  p.setBrush(gradient);
  p.drawRect(bar);
  p.setPen(palette::kInk);
  const double ly = bar.bottom() + fm.ascent() + 1;
  const QString lo = QStringLiteral("\u2212") + number(d.colorScale);
  const QString hi = QStringLiteral("+") + number(d.colorScale);
  p.drawText(QPointF(bar.left(), ly), lo);
  p.drawText(QPointF(bar.center().x() - fm.horizontalAdvance("0") / 2, ly), QStringLiteral("0"));
  p.drawText(QPointF(bar.right() - fm.horizontalAdvance(hi), ly), hi);
  x = bar.right() + 28;

  // Width and opacity against sigma.
  const QString spread =
      d.kind == PosteriorKind::Samples ? QObject::tr("sample spread \u03c3") : QObject::tr("std \u03c3");
  if (d.kind == PosteriorKind::Point || !(d.stdReference > 0.0)) {
    p.drawText(QPointF(x, y0 + fm.ascent()),
               QObject::tr("point estimate: no spread, every edge at full width"));
    x += fm.horizontalAdvance(QObject::tr("point estimate: no spread, every edge at full width")) + 28;
  } else {
    const QString header =
        QObject::tr("%1 (\u03c3\u0303 = %2, the median)").arg(spread, number(d.stdReference));
    p.drawText(QPointF(x, y0 + fm.ascent()), header);
    const double sigmas[] = {0.25, 1.0, 4.0};
    const NetworkDiagramLimits limits;
    double sx = x;
    for (double s : sigmas) {
      const double c = diagramCertainty(s * d.stdReference, d.stdReference);
      QColor color(60, 60, 60);
      color.setAlphaF(static_cast<float>(limits.minAlpha + (limits.maxAlpha - limits.minAlpha) * c));
      p.setPen(QPen(color, limits.minWidth + (limits.maxWidth - limits.minWidth) * c,
                    Qt::SolidLine, Qt::RoundCap));
      const double yy = y0 + rowH + 7;
      p.drawLine(QPointF(sx, yy), QPointF(sx + 26, yy));
      p.setPen(palette::kInk);
      const QString text = s == 1.0 ? QStringLiteral("\u03c3\u0303")
                                    : QStringLiteral("%1\u03c3\u0303").arg(s == 0.25 ? "\u00bc" : "4");
      p.drawText(QPointF(sx + 30, yy + fm.ascent() / 2 - 1), text);
      sx += 30 + fm.horizontalAdvance(text) + 16;
    }
    x = std::max(sx, x + fm.horizontalAdvance(header)) + 24;
  }

  // What is drawn.
  const Index total = d.weightCount(), drawn = d.drawnCount();
  const QString shown =
      drawn == total ? QObject::tr("all %L1 weights drawn").arg(total)
                     : QObject::tr("%L1 of %L2 weights drawn: the strongest by |\u03bc| / \u03c3 "
                                   "in each large layer")
                           .arg(drawn)
                           .arg(total);
  const QString nodes = QObject::tr("node fill: bias mean");
  const QRectF rest(x, y0, m_area.right() - x - 8, 2 * rowH + 4);
  p.drawText(rest, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, shown + "\n" + nodes);
}

QString NetworkDiagramItem::textAt(const QPointF& point) const {
  const NetworkDiagram& d = diagram();
  if (d.empty()) return {};
  const Geometry g = geometry();
  // Nodes first.
  for (size_t c = 0; c < d.columns.size(); ++c) {
    const DiagramColumn& column = d.columns[c];
    if (std::abs(point.x() - g.x[c]) > std::max(kCompactWidth / 2, nodeRadius(g, c)) + kHitSlack)
      continue;
    if (column.compact) {
      if (point.y() < g.plot.top() - 4 || point.y() > g.plot.bottom() + 4) continue;
      const int i = std::clamp(
          static_cast<int>(std::lround((point.y() - g.plot.top()) / g.spacing[c])), 0,
          column.units - 1);
      QString text = QObject::tr("%1 (compact: %L2 units)\nunit %3").arg(column.label).arg(column.units).arg(i);
      if (!column.biasMean.empty())
        text += QObject::tr("\nbias mean %1, std %2")
                    .arg(number(column.biasMean[static_cast<size_t>(i)]),
                         number(column.biasStd[static_cast<size_t>(i)]));
      return text;
    }
    const double r = nodeRadius(g, c);
    for (int i = 0; i < column.units; ++i) {
      const QPointF q = g.unit(c, i, column.units) - point;
      if (std::sqrt(QPointF::dotProduct(q, q)) > r + kHitSlack) continue;
      QString text = QObject::tr("%1, unit %2").arg(column.label).arg(i);
      if (!column.biasMean.empty())
        text += QObject::tr("\nbias mean %1, std %2")
                    .arg(number(column.biasMean[static_cast<size_t>(i)]),
                         number(column.biasStd[static_cast<size_t>(i)]));
      return text;
    }
  }
  // Then the nearest edge within reach, the top-most (last drawn) on a tie.
  const DiagramEdge* best = nullptr;
  double bestDistance = 0.0;
  for (const DiagramEdge& e : d.edges) {
    const size_t a = static_cast<size_t>(e.layer), b = a + 1;
    if (point.x() < g.x[a] - kHitSlack || point.x() > g.x[b] + kHitSlack) continue;
    const double dist = distanceToSegment(point, g.unit(a, e.from, d.columns[a].units),
                                          g.unit(b, e.to, d.columns[b].units));
    if (dist <= e.width / 2 + kHitSlack && (!best || dist <= bestDistance)) {
      best = &e;
      bestDistance = dist;
    }
  }
  if (!best) return {};
  return QObject::tr("layer %1 weight: input %2 \u2192 unit %3\nmean %4, %5 %6\n|\u03bc| / \u03c3 = %7")
      .arg(best->layer + 1)
      .arg(best->from)
      .arg(best->to)
      .arg(number(best->mean),
           d.kind == PosteriorKind::Samples ? QObject::tr("sample spread") : QObject::tr("std"),
           number(best->std), best->std > 0 ? number(std::abs(best->mean) / best->std)
                                            : QStringLiteral("\u221e"));
}

NetworkDiagramView::NetworkDiagramView(QWidget* parent)
    : ChartPanel("network", tr("Network diagram"), parent) {
  m_chart = new QChart;
  m_chart->legend()->hide();
  m_chart->setBackgroundRoundness(0);
  m_chart->setBackgroundBrush(Qt::white);
  m_chart->setMargins(QMargins(0, 0, 0, 0));
  m_item = new NetworkDiagramItem(this, m_chart);
  connect(m_chart, &QGraphicsWidget::geometryChanged, this,
          [this] { m_item->setArea(m_chart->rect()); });
  m_view = makeChartView(m_chart);
  m_view->setToolTip(tr("Hover a node or an edge for its layer, indices, mean and std."));
  m_updateTimer.setSingleShot(true);
  connect(&m_updateTimer, &QTimer::timeout, this, [this] {
    m_updated.start();
    m_item->refresh();
  });
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_view, 1);
  applyStyle();
}

NetworkDiagramView::~NetworkDiagramView() {
  // The chart outlives this object's members while the widget tree is torn down, and
  // its geometry may still change: the item must not hear of it once it is gone.
  disconnect(m_chart, nullptr, this, nullptr);
}

void NetworkDiagramView::setSummary(std::shared_ptr<const PosteriorSummary> summary) {
  m_summary = std::move(summary);
  m_dirty = true;
  // Repaints (and builds the diagram) only if on screen, and at most every
  // kMinUpdateMilliseconds; export and diagram() always see the newest summary.
  if (!m_updated.isValid() || m_updated.elapsed() >= kMinUpdateMilliseconds) {
    m_updated.start();
    m_item->refresh();
  } else if (!m_updateTimer.isActive()) {
    m_updateTimer.start(kMinUpdateMilliseconds - static_cast<int>(m_updated.elapsed()));
  }
}

void NetworkDiagramView::setSummary(const PosteriorSummary& summary) {
  setSummary(std::make_shared<const PosteriorSummary>(summary));
}

void NetworkDiagramView::setLimits(const NetworkDiagramLimits& limits) {
  m_limits = limits;
  m_dirty = true;
  m_item->refresh();
}

void NetworkDiagramView::clear() {
  setSummary(std::shared_ptr<const PosteriorSummary>());
}

const NetworkDiagram& NetworkDiagramView::diagram() const {
  if (m_dirty) {
    m_diagram = m_summary ? buildNetworkDiagram(*m_summary, m_limits) : NetworkDiagram{};
    m_dirty = false;
  }
  return m_diagram;
}

QString NetworkDiagramView::toolTipAt(const QPoint& viewportPos) const {
  return m_item->textAt(m_item->mapFromScene(m_view->mapToScene(viewportPos)));
}

void NetworkDiagramView::applyStyle() {
  m_item->setStyle(style());
}

QList<QChartView*> NetworkDiagramView::chartViews() const {
  return {m_view};
}

std::vector<CsvTable> NetworkDiagramView::csvTables() const {
  if (!hasSummary()) return {};
  const PosteriorSummary& summary = *m_summary;
  const NetworkDiagram& diagram = this->diagram();
  // Which weights the figure draws.
  std::vector<std::vector<char>> drawn(summary.layers.size());
  for (size_t l = 0; l < summary.layers.size(); ++l)
    drawn[l].assign(static_cast<size_t>(summary.layers[l].weightMean.size()), 0);
  for (const DiagramEdge& e : diagram.edges) {
    const auto rows = summary.layers[static_cast<size_t>(e.layer)].weightMean.rows();
    drawn[static_cast<size_t>(e.layer)][static_cast<size_t>(e.from * rows + e.to)] = 1;
  }
  QString edges;
  QTextStream out(&edges);
  out << "layer,from,to,mean,std,drawn\n";
  QString nodes;
  QTextStream nodesOut(&nodes);
  nodesOut << "layer,unit,bias_mean,bias_std\n";
  for (size_t l = 0; l < summary.layers.size(); ++l) {
    const LayerPosterior& layer = summary.layers[l];
    const bool hasStd = layer.weightStd.size() == layer.weightMean.size();
    for (Index j = 0; j < layer.weightMean.cols(); ++j)
      for (Index i = 0; i < layer.weightMean.rows(); ++i)
        out << l + 1 << ',' << j << ',' << i << ',' << QString::number(layer.weightMean(i, j), 'g', 8)
            << ',' << QString::number(hasStd ? layer.weightStd(i, j) : 0.0, 'g', 8) << ','
            << int(drawn[l][static_cast<size_t>(j * layer.weightMean.rows() + i)]) << '\n';
    const bool hasBiasStd = layer.biasStd.size() == layer.biasMean.size();
    for (Index i = 0; i < layer.biasMean.size(); ++i)
      nodesOut << l + 1 << ',' << i << ',' << QString::number(layer.biasMean(i), 'g', 8) << ','
               << QString::number(hasBiasStd ? layer.biasStd(i) : 0.0, 'g', 8) << '\n';
  }
  out.flush();
  nodesOut.flush();
  return {{QString(), edges}, {QStringLiteral("nodes"), nodes}};
}

}  // namespace bayeslab::ui
