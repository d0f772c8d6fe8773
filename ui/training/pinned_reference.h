#pragma once
// A run kept as the reference for later runs on the same data ("Pin as
// reference"): where there is no closed-form posterior, a long HMC run is the
// best available truth for a small network, and the approximations are judged
// against it. What is kept is what the views overlay: the posterior predictive
// on the regression grid, the weight means and standard deviations, and the
// weight draws when the posterior is sample based. Immutable once built.
#include <QMetaType>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

#include "engine/predictive/grid.h"
#include "engine/predictive/predictive.h"
#include "ui/training/training_snapshot.h"

namespace bayeslab::ui {

struct PinnedReference {
  static constexpr Index kMaxSamples = 4000;  // weight draws kept (evenly spaced)
  static constexpr int kPredictiveSamples = 200;

  QString label;  // "HMC reference"
  QString methodName;
  Index step = 0;
  MlpLayout layout;
  Dataset train;  // the data it was trained on: later runs must use the same
  PosteriorKind kind = PosteriorKind::Gaussian;
  Vector mean, std;
  std::vector<Vector> samples;  // empty unless sample based
  // 1-D regression: the predictive on the run's grid.
  std::shared_ptr<const Grid1D> grid;
  std::optional<RegressionPredictive> regression;

  // The same training inputs and targets (a new seed or size is other data).
  bool sameData(const Dataset& other) const;
  // The weights can be compared one by one (the same network shape).
  bool sameLayout(const MlpLayout& other) const { return layout == other; }
};

using PinnedReferencePtr = std::shared_ptr<const PinnedReference>;

// "HMC", "BBB", "Laplace approximation": short ids are acronyms, others keep their name.
QString shortMethodName(const MethodDescriptor& method);
// "HMC reference", "Laplace approximation reference".
QString referenceLabel(const MethodDescriptor& method);

// Builds the reference from a posterior of `run` (the predictive costs
// kPredictiveSamples network passes over the grid: call it off the UI thread).
PinnedReferencePtr buildPinnedReference(const RunInfo& run, Index step, const Posterior& posterior,
                                        const QString& label);

}  // namespace bayeslab::ui

Q_DECLARE_METATYPE(bayeslab::ui::PinnedReferencePtr)
