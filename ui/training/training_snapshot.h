#pragma once
// What crosses from the training thread to the UI thread: immutable values
// behind shared pointers to const, never shared mutable state (STYLE.md 5).
#include <QMetaType>
#include <QString>
#include <memory>
#include <vector>

#include "engine/diagnostics/bayesian_linear_regression.h"
#include "engine/training/trainer.h"

namespace bayeslab::ui {

// Everything that stays fixed for one run (one Trainer): published once when
// the worker has built it. The shared pieces are immutable engine objects.
struct RunInfo {
  quint64 runId = 0;
  SessionConfig config;  // as built; live knobs are tracked by the snapshots
  std::shared_ptr<const DataSplit> data;
  std::shared_ptr<const Likelihood> likelihood;
  std::shared_ptr<const Prior> prior;
  const MethodDescriptor* method = nullptr;  // points into the static registry
  MlpLayout layout;
  Index parameterCount = 0;
  std::shared_ptr<const Posterior> initialPosterior;
  // The exact posterior of the session (engine/diagnostics/exact_reference.h), or
  // null when it has none; a live prior change sends a new one with the snapshots.
  std::shared_ptr<const LinearRegressionPosterior> exact;

  Task task() const { return data->train.task; }
  Index inputDim() const { return data->train.inputDim(); }
};

// The state of a run after some steps; at most ~30 per second.
struct TrainingSnapshot {
  quint64 runId = 0;
  std::vector<MetricsRow> rows;  // the rows taken since the previous snapshot
  // The posterior after the last step, or null when no step was taken since the
  // previous snapshot (the views keep the one they have).
  std::shared_ptr<const Posterior> posterior;
  Index step = 0;
  Index totalSteps = 0;
  Index part = 0;  // sequential learning: the data part in use (0-based) of `parts`
  Index parts = 1;
  TrainerStatus status = TrainerStatus::Running;
  QString message;            // the engine's reason when the run diverged
  DivergenceInfo divergence;  // when status == Diverged: where, what, and the checkpoint
  double stepsPerSecond = 0.0;
  // The live knobs as the trainer applies them now (a confirmation for the UI).
  double learningRate = 0.0;
  double klWeight = 0.0;
  PriorConfig prior;
  std::shared_ptr<const Prior> priorObject;
  // The exact posterior under the prior in use now (null when the session has none).
  std::shared_ptr<const LinearRegressionPosterior> exact;
  // The data the trainer uses now (painting replaces the training set), and how
  // many replacements it has applied (0: the run's own data).
  std::shared_ptr<const DataSplit> data;
  int dataVersion = 0;
};

using RunInfoPtr = std::shared_ptr<const RunInfo>;
using SnapshotPtr = std::shared_ptr<const TrainingSnapshot>;

}  // namespace bayeslab::ui

Q_DECLARE_METATYPE(bayeslab::ui::RunInfoPtr)
Q_DECLARE_METATYPE(bayeslab::ui::SnapshotPtr)
