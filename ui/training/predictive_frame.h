#pragma once
// What the views draw for one posterior: its weight summary and, when the
// inputs are 1-D (regression) or 2-D (classification), the posterior
// predictive on a grid. Immutable once built; shared with the UI by pointer.
#include <QMetaType>
#include <memory>
#include <optional>

#include "engine/methods/posterior.h"
#include "engine/predictive/grid.h"
#include "engine/predictive/predictive.h"

namespace bayeslab::ui {

struct PredictiveFrame {
  quint64 runId = 0;
  Index step = 0;
  PosteriorSummary summary;
  std::shared_ptr<const Grid1D> regressionGrid;
  std::optional<RegressionPredictive> regression;
  std::shared_ptr<const Grid2D> classificationGrid;
  std::optional<ClassificationPredictive> classification;
};

using PredictiveFramePtr = std::shared_ptr<const PredictiveFrame>;

}  // namespace bayeslab::ui

Q_DECLARE_METATYPE(bayeslab::ui::PredictiveFramePtr)
