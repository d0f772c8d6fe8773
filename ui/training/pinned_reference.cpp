#include "ui/training/pinned_reference.h"

#include <QObject>

#include "ui/training/posterior_draws.h"

namespace bayeslab::ui {

namespace {
constexpr Index kGridPoints = 200;  // the live predictive grid's resolution
}

bool PinnedReference::sameData(const Dataset& other) const {
  return train.task == other.task && train.inputs.rows() == other.inputs.rows() &&
         train.inputs.cols() == other.inputs.cols() && train.inputs == other.inputs &&
         train.targets.rows() == other.targets.rows() &&
         train.targets.cols() == other.targets.cols() && train.targets == other.targets &&
         train.labels.size() == other.labels.size() && train.labels == other.labels;
}

QString shortMethodName(const MethodDescriptor& method) {
  const QString id = QString::fromStdString(method.id);
  const bool acronym = id.size() <= 4 && !id.contains('_');
  return acronym ? id.toUpper() : QString::fromStdString(method.displayName);
}

QString referenceLabel(const MethodDescriptor& method) {
  return QObject::tr("%1 reference").arg(shortMethodName(method));
}

PinnedReferencePtr buildPinnedReference(const RunInfo& run, Index step, const Posterior& posterior,
                                        const QString& label) {
  auto pin = std::make_shared<PinnedReference>();
  pin->label = label;
  pin->methodName = QString::fromStdString(run.method->displayName);
  pin->step = step;
  pin->layout = posterior.layout();
  pin->train = run.data->train;
  pin->kind = posterior.summary().kind;
  pin->mean = posterior.flatMean();
  pin->std = posterior.flatStd();
  pin->samples = flatSamples(posterior, PinnedReference::kMaxSamples);
  const Dataset& train = run.data->train;
  if (train.task == Task::Regression && train.inputDim() == 1 && train.size() > 0) {
    pin->grid = std::make_shared<const Grid1D>(regressionGrid(train, kGridPoints));
    // Its own stream: the reference does not depend on the live views' draws.
    const RandomStream rng = RandomStream(run.config.training.seed).derive("pinned-reference");
    pin->regression = predictRegression(posterior, *run.likelihood, pin->grid->points,
                                        PinnedReference::kPredictiveSamples, rng, 1);
  }
  return pin;
}

}  // namespace bayeslab::ui
