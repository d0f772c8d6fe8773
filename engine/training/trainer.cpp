#include "engine/training/trainer.h"

#include <chrono>
#include <cmath>

#include "engine/core/parallel.h"
#include "engine/data/painted_points.h"
#include "engine/methods/common/checkpointable.h"
#include "engine/model/activation.h"
#include "engine/prior/diagonal_gaussian_prior.h"

BAYESLAB_BEGIN_NAMESPACE

Trainer::Trainer(SessionConfig config) : m_config(std::move(config)) {
  if (auto error = m_config.validate()) throw InputError("", error->field, error->message);
  m_data = std::make_shared<const DataSplit>(makeDataSplit(m_config.dataset));
  build();
}

Trainer::Trainer(SessionConfig config, std::shared_ptr<const DataSplit> data)
    : m_config(std::move(config)), m_data(std::move(data)) {
  if (auto error = m_config.validate()) throw InputError("", error->field, error->message);
  build();
}

void Trainer::build() {
  const Dataset& train = m_data->train;
  if (train.size() == 0) throw InputError("", "dataset", "the training set is empty");
  m_train = std::shared_ptr<const Dataset>(m_data, &m_data->train);
  m_likelihood = makeLikelihood(m_config.likelihood, train);
  m_prior = makePrior(m_config.prior);
  m_descriptor = findMethod(m_config.method.name);
  Activation activation;
  parseActivation(m_config.model.activation, activation);
  m_layout = MlpLayout(train.inputDim(), m_config.model.hidden, m_likelihood->outputDim(train));

  const RandomStream root(m_config.training.seed);
  Problem problem;
  problem.train = m_train;
  problem.layout = m_layout;
  problem.activation = activation;
  problem.likelihood = m_likelihood;
  problem.prior = m_prior;
  problem.options = withDefaults(m_descriptor->options, m_config.method.options);
  problem.optimizer = m_config.training.optimizer;
  problem.learningRate = m_config.training.learningRate;
  problem.initRng = root.derive("init");
  m_method = m_descriptor->create(problem);
  m_checkpointable = dynamic_cast<Checkpointable*>(m_method.get());

  m_batchRng = root.derive("batches");
  m_stepRng = root.derive("steps");
  m_evalRng = root.derive("evaluation");
  // Periodic test metrics use at most kMonitorSize test points so that large
  // test sets (images) do not slow training; evaluateTest() uses them all.
  const Index monitorSize = std::min<Index>(kMonitorSize, m_data->test.size());
  std::vector<Index> first(static_cast<size_t>(monitorSize));
  for (Index i = 0; i < monitorSize; ++i) first[static_cast<size_t>(i)] = i;
  m_monitor = m_data->test.subset(first);
  if (m_config.sequential.enabled()) buildParts(root.derive("parts"));
  useTrainingData(m_parts.empty() ? m_train : m_parts.front());
  if (m_config.training.steps == 0) m_status = TrainerStatus::Finished;
  saveCheckpoint();
}

void Trainer::saveCheckpoint() {
  m_newestCheckpoint = 1 - m_newestCheckpoint;
  if (m_checkpointable) m_checkpointable->saveCheckpoint(m_newestCheckpoint);
  m_checkpoints[static_cast<size_t>(m_newestCheckpoint)] = {m_step, false};
}

int Trainer::goodCheckpoint() const {
  const int newest = m_newestCheckpoint, older = 1 - newest;
  if (m_checkpoints[static_cast<size_t>(newest)].good) return newest;
  if (m_checkpoints[static_cast<size_t>(older)].good) return older;
  // Diverged before any checkpoint was confirmed: the oldest state there is.
  if (m_checkpoints[static_cast<size_t>(older)].step >= 0) return older;
  return m_checkpoints[static_cast<size_t>(newest)].step >= 0 ? newest : -1;
}

