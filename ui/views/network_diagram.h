#pragma once
// The network diagram's content (SPEC.md §4), computed from a posterior summary
// without drawing anything, so that it can be tested on its own.
//
// The MLP is drawn as columns of nodes (input, hidden..., output) joined by one
// edge per weight. An edge's colour is its posterior mean on a diverging map
// (blue negative, grey zero, red positive; symmetric scale m = the 98th
// percentile of |mean| over the edges drawn, so a few outliers do not wash the
// rest out). Its width and opacity fall with its standard deviation sigma (for
// sampling methods and ensembles the spread of the samples):
//     certainty c = 1 / (1 + sigma / sigma_ref),  width = w_min + (w_max - w_min) c,
//     alpha = a_min + (a_max - a_min) c,
// with sigma_ref the median sigma over all weights, so that the picture keeps its
// contrast as the posterior narrows (the legend gives sigma_ref). A point
// posterior (MAP) has sigma = 0: every edge is drawn at full width.
//
// Layers up to kAllEdgesUnits units on both sides draw every edge; a larger
// layer (784 MNIST inputs) draws only its kMaxEdgesPerLayer strongest edges by
// signal-to-noise |mean| / sigma (|mean| for point posteriors), and a column with
// more than kAllEdgesUnits units is drawn compact, labelled with its size.
#include <QColor>
#include <QString>
#include <vector>

#include "engine/methods/posterior.h"

namespace bayeslab::ui {

struct NetworkDiagramLimits {
  int allEdgesUnits = 64;        // layers this small (both sides) draw every edge
  int maxEdgesPerLayer = 600;    // otherwise: the strongest this many
  double minWidth = 0.4, maxWidth = 3.0;
  double minAlpha = 0.12, maxAlpha = 0.95;
};

struct DiagramEdge {
  int layer = 0;  // weight layer l joins column l to column l + 1
  int from = 0;   // input unit
  int to = 0;     // output unit
  double mean = 0.0;
  double std = 0.0;
  double strength = 0.0;  // |mean| / std (|mean| when std = 0): what the cap keeps
  double width = 1.0;
  double alpha = 1.0;
  QColor color;
};

struct DiagramColumn {
  int units = 0;
  bool compact = false;         // drawn as one bar with its size, not unit by unit
  QString label;                // "input (1)", "hidden 1 (50)", "output (10)"
  std::vector<double> biasMean;  // empty for the input column
  std::vector<double> biasStd;
};

struct NetworkDiagram {
  std::vector<DiagramColumn> columns;
  std::vector<DiagramEdge> edges;  // drawn edges, weakest (most uncertain) first
  std::vector<Index> weightsPerLayer;
  std::vector<Index> drawnPerLayer;
  PosteriorKind kind = PosteriorKind::Gaussian;
  double colorScale = 1.0;  // |mean| at the ends of the colour map
  double stdReference = 0.0;  // sigma_ref (0 for a point posterior)
  bool empty() const { return columns.empty(); }
  // Total weights and the number drawn.
  Index weightCount() const;
  Index drawnCount() const;
};

// Maps a mean to its colour on the diverging map, for scale m > 0.
QColor diagramColor(double mean, double scale);
// The certainty factor c in (0, 1] of the doc block (1 when reference is 0).
double diagramCertainty(double std, double reference);

NetworkDiagram buildNetworkDiagram(const PosteriorSummary& summary,
                                   const NetworkDiagramLimits& limits = {});

}  // namespace bayeslab::ui
