#include "ui/training/pinned_reference_service.h"

namespace bayeslab::ui {

PinnedReferenceService::PinnedReferenceService(QThreadPool* pool, QObject* parent)
    : QObject(parent), m_runner(pool, [this](std::pair<quint64, PinnedReferencePtr> result) {
        if (result.first != m_generation || !result.second) return;
        // Pinned from a run whose data a newer run has replaced: it no longer applies.
        if (!m_run || !result.second->sameData(m_run->data->train)) return;
        m_pinned = std::move(result.second);
        emit pinnedChanged(m_pinned);
      }) {
  qRegisterMetaType<PinnedReferencePtr>();
}

void PinnedReferenceService::setRun(const RunInfoPtr& run) {
  m_run = run;
  if (m_pinned && (!run || !m_pinned->sameData(run->data->train))) clear();
}

void PinnedReferenceService::pin(Index step, std::shared_ptr<const Posterior> posterior,
                                 const QString& label) {
  if (!m_run || !posterior) return;
  const QString name = label.isEmpty() ? referenceLabel(*m_run->method) : label;
  m_runner.submit(
      [generation = m_generation, run = m_run, step, posterior = std::move(posterior), name] {
        return std::make_pair(generation, buildPinnedReference(*run, step, *posterior, name));
      });
}

void PinnedReferenceService::clear() {
  ++m_generation;
  m_runner.cancelWaiting();
  if (!m_pinned) return;
  m_pinned.reset();
  emit pinnedChanged(nullptr);
}

}  // namespace bayeslab::ui