Index Trainer::resumeAfterDivergence(double learningRate) {
  if (m_status != TrainerStatus::Diverged) return -1;
  Index restored = -1;
  const int slot = goodCheckpoint();
  if (slot >= 0 && m_checkpointable && m_checkpointable->restoreCheckpoint(slot)) {
    restored = m_checkpoints[static_cast<size_t>(slot)].step;
    // The other slot may hold the diverging state: the next checkpoint replaces it.
    m_newestCheckpoint = slot;
    m_checkpoints[static_cast<size_t>(1 - slot)] = {};
  }
  setLearningRate(learningRate);
  m_message.clear();
  m_status = m_step >= m_config.training.steps ? TrainerStatus::Finished : TrainerStatus::Running;
  return restored;
}

void Trainer::buildParts(RandomStream rng) {
  const SequentialConfig& q = m_config.sequential;
  if (m_prior->hyperparameterCount() > 0)
    throw InputError("", "sequential.parts",
                     "sequential learning replaces the prior after each part; use a prior without "
                     "learned hyperparameters");
  if (!m_descriptor->traits.sequential)
    throw InputError("", "sequential.parts",
                     m_descriptor->displayName +
                         " cannot take the previous posterior as its prior; use one part or "
                         "another method");
  const Vector spread = m_method->posterior()->flatStd();
  if (spread.size() == 0 || !(spread.minCoeff() > 0))
    throw InputError("", "sequential.parts",
                     "sequential learning needs a method whose posterior is a Gaussian with "
                     "non-zero spread (a variational method)");
  const Dataset& train = m_data->train;
  if (train.size() < q.parts)
    throw InputError("", "sequential.parts", "more parts than training examples");
  std::vector<Index> order(static_cast<size_t>(train.size()));
  for (Index i = 0; i < train.size(); ++i) order[static_cast<size_t>(i)] = i;
  if (q.split == "sorted")
    std::stable_sort(order.begin(), order.end(),
                     [&](Index a, Index b) { return train.inputs(0, a) < train.inputs(0, b); });
  else
    rng.shuffle(order.begin(), order.end());
  for (int k = 0; k < q.parts; ++k) {
    const Range r = partRange(train.size(), q.parts, k);
    std::vector<Index> indices(order.begin() + r.begin, order.begin() + r.end());
    m_parts.push_back(std::make_shared<const Dataset>(train.subset(indices)));
  }
}

void Trainer::useTrainingData(std::shared_ptr<const Dataset> data) {
  m_train = std::move(data);
  m_order.resize(static_cast<size_t>(m_train->size()));
  for (Index i = 0; i < m_train->size(); ++i) m_order[static_cast<size_t>(i)] = i;
  m_cursor = m_train->size();  // shuffle before the first batch
  const Index B = std::min(m_config.training.batchSize, m_train->size());
  m_batchIndices.resize(static_cast<size_t>(B));
}

Index Trainer::partOfStep(Index step) const {
  if (m_parts.empty()) return 0;
  const Index parts = static_cast<Index>(m_parts.size());
  for (Index k = 0; k < parts; ++k)
    if (step < partRange(m_config.training.steps, parts, k).end()) return k;
  return parts - 1;
}

void Trainer::advancePart() {
  // The posterior after this part becomes the prior of the next.
  const auto posterior = m_method->posterior();
  m_prior = std::make_shared<DiagonalGaussianPrior>(
      posterior->flatMean(), posterior->flatStd(),
      "q after part " + std::to_string(m_part + 1) + " of " + std::to_string(m_parts.size()));
  m_method->setPrior(m_prior);
  ++m_part;
  useTrainingData(m_parts[static_cast<size_t>(m_part)]);
}

double Trainer::klWeightAt(Index step) const {
  const TrainingOptions& t = m_config.training;
  if (t.klWarmupSteps <= 0) return t.klWeight;
  return t.klWeight *
         std::min(1.0, static_cast<double>(step + 1) / static_cast<double>(t.klWarmupSteps));
}

