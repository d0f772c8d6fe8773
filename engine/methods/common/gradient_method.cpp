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
  m_threads = input.threads;
  m_applying = m_pending;
  m_normReported = false;
  const double objective = evaluate(input, m_params, &m_gradient, stats);
  // evaluate() has applied all of a pending update (defersUpdate()).
  m_applying = m_pending = false;
  stats.objective = objective;
  const double gradientNorm =
      static_cast<double>(m_normReported ? m_reportedNorm : m_gradient.squaredNorm());
  if (!std::isfinite(objective) || !std::isfinite(gradientNorm)) {
    stats.finite = false;
    return stats;
  }
  m_optimizer->beginStep();
  if (defersUpdate()) {
    m_pending = true;
    return stats;
  }
  parallelFor(input.threads, updateBlockCount(), [&](Index b) { updateBlock(b); });
  return stats;
}

void GradientMethod::saveCheckpoint(int slot) {
  Checkpoint& c = m_checkpoints.at(static_cast<size_t>(slot));
  c.params = m_params;  // same size after the first: no allocation
  c.pending = m_pending;
  if (m_pending) c.gradient = m_gradient;
  if (!c.optimizer) c.optimizer = makeOptimizer(m_optimizer->id(), m_optimizer->learningRate());
  c.optimizer->copyStateFrom(*m_optimizer);
  c.valid = true;
}

bool GradientMethod::restoreCheckpoint(int slot) {
  const Checkpoint& c = m_checkpoints.at(static_cast<size_t>(slot));
  if (!c.valid || c.params.size() != m_params.size()) return false;
  m_params = c.params;
  m_pending = c.pending;
  if (m_pending) m_gradient = c.gradient;
  m_optimizer->copyStateFrom(*c.optimizer);
  return true;
}

void GradientMethod::settle() const {
  if (!m_pending) return;
  parallelFor(m_threads, updateBlockCount(), [&](Index b) { updateBlock(b); });
  m_pending = false;
}

Index GradientMethod::updateBlockCount() const {
  return parameterBlocks(m_params.size());
}

void GradientMethod::updateBlock(Index b) const {
  const Range r = partRange(m_params.size(), updateBlockCount(), b);
  m_optimizer->update(m_params.data(), m_gradient.data(), r.begin, r.size);
}

BAYESLAB_END_NAMESPACE
