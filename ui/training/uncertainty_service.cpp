#include "ui/training/uncertainty_service.h"

#include <QElapsedTimer>

#include "engine/predictive/predictive.h"

namespace bayeslab::ui {

namespace {

// At most `count` examples, evenly spread: image sets are often sorted by class.
std::shared_ptr<const Dataset> spreadSubset(const Dataset& data, Index count) {
  if (data.size() <= count) return std::make_shared<const Dataset>(data);
  std::vector<Index> indices(static_cast<size_t>(count));
  for (Index i = 0; i < count; ++i) indices[static_cast<size_t>(i)] = i * data.size() / count;
  return std::make_shared<const Dataset>(data.subset(indices));
}

double accuracyOf(const Matrix& probabilities, const IndexVector& labels) {
  if (labels.size() == 0) return 0.0;
  Index correct = 0;
  for (Index i = 0; i < labels.size(); ++i) {
    Index best = 0;
    probabilities.col(i).maxCoeff(&best);
    if (best == labels(i)) ++correct;
  }
  return static_cast<double>(correct) / static_cast<double>(labels.size());
}

}  // namespace

UncertaintyFrame uncertaintyFrameFromResults(const ReliabilityDiagram& reliability, int classes,
                                             const std::vector<double>& inEntropy,
                                             const std::vector<double>& oodEntropy,
                                             std::optional<double> auroc) {
  UncertaintyFrame frame;
  frame.classes = classes;
  frame.reliability = reliability;
  double correct = 0.0;
  for (const ReliabilityBin& bin : reliability.bins) {
    frame.testPoints += bin.count;
    correct += bin.accuracy * static_cast<double>(bin.count);
  }
  frame.accuracy = frame.testPoints > 0 ? correct / static_cast<double>(frame.testPoints) : 0.0;
  frame.inDistributionEntropy = inEntropy;
  frame.outOfDistributionEntropy = oodEntropy;
  frame.auroc = auroc;
  return frame;
}

UncertaintyService::UncertaintyService(QThreadPool* pool, QObject* parent)
    : QObject(parent), m_runner(pool, [this](UncertaintyFramePtr frame) {
        if (frame && m_run && frame->runId == m_run->runId) emit frameReady(std::move(frame));
      }) {
  qRegisterMetaType<UncertaintyFramePtr>();
  m_runner.setMinimumInterval(kIntervalMs);
}

void UncertaintyService::setRun(const RunInfoPtr& run) {
  m_runner.cancelWaiting();
  m_latest.reset();
  m_latestStep = 0;
  m_computedStep = -1;
  const bool applies = run && run->task() == Task::Classification && run->data->test.size() > 0;
  m_run = applies ? run : nullptr;
  m_test.reset();
  m_outOfDistribution.reset();
  if (!m_run) return;
  m_test = spreadSubset(run->data->test, kMaxPoints);
  if (run->data->outOfDistribution.size() > 0)
    m_outOfDistribution = spreadSubset(run->data->outOfDistribution, kMaxPoints);
}

void UncertaintyService::setLatest(Index step, std::shared_ptr<const Posterior> posterior) {
  if (!m_run || !posterior) return;
  m_latest = std::move(posterior);
  m_latestStep = step;
  if (m_active) schedule();
}

void UncertaintyService::setActive(bool active) {
  m_active = active;
  if (!active) {
    m_runner.cancelWaiting();
    return;
  }
  if (m_latest && m_computedStep != m_latestStep) schedule();
}

void UncertaintyService::schedule() {
  if (!m_run || !m_latest) return;
  m_computedStep = m_latestStep;
  m_runner.submit([runId = m_run->runId, step = m_latestStep, posterior = m_latest,
                   likelihood = m_run->likelihood, test = m_test, ood = m_outOfDistribution,
                   classes = m_run->data->train.classes,
                   seed = m_run->config.training.seed]() -> UncertaintyFramePtr {
    QElapsedTimer clock;
    clock.start();
    // Common random numbers from frame to frame: the bars move with the posterior only.
    const RandomStream rng = RandomStream(seed).derive("live-uncertainty");
    auto frame = std::make_shared<UncertaintyFrame>();
    frame->runId = runId;
    frame->step = step;
    frame->classes = classes;
    const ClassificationPredictive in =
        predictClassification(*posterior, *likelihood, test->inputs, kSamples, rng.derive("in"), 1);
    frame->reliability = reliabilityDiagram(in.probabilities, test->labels);
    frame->testPoints = test->size();
    frame->accuracy = accuracyOf(in.probabilities, test->labels);
    frame->inDistributionEntropy.assign(in.entropy.data(), in.entropy.data() + in.entropy.size());
    if (ood) {
      const ClassificationPredictive out = predictClassification(
          *posterior, *likelihood, ood->inputs, kSamples, rng.derive("ood"), 1);
      frame->outOfDistributionEntropy.assign(out.entropy.data(),
                                             out.entropy.data() + out.entropy.size());
      frame->auroc = areaUnderRoc(frame->inDistributionEntropy, frame->outOfDistributionEntropy);
    }
    frame->milliseconds = static_cast<double>(clock.nsecsElapsed()) * 1e-6;
    return frame;
  });
}

}  // namespace bayeslab::ui