void Trainer::nextBatch() {
  // Shuffled epochs; a batch that runs past the end of an epoch continues in the next.
  const Index N = m_train->size();
  for (Index& index : m_batchIndices) {
    if (m_cursor >= N) {
      m_batchRng.shuffle(m_order.begin(), m_order.end());
      m_cursor = 0;
    }
    index = m_order[static_cast<size_t>(m_cursor++)];
  }
  m_batch.gather(*m_train, m_batchIndices.data(), static_cast<Index>(m_batchIndices.size()));
}

Index Trainer::run(Index maxSteps, const IterationCallback& callback) {
  using Clock = std::chrono::steady_clock;
  const TrainingOptions& t = m_config.training;
  const Index evalEvery = t.effectiveEvalEvery();
  Index taken = 0;
  while (m_status == TrainerStatus::Running && taken < maxSteps) {
    const auto start = Clock::now();
    if (partOfStep(m_step) != m_part) advancePart();
    nextBatch();
    StepInput input;
    input.batch = &m_batch;
    input.data = m_train.get();
    input.datasetSize = m_train->size();
    input.step = m_step;
    input.klWeight = klWeightAt(m_step);
    input.mcSamples = t.mcSamples;
    input.threads = t.threads;
    input.rng = m_stepRng.derive(static_cast<std::uint64_t>(m_step));
    const StepStats stats = m_method->step(input);
    m_seconds += std::chrono::duration<double>(Clock::now() - start).count();
    if (!stats.finite) {
      m_status = TrainerStatus::Diverged;
      m_divergence = {};
      m_divergence.step = m_step + 1;
      // Which quantity: one pass over the parameters, on this rare path only
      // (non-finite parameters make the loss non-finite too, so they come first).
      const bool paramsFinite = !m_checkpointable || m_checkpointable->parametersFinite();
      m_divergence.quantity = !paramsFinite                     ? "parameters"
                              : !std::isfinite(stats.objective) ? "loss"
                                                                : "gradient";
      m_divergence.learningRate = t.learningRate;
      const int slot = goodCheckpoint();
      if (slot >= 0) m_divergence.restoreStep = m_checkpoints[static_cast<size_t>(slot)].step;
      // Parameters that went non-finite are never kept: back to the checkpoint now.
      if (!paramsFinite && slot >= 0 && m_checkpointable->restoreCheckpoint(slot))
        m_divergence.restoredAlready = true;
      const bool nan = std::isnan(stats.objective);
      m_message = "training diverged at step " + std::to_string(m_divergence.step) + ": the " +
                  m_divergence.quantity + " became " +
                  (m_divergence.quantity == "loss" ? (nan ? "NaN" : "infinite")
                                                   : "non-finite (NaN or infinite)") +
                  (m_divergence.restoredAlready
                       ? "; the parameters were restored to step " +
                             std::to_string(m_divergence.restoreStep)
                       : "; the parameters were kept at their last finite values") +
                  ". Lower the learning rate, use fewer MC samples, or a tighter prior or "
                  "initial \u03c3.";
      break;
    }
    // The newest checkpoint's parameters (or later ones) gave a finite step.
    m_checkpoints[static_cast<size_t>(m_newestCheckpoint)].good = true;
    ++m_step;
    ++taken;
    MetricsRow row;
    row.step = m_step;
    row.elbo = stats.elbo;
    row.expectedLogLikelihood = stats.expectedLogLikelihood;
    row.kl = stats.kl;
    row.objective = stats.objective;
    row.seconds = m_seconds;
    row.extras = stats.extras;
    row.extraCount = stats.extraCount;
    // The trainer's own schedule, when it varies, goes with the method's extras.
    if (t.klWarmupSteps > 0 && row.extraCount < StepStats::kMaxExtras)
      row.extras[static_cast<size_t>(row.extraCount++)] = {"kl_weight", input.klWeight};
    if (!m_parts.empty() && row.extraCount < StepStats::kMaxExtras)
      row.extras[static_cast<size_t>(row.extraCount++)] = {"data_part",
                                                           static_cast<double>(m_part + 1)};
    if (m_step % evalEvery == 0 || m_step == t.steps) {
      const TestMetrics m = evaluateMonitor(t.evalSamples);
      row.testLogLikelihood = m.logLikelihood;
      row.testRmse = m.rmse;
      row.testAccuracy = m.accuracy;
    }
    m_history.push(row);
    if (m_step % kCheckpointEvery == 0) saveCheckpoint();
    if (m_step >= t.steps) m_status = TrainerStatus::Finished;
    if (callback && callback(row) == CallbackResult::Stop) break;
  }
  return taken;
}

