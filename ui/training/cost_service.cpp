#include "ui/training/cost_service.h"

#include <QMetaObject>
#include <cmath>
#include <exception>

namespace bayeslab::ui {

namespace {
constexpr qint64 kProgressMilliseconds = 100;  // progress updates at most 10 per second

QString durationText(double seconds) {
  if (seconds < 90.0) return QObject::tr("%1 s").arg(std::lround(seconds));
  if (seconds < 5400.0) return QObject::tr("%1 min").arg(std::lround(seconds / 60.0));
  return QObject::tr("%1 h").arg(seconds / 3600.0, 0, 'f', 1);
}
}  // namespace

CostService::CostService(QObject* parent)
    : QObject(parent), m_runner(&m_pool, [this](CostFramePtr frame) {
        emit busyChanged(false);
        emit frameReady(std::move(frame));
      }) {
  qRegisterMetaType<CostFramePtr>();
  m_pool.setMaxThreadCount(1);
}

CostService::~CostService() {
  if (m_cancel) m_cancel->store(true);
}

void CostService::cancel() {
  if (m_cancel) m_cancel->store(true);
}

void CostService::measure(quint64 runId, const SessionConfig& session,
                          std::shared_ptr<const DataSplit> data, const CostOptions& options) {
  if (isBusy()) return;
  m_cancel = std::make_shared<std::atomic<bool>>(false);
  QString dataset = QString::fromStdString(session.dataset.name);
  if (data) dataset += tr(", %L1 training points").arg(data->train.size());
  const quint64 id = ++m_measurements;
  m_runner.submit([this, runId, id, session, data, options, dataset, cancel = m_cancel] {
    auto frame = std::make_shared<CostFrame>();
    frame->runId = runId;
    frame->measurementId = id;
    frame->dataset = dataset;
    std::vector<CostRow> rows;  // the rows so far, for the partial frames
    QElapsedTimer clock;
    clock.start();
    qint64 last = -kProgressMilliseconds;
    const auto callback = [&](const CostProgress& p) {
      if (cancel->load()) return CallbackResult::Stop;
      if (p.row) {
        rows.push_back(*p.row);
        auto partial = std::make_shared<CostFrame>(*frame);
        partial->measurement.rows = rows;
        partial->measurement.steps = p.steps;
        QMetaObject::invokeMethod(
            this, [this, partial = CostFramePtr(std::move(partial))] { emit frameReady(partial); },
            Qt::QueuedConnection);
      }
      if (p.row || clock.elapsed() - last >= kProgressMilliseconds) {
        last = clock.elapsed();
        const double fraction = p.fraction();
        QString text = tr("%1 (%2 of %3): step %L4 of %L5")
                           .arg(QString::fromStdString(p.methodId))
                           .arg(p.method + 1)
                           .arg(p.methodCount)
                           .arg(p.step)
                           .arg(p.steps);
        // A slow method (HMC on images) says how long it will take.
        const double left = p.secondsLeft();
        if (!p.row && left > 5.0) text += tr(", about %1 left for it").arg(durationText(left));
        QMetaObject::invokeMethod(
            this, [this, fraction, text] { emit progressed(fraction, text); },
            Qt::QueuedConnection);
      }
      return CallbackResult::Continue;
    };
    try {
      frame->measurement = measureCost(session, options, callback, data);
    } catch (const std::exception& e) {
      frame->error = QString::fromStdString(e.what());
    }
    frame->complete = true;
    return CostFramePtr(std::move(frame));
  });
  emit busyChanged(true);
}

}  // namespace bayeslab::ui
