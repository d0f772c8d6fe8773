#include "ui/views/network_diagram.h"

#include <QObject>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace bayeslab::ui {

namespace {

constexpr double kColorQuantile = 0.98;

// Blue - grey - red, saturated at both ends so that strong edges stand out on white.
// Red minus blue rises along the map and the lightness falls away from its middle.
struct Stop {
  double t;
  int r, g, b;
};
constexpr Stop kStops[] = {{0.0, 33, 102, 172},
                           {0.25, 103, 169, 207},
                           {0.5, 215, 215, 215},
                           {0.75, 239, 138, 98},
                           {1.0, 175, 10, 15}};

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  const auto k = static_cast<size_t>(std::floor(q * static_cast<double>(values.size() - 1)));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

}  // namespace

Index NetworkDiagram::weightCount() const {
  return std::accumulate(weightsPerLayer.begin(), weightsPerLayer.end(), Index(0));
}

Index NetworkDiagram::drawnCount() const {
  return std::accumulate(drawnPerLayer.begin(), drawnPerLayer.end(), Index(0));
}

QColor diagramColor(double mean, double scale) {
  const double t = std::clamp(0.5 + 0.5 * mean / std::max(scale, 1e-30), 0.0, 1.0);
  size_t k = 1;
  while (k + 1 < std::size(kStops) && kStops[k].t < t) ++k;
  const Stop& a = kStops[k - 1];
  const Stop& b = kStops[k];
  const double u = (t - a.t) / (b.t - a.t);
  auto mix = [u](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * u)); };
  return QColor(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
}

double diagramCertainty(double std, double reference) {
  if (!(reference > 0.0) || !(std > 0.0)) return 1.0;
  return 1.0 / (1.0 + std / reference);
}

NetworkDiagram buildNetworkDiagram(const PosteriorSummary& summary,
                                   const NetworkDiagramLimits& limits) {
  NetworkDiagram d;
  d.kind = summary.kind;
  if (summary.layers.empty()) return d;
  const int layers = static_cast<int>(summary.layers.size());

  // Columns: the inputs, then each layer's outputs.
  auto column = [&](int units, const QString& label) {
    DiagramColumn c;
    c.units = units;
    c.compact = units > limits.allEdgesUnits;
    c.label = label;
    d.columns.push_back(std::move(c));
  };
  const int inputs = static_cast<int>(summary.layers.front().weightMean.cols());
  column(inputs, inputs == 1 ? QObject::tr("input") : QObject::tr("%L1 inputs").arg(inputs));
  for (int l = 0; l < layers; ++l) {
    const LayerPosterior& layer = summary.layers[static_cast<size_t>(l)];
    const int units = static_cast<int>(layer.weightMean.rows());
    column(units, l + 1 == layers ? (units == 1 ? QObject::tr("output")
                                                : QObject::tr("%L1 outputs").arg(units))
                                  : QObject::tr("hidden %1: %L2 units").arg(l + 1).arg(units));
    DiagramColumn& c = d.columns.back();
    for (Index i = 0; i < layer.biasMean.size(); ++i) {
      c.biasMean.push_back(static_cast<double>(layer.biasMean(i)));
      c.biasStd.push_back(layer.biasStd.size() > i ? static_cast<double>(layer.biasStd(i)) : 0.0);
    }
  }

  // sigma_ref: the median std over every weight.
  std::vector<double> stds;
  for (const LayerPosterior& layer : summary.layers)
    for (Index k = 0; k < layer.weightStd.size(); ++k)
      stds.push_back(static_cast<double>(layer.weightStd.data()[k]));
  d.stdReference = std::max(0.0, quantile(std::move(stds), 0.5));

  // The edges each layer draws: all, or its strongest when it is large.
  std::vector<double> absMeans;
  for (int l = 0; l < layers; ++l) {
    const LayerPosterior& layer = summary.layers[static_cast<size_t>(l)];
    const Index outputs = layer.weightMean.rows(), ins = layer.weightMean.cols();
    std::vector<DiagramEdge> edges;
    edges.reserve(static_cast<size_t>(outputs * ins));
    for (Index j = 0; j < ins; ++j)
      for (Index i = 0; i < outputs; ++i) {
        DiagramEdge e;
        e.layer = l;
        e.from = static_cast<int>(j);
        e.to = static_cast<int>(i);
        e.mean = static_cast<double>(layer.weightMean(i, j));
        e.std = layer.weightStd.size() ? static_cast<double>(layer.weightStd(i, j)) : 0.0;
        e.strength = e.std > 0.0 ? std::abs(e.mean) / e.std : std::abs(e.mean);
        if (!std::isfinite(e.strength)) e.strength = 0.0;
        edges.push_back(e);
      }
    d.weightsPerLayer.push_back(static_cast<Index>(edges.size()));
    const bool all = outputs <= limits.allEdgesUnits && ins <= limits.allEdgesUnits;
    const auto cap = static_cast<size_t>(std::max(1, limits.maxEdgesPerLayer));
    if (!all && edges.size() > cap) {
      std::nth_element(edges.begin(), edges.begin() + static_cast<std::ptrdiff_t>(cap),
                       edges.end(), [](const DiagramEdge& a, const DiagramEdge& b) {
                         return a.strength > b.strength;
                       });
      edges.resize(cap);
    }
    d.drawnPerLayer.push_back(static_cast<Index>(edges.size()));
    for (const DiagramEdge& e : edges) absMeans.push_back(std::abs(e.mean));
    d.edges.insert(d.edges.end(), edges.begin(), edges.end());
  }
  d.colorScale = quantile(std::move(absMeans), kColorQuantile);
  if (!(d.colorScale > 0.0)) d.colorScale = 1.0;

  for (DiagramEdge& e : d.edges) {
    const double c = diagramCertainty(e.std, d.stdReference);
    e.width = limits.minWidth + (limits.maxWidth - limits.minWidth) * c;
    e.alpha = limits.minAlpha + (limits.maxAlpha - limits.minAlpha) * c;
    e.color = diagramColor(e.mean, d.colorScale);
  }
  // Uncertain edges first, so that the confident ones are drawn on top.
  std::stable_sort(d.edges.begin(), d.edges.end(), [](const DiagramEdge& a, const DiagramEdge& b) {
    return a.width < b.width;
  });
  return d;
}

}  // namespace bayeslab::ui