TestMetrics Trainer::evaluateMonitor(int samples) const {
  if (m_monitor.size() == 0) return {};
  return evaluatePredictive(*posterior(), *m_likelihood, m_monitor, samples,
                            m_evalRng.derive(static_cast<std::uint64_t>(m_step)),
                            m_config.training.threads);
}

TestMetrics Trainer::evaluateTest(int samples) const {
  if (m_data->test.size() == 0) return {};
  return evaluatePredictive(*posterior(), *m_likelihood, m_data->test, samples,
                            m_evalRng.derive(static_cast<std::uint64_t>(m_step)),
                            m_config.training.threads);
}

double Trainer::finalElbo() const {
  return m_history.finalElbo();
}

void Trainer::setLearningRate(double lr) {
  m_config.training.learningRate = lr;
  m_method->setLearningRate(lr);
}

void Trainer::setKlWeight(double beta) {
  m_config.training.klWeight = beta;
}

void Trainer::setMethodOptions(const OptionValues& options) {
  OptionValues values = withDefaults(m_descriptor->options, m_config.method.options);
  bool changed = false;
  for (const OptionSpec& spec : m_descriptor->options) {
    if (!spec.live || !options.has(spec.key)) continue;
    const auto& value = options.values().at(spec.key);
    if (const auto* text = std::get_if<std::string>(&value))
      values.set(spec.key, *text);
    else
      values.set(spec.key, std::get<double>(value));
    changed = true;
  }
  if (!changed) return;
  if (auto error = validateOptions(m_descriptor->options, values, "method"))
    throw InputError("", error->field, error->message);
  m_config.method.options = values;
  m_method->setLiveOptions(values);
}

void Trainer::replaceTrainingData(Dataset train) {
  const Dataset& current = m_data->train;
  const char* field = "dataset.points";
  if (!m_parts.empty())
    throw InputError("", field,
                     "sequential learning splits the data itself; painted points "
                     "need one part");
  if (train.size() == 0) throw InputError("", field, "needs at least one point");
  if (train.task != current.task || train.inputDim() != current.inputDim() ||
      train.classes != current.classes ||
      (train.task == Task::Regression && train.targets.rows() != current.targets.rows()))
    throw InputError("", field, "the new points are not of the same kind as the training set");
  if (train.task == Task::Classification &&
      (train.labels.size() != train.size() || train.labels.minCoeff() < 0 ||
       train.labels.maxCoeff() >= train.classes))
    throw InputError("", field, "a class is out of range");
  m_config.dataset.points = pointsOf(train);
  auto split = std::make_shared<DataSplit>();
  split->name = m_data->name;
  split->train = std::move(train);
  split->test = m_data->test;
  split->outOfDistribution = m_data->outOfDistribution;
  m_data = std::move(split);
  useTrainingData(std::shared_ptr<const Dataset>(m_data, &m_data->train));
}

void Trainer::setPrior(const PriorConfig& prior) {
  m_prior = makePrior(prior);
  m_config.prior = prior;
  m_method->setPrior(m_prior);
}

BAYESLAB_END_NAMESPACE
