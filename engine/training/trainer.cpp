#include "engine/training/trainer.h"

#include <chrono>
#include <cmath>

#include "engine/model/activation.h"

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

  m_batchRng = root.derive("batches");
  m_stepRng = root.derive("steps");
  m_evalRng = root.derive("evaluation");
  m_order.resize(static_cast<size_t>(train.size()));
  for (Index i = 0; i < train.size(); ++i) m_order[static_cast<size_t>(i)] = i;
  m_cursor = train.size();  // shuffle before the first batch
  const Index B = std::min(m_config.training.batchSize, train.size());
  m_batchIndices.resize(static_cast<size_t>(B));
  if (m_config.training.steps == 0) m_status = TrainerStatus::Finished;
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
    nextBatch();
    StepInput input;
    input.batch = &m_batch;
    input.datasetSize = m_train->size();
    input.step = m_step;
    input.klWeight = t.klWeight;
    input.mcSamples = t.mcSamples;
    input.threads = t.threads;
    input.rng = m_stepRng.derive(static_cast<std::uint64_t>(m_step));
    const StepStats stats = m_method->step(input);
    m_seconds += std::chrono::duration<double>(Clock::now() - start).count();
    if (!stats.finite) {
      m_status = TrainerStatus::Diverged;
      m_message = "training diverged at step " + std::to_string(m_step + 1) +
                  ": the objective or its gradient is not finite; the parameters were kept at "
                  "their last finite values. Lower the learning rate or the initial \u03c3.";
      break;
    }
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
    if (m_step % evalEvery == 0 || m_step == t.steps) {
      const TestMetrics m = evaluateTest(t.evalSamples);
      row.testLogLikelihood = m.logLikelihood;
      row.testRmse = m.rmse;
      row.testAccuracy = m.accuracy;
    }
    m_history.push_back(row);
    if (m_step >= t.steps) m_status = TrainerStatus::Finished;
    if (callback && callback(m_history.back()) == CallbackResult::Stop) break;
  }
  return taken;
}

TestMetrics Trainer::evaluateTest(int samples) const {
  if (m_data->test.size() == 0) return {};
  return evaluatePredictive(*posterior(), *m_likelihood, m_data->test, samples,
                            m_evalRng.derive(static_cast<std::uint64_t>(m_step)),
                            m_config.training.threads);
}

double Trainer::finalElbo() const {
  if (m_history.empty()) return MetricsRow::kNaN;
  const size_t n = m_history.size();
  const size_t window = std::clamp<size_t>(n / 10, 1, 100);
  double sum = 0.0;
  for (size_t i = n - window; i < n; ++i) sum += m_history[i].elbo;
  return sum / static_cast<double>(window);
}

void Trainer::setLearningRate(double lr) {
  m_config.training.learningRate = lr;
  m_method->setLearningRate(lr);
}

void Trainer::setKlWeight(double beta) {
  m_config.training.klWeight = beta;
}

void Trainer::setPrior(const PriorConfig& prior) {
  m_prior = makePrior(prior);
  m_config.prior = prior;
  m_method->setPrior(m_prior);
}

BAYESLAB_END_NAMESPACE
