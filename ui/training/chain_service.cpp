#include "ui/training/chain_service.h"

#include <QElapsedTimer>
#include <algorithm>

#include "engine/diagnostics/mcmc_diagnostics.h"

namespace bayeslab::ui {

namespace {

ChainDraws firstDraws(const ChainDraws& chains, size_t k) {
  ChainDraws prefix;
  for (const auto& c : chains) prefix.emplace_back(c.begin(), c.begin() + std::min(k, c.size()));
  return prefix;
}

ChainDraws lastDraws(const ChainDraws& chains, size_t k) {
  ChainDraws suffix;
  for (const auto& c : chains) suffix.emplace_back(c.end() - std::min(k, c.size()), c.end());
  return suffix;
}

}  // namespace

ChainFramePtr computeChainFrame(quint64 runId, Index step, const Posterior& posterior,
                                Index parameter) {
  QElapsedTimer clock;
  clock.start();
  auto frame = std::make_shared<ChainFrame>();
  frame->runId = runId;
  frame->step = step;
  frame->parameter = parameter;
  if (parameter < 0 || parameter >= posterior.layout().parameterCount()) return frame;
  frame->trace = posterior.trace(parameter);
  const ChainDraws& chains = frame->trace.values;
  if (chains.empty()) return frame;
  size_t shortest = chains.front().size();
  for (const auto& c : chains) {
    frame->draws += static_cast<Index>(c.size());
    shortest = std::min(shortest, c.size());
  }
  frame->rhat = splitRhat(chains);
  frame->ess = effectiveSampleSize(chains);

  // The diagnostics need at least 4 draws per chain (two per half).
  const size_t points = ChainService::kRunningPoints;
  size_t previous = 0;
  for (size_t j = 1; j <= points && shortest >= 4; ++j) {
    const size_t k = std::max<size_t>(4, j * shortest / points);
    if (k == previous) continue;
    previous = k;
    const ChainDraws prefix = firstDraws(chains, k);
    frame->runningStep.push_back(static_cast<double>(frame->trace.steps.front()[k - 1]));
    frame->runningRhat.push_back(j == points ? frame->rhat : splitRhat(prefix));
    frame->runningEss.push_back(j == points ? frame->ess : effectiveSampleSize(prefix));
  }

  const size_t recent =
      std::min(shortest, static_cast<size_t>(ChainService::kMaxAutocorrelationDraws));
  frame->autocorrelationDraws = static_cast<Index>(recent);
  std::vector<double> rho = combinedAutocorrelation(lastDraws(chains, recent));
  if (rho.size() > static_cast<size_t>(ChainService::kMaxLag) + 1)
    rho.resize(static_cast<size_t>(ChainService::kMaxLag) + 1);
  frame->autocorrelation = std::move(rho);
  frame->milliseconds = static_cast<double>(clock.nsecsElapsed()) * 1e-6;
  return frame;
}

ChainService::ChainService(QThreadPool* pool, QObject* parent)
    : QObject(parent), m_runner(pool, [this](ChainFramePtr frame) {
        if (frame && m_run && frame->runId == m_run->runId) emit frameReady(std::move(frame));
      }) {
  qRegisterMetaType<ChainFramePtr>();
  m_runner.setMinimumInterval(kIntervalMs);
}

bool ChainService::hasTraces(const Posterior& posterior) {
  return posterior.layout().parameterCount() > 0 && !posterior.trace(0).empty();
}

void ChainService::setRun(const RunInfoPtr& run) {
  m_runner.cancelWaiting();
  const bool applies = run && run->initialPosterior && hasTraces(*run->initialPosterior);
  m_run = applies ? run : nullptr;
  m_latest = applies ? run->initialPosterior : nullptr;
  m_latestStep = 0;
  m_dirty = true;
  if (m_run && m_parameter >= m_run->layout.parameterCount()) m_parameter = 0;
  if (m_active) schedule();
}

void ChainService::setLatest(Index step, std::shared_ptr<const Posterior> posterior) {
  if (!m_run || !posterior) return;
  m_latest = std::move(posterior);
  m_latestStep = step;
  m_dirty = true;
  if (m_active) schedule();
}

void ChainService::setParameter(Index parameter) {
  if (parameter == m_parameter) return;
  m_parameter = parameter;
  m_dirty = true;
  if (m_active) schedule();
}

void ChainService::setActive(bool active) {
  m_active = active;
  if (!active) {
    m_runner.cancelWaiting();
    return;
  }
  if (m_dirty) schedule();
}

void ChainService::schedule() {
  if (!m_run || !m_latest) return;
  m_dirty = false;
  m_runner.submit(
      [runId = m_run->runId, step = m_latestStep, posterior = m_latest, parameter = m_parameter] {
        return computeChainFrame(runId, step, *posterior, parameter);
      });
}

}  // namespace bayeslab::ui
