#pragma once
// The training loop: minibatches, steps, metrics, test evaluation.
//
// The trainer never looks at which method it is driving. Progress leaves it
// through an IterationCallback that returns Continue or Stop (as Ceres'
// IterationCallback); the GUI's worker uses it to honour pause requests and to
// publish snapshots, the CLI to print progress.

#include <array>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "engine/methods/method.h"
#include "engine/predictive/evaluation.h"
#include "engine/training/metrics_history.h"
#include "engine/training/session.h"

BAYESLAB_BEGIN_NAMESPACE

class Checkpointable;

enum class CallbackResult { Continue, Stop };
using IterationCallback = std::function<CallbackResult(const MetricsRow&)>;

enum class TrainerStatus { Running, Finished, Diverged };

// Divergence recovery. Every kCheckpointEvery steps the trainer asks the method
// to save its learned state (parameters and optimiser moments, or the chain's
// position) into one of two slots; a checkpoint counts as good once a later
// step was finite, i.e. the loss and gradient at those parameters were finite.
// When a step produces a NaN or an infinity (in the loss, the gradient or the
// parameters) the method refuses it, the run stops with status Diverged and the
// parameters stay at their last finite values (or, when the parameters
// themselves went non-finite, at the newest good checkpoint).
// resumeAfterDivergence() goes back to the newest good checkpoint (at most
// 2 kCheckpointEvery steps back) and continues at a new learning rate.
struct DivergenceInfo {
  Index step = 0;             // the 1-based step whose loss, gradient or parameters were not finite
  std::string quantity;       // "loss", "gradient", "parameters" or "loss or gradient"
  Index restoreStep = -1;     // steps taken at the checkpoint a resume goes back to; -1: none
  double learningRate = 0.0;  // the rate of the diverged run
  bool restoredAlready = false;  // the parameters were non-finite and were restored at once
};

class Trainer {
 public:
  // Builds the data and the method. Throws InputError on a bad config or data file.
  explicit Trainer(SessionConfig config);
  // Uses the given data (e.g. edited in the GUI) instead of generating it.
  Trainer(SessionConfig config, std::shared_ptr<const DataSplit> data);

  // Takes up to `maxSteps` steps (never beyond the configured total). Stops early
  // when the callback says so or the objective stops being finite. Returns the
  // number of steps taken.
  Index run(Index maxSteps, const IterationCallback& callback = {});
  Index run() { return run(m_config.training.steps); }

  Index step() const { return m_step; }
  TrainerStatus status() const { return m_status; }
  bool finished() const { return m_status != TrainerStatus::Running; }
  // Why training stopped early (divergence), empty otherwise.
  const std::string& message() const { return m_message; }
  double trainingSeconds() const { return m_seconds; }
  // Set when status() == Diverged (and kept after a resume until the next divergence).
  const DivergenceInfo& divergence() const { return m_divergence; }
  // After a divergence: restores the newest good checkpoint (the parameters and
  // optimiser state of step divergence().restoreStep), sets the learning rate
  // and makes the run continue (status Running; the step count goes on from
  // where it was). Returns the step restored, or -1 when the method keeps no
  // checkpoints (its state was already finite) or the run had not diverged.
  Index resumeAfterDivergence(double learningRate);
  static constexpr Index kCheckpointEvery = 64;

  const SessionConfig& config() const { return m_config; }
  const DataSplit& data() const { return *m_data; }
  std::shared_ptr<const DataSplit> sharedData() const { return m_data; }
  const Likelihood& likelihood() const { return *m_likelihood; }
  std::shared_ptr<const Likelihood> sharedLikelihood() const { return m_likelihood; }
  const Prior& prior() const { return *m_prior; }
  std::shared_ptr<const Prior> sharedPrior() const { return m_prior; }
  const MethodDescriptor& method() const { return *m_descriptor; }
  InferenceMethod& methodState() { return *m_method; }
  const MlpLayout& layout() const { return m_layout; }
  // The metrics rows, in bounded memory (MetricsHistory): every row of a run of
  // up to 4096 steps; of a longer one the first, the latest, an even spacing in
  // between and the evaluated rows. Call from the thread that runs the trainer.
  const std::vector<MetricsRow>& history() const { return m_history.rows(); }
  const MetricsHistory& metrics() const { return m_history; }
  Index parameterCount() const { return m_method->parameterCount(); }

