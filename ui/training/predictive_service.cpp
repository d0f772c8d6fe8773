#include "ui/training/predictive_service.h"

#include <QtConcurrent/QtConcurrentRun>

#include "ui/training/background_priority.h"

namespace bayeslab::ui {

PredictiveService::PredictiveService(QObject* parent) : QObject(parent) {
  qRegisterMetaType<PredictiveFramePtr>();
  m_pool.setMaxThreadCount(1);
  connect(&m_watcher, &QFutureWatcher<PredictiveFramePtr>::finished, this,
          &PredictiveService::onFinished);
}

PredictiveService::~PredictiveService() {
  m_waiting.reset();
  m_watcher.waitForFinished();
  m_pool.waitForDone();
}

void PredictiveService::setRun(const RunInfoPtr& run) {
  m_run = run;
  m_waiting.reset();
  m_regressionGrid.reset();
  m_classificationGrid.reset();
  if (!run) return;
  const Dataset& train = run->data->train;
  if (train.task == Task::Regression && train.inputDim() == 1)
    m_regressionGrid =
        std::make_shared<const Grid1D>(regressionGrid(train, m_settings.regressionPoints));
  else if (train.task == Task::Classification && train.inputDim() == 2)
    m_classificationGrid = std::make_shared<const Grid2D>(
        classificationGrid(train, m_settings.classificationResolution));
}

void PredictiveService::request(Index step, std::shared_ptr<const Posterior> posterior) {
  if (!m_run || !posterior) return;
  Job job;
  job.runId = m_run->runId;
  job.step = step;
  job.posterior = std::move(posterior);
  job.likelihood = m_run->likelihood;
  if (m_gridEnabled) {
    job.regressionGrid = m_regressionGrid;
    job.classificationGrid = m_classificationGrid;
  }
  job.samples = m_settings.samples;
  job.keptFunctions = m_settings.keptFunctions;
  job.seed = m_run->config.training.seed;
  if (m_busy)
    m_waiting = std::move(job);  // drops the stale one
  else
    start(std::move(job));
}

void PredictiveService::start(Job job) {
  m_busy = true;
  m_watcher.setFuture(QtConcurrent::run(&m_pool, [job = std::move(job)] {
    lowerThisThreadsPriority();  // background work (background_priority.h)
    return compute(job);
  }));
}

void PredictiveService::onFinished() {
  m_busy = false;
  const PredictiveFramePtr frame = m_watcher.result();
  if (m_waiting) {
    Job next = std::move(*m_waiting);
    m_waiting.reset();
    start(std::move(next));
  }
  if (frame && m_run && frame->runId == m_run->runId) emit frameReady(frame);
}

PredictiveFramePtr PredictiveService::compute(const Job& job) {
  auto frame = std::make_shared<PredictiveFrame>();
  frame->runId = job.runId;
  frame->step = job.step;
  frame->summary = job.posterior->summary();
  const RandomStream rng = RandomStream(job.seed).derive("live-predictive");
  if (job.regressionGrid) {
    frame->regressionGrid = job.regressionGrid;
    frame->regression =
        predictRegression(*job.posterior, *job.likelihood, job.regressionGrid->points, job.samples,
                          rng, 1, job.keptFunctions);
  } else if (job.classificationGrid) {
    frame->classificationGrid = job.classificationGrid;
    frame->classification = predictClassification(
        *job.posterior, *job.likelihood, job.classificationGrid->points, job.samples, rng, 1);
  }
  return frame;
}

}  // namespace bayeslab::ui
