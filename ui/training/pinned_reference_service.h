#pragma once
// Holds the pinned reference run (pinned_reference.h) across runs: "Pin as
// reference" builds it off the UI thread from the newest posterior; a new run on
// other data drops it (a reference for other data means nothing), a run on the
// same data keeps it whatever the method, and "Clear reference" drops it.
#include <QObject>

#include "ui/training/latest_job_runner.h"
#include "ui/training/pinned_reference.h"

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PinnedReferenceService : public QObject {
  Q_OBJECT

 public:
  explicit PinnedReferenceService(QThreadPool* pool, QObject* parent = nullptr);

  // A new run: keeps the reference if it was trained on the same data.
  void setRun(const RunInfoPtr& run);
  // Pins `posterior` of the current run (label empty: referenceLabel of its method).
  void pin(Index step, std::shared_ptr<const Posterior> posterior, const QString& label = {});
  void clear();

  const PinnedReferencePtr& pinned() const { return m_pinned; }
  bool hasPinned() const { return m_pinned != nullptr; }
  bool isBusy() const { return m_runner.isBusy(); }

 signals:
  // The reference changed (null: none).
  void pinnedChanged(bayeslab::ui::PinnedReferencePtr pinned);

 private:
  RunInfoPtr m_run;
  PinnedReferencePtr m_pinned;
  quint64 m_generation = 0;  // a clear or a new run outdates a pin still being built
  LatestJobRunner<std::pair<quint64, PinnedReferencePtr>> m_runner;
};

}  // namespace bayeslab::ui
