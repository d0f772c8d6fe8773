#include "ui/training/run_info_builder.h"

#include "engine/diagnostics/exact_reference.h"

namespace bayeslab::ui {

std::shared_ptr<const LinearRegressionPosterior> exactPosteriorOf(const Trainer& trainer) {
  // Closed form, O(N d^2 + d^3) for d inputs: far below one training slice.
  std::optional<LinearRegressionPosterior> exact = exactReference(trainer);
  if (!exact) return nullptr;
  return std::make_shared<const LinearRegressionPosterior>(std::move(*exact));
}

RunInfoPtr makeRunInfo(const Trainer& trainer, quint64 runId) {
  auto info = std::make_shared<RunInfo>();
  info->runId = runId;
  info->config = trainer.config();
  info->data = trainer.sharedData();
  info->likelihood = trainer.sharedLikelihood();
  info->prior = trainer.sharedPrior();
  info->method = &trainer.method();
  info->layout = trainer.layout();
  info->parameterCount = trainer.parameterCount();
  info->initialPosterior = trainer.posterior();
  info->exact = exactPosteriorOf(trainer);
  return info;
}

}  // namespace bayeslab::ui