  std::shared_ptr<const Posterior> posterior() const { return m_method->posterior(); }

  // Sequential learning: the part of the training data in use (0-based), the
  // number of parts (1 without sequential learning) and the data of part k.
  Index currentPart() const { return m_part; }
  Index partCount() const { return m_parts.empty() ? 1 : static_cast<Index>(m_parts.size()); }
  const Dataset& partData(Index k) const {
    return m_parts.empty() ? m_data->train : *m_parts[static_cast<size_t>(k)];
  }
  // The KL weight used at a step (after warm-up).
  double klWeightAt(Index step) const;

  // Metrics on the whole test set.
  TestMetrics evaluateTest(int samples) const;
  // Metrics on the first kMonitorSize test points: what the metrics rows record.
  TestMetrics evaluateMonitor(int samples) const;
  static constexpr Index kMonitorSize = 512;

  // Mean minibatch ELBO over the last 10% of the steps taken (at most 100).
  double finalElbo() const;

  // Live knobs: take effect from the next step.
  void setLearningRate(double lr);
  void setKlWeight(double beta);
  void setPrior(const PriorConfig& prior);  // throws InputError
  // The method's live options (specs marked live) from `options`; the others
  // are ignored (they need a new trainer). Throws InputError on a bad value.
  void setMethodOptions(const OptionValues& options);

  // Painting: trains on `train` from the next step on, without a reset (the
  // method keeps its parameters and optimiser state; the test set stays). The
  // minibatch order restarts with a fresh shuffle of the new points, drawn from
  // the same batch stream, so a run with the same replacements at the same steps
  // is reproduced exactly. `train` must be of the same kind as the current set
  // (task, input dimension, classes) and not empty; sequential learning, which
  // splits the data itself, cannot take it. Throws InputError("dataset.points").
  void replaceTrainingData(Dataset train);

 private:
  void build();
  void buildParts(RandomStream rng);
  void useTrainingData(std::shared_ptr<const Dataset> data);
  Index partOfStep(Index step) const;
  void advancePart();
  void nextBatch();
  void saveCheckpoint();
  int goodCheckpoint() const;

  SessionConfig m_config;
  std::shared_ptr<const DataSplit> m_data;
  std::shared_ptr<const Dataset> m_train;
  std::shared_ptr<const Likelihood> m_likelihood;
  std::shared_ptr<const Prior> m_prior;
  const MethodDescriptor* m_descriptor = nullptr;
  MlpLayout m_layout;
  std::unique_ptr<InferenceMethod> m_method;
  Checkpointable* m_checkpointable = nullptr;           // m_method's checkpoints, if it keeps any
  std::vector<std::shared_ptr<const Dataset>> m_parts;  // sequential learning, else empty
  Index m_part = 0;
  Dataset m_monitor;  // the test points used for the periodic metrics

  RandomStream m_batchRng, m_stepRng, m_evalRng;
  std::vector<Index> m_order;
  Index m_cursor = 0;
  Batch m_batch;
  std::vector<Index> m_batchIndices;

  Index m_step = 0;
  double m_seconds = 0.0;
  TrainerStatus m_status = TrainerStatus::Running;
  std::string m_message;
  MetricsHistory m_history;

  struct CheckpointSlot {
    Index step = -1;    // steps taken when saved; -1: empty
    bool good = false;  // a step after it was finite
  };
  std::array<CheckpointSlot, 2> m_checkpoints;
  int m_newestCheckpoint = 1;
  DivergenceInfo m_divergence;
};

BAYESLAB_END_NAMESPACE
