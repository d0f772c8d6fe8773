#include "engine/methods/common/gradient_method.h"

#include <cmath>

#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

GradientMethod::GradientMethod(const Problem& problem)
    : m_optimizer(makeOptimizer(problem.optimizer, problem.learningRate)) {
  if (!m_optimizer)
    throw InputError("", "training.optimizer", "unknown optimizer '" + problem.optimizer + "'");
}

StepStats GradientMethod::step(StepInput& input) {
  StepStats stats;
  const double objective = evaluate(input, m_params, &m_gradient, stats);
  stats.objective = objective;
  const Index n = m_params.size();
  const double gradientNorm = static_cast<double>(m_gradient.squaredNorm());
  if (!std::isfinite(objective) || !std::isfinite(gradientNorm)) {
    stats.finite = false;
    return stats;
  }
  m_optimizer->beginStep();
  const Index blocks = parameterBlocks(n);
  parallelFor(input.threads, blocks, [&](Index b) {
    const Range r = partRange(n, blocks, b);
    m_optimizer->update(m_params.data(), m_gradient.data(), r.begin, r.size);
  });
  return stats;
}

BAYESLAB_END_NAMESPACE
