#pragma once
// The cost of being Bayesian, measured: for one session (its data, model,
// likelihood, prior and training options) every registered method (or a chosen
// list) is trained for the same number of steps from the same seed, and each
// gives one row:
//
//   parameters                the learned scalars, InferenceMethod::parameterCount()
//   parameters_formula        the lecture's count, MethodDescriptor::parameterFormula
//                             (e.g. deterministic Σ (d_in d_out + d_out), mean-field
//                             Gaussian 2 Σ (d_in d_out + d_out), ensemble K Σ (..)),
//                             and its value for the session's layout
//   state_bytes               InferenceMethod::stateBytes(): the parameters and what
//                             training keeps beside them (optimiser moments, samples,
//                             curvature)
//   ms_per_step               wall time of one training step: the steps after a few
//                             warm-up steps are cut into equal blocks, each block timed
//                             by the trainer (evaluation excluded), and the median
//                             block time divided by its steps (robust to other load)
//   ms_per_predictive_sample  wall time of Posterior::sampleOutputs on the test inputs,
//                             median of a few calls, divided by the number of draws
//   test_log_likelihood,      on the whole test set after the budget, as
//   test_rmse / _accuracy     `bayeslab-cli train` reports them
//
// The measurement never looks at a method's name. A method uses its default
// options, except the session's own method, which keeps the session's. Sequential
// learning is switched off (every method sees all the training data, so the rows
// compare like with like). A method that cannot run on the session (a prior or
// likelihood it rejects) gives a row with the reason instead of numbers.
//
// Progress leaves through a callback that returns Continue or Stop (cancel);
// rows measured before a stop are kept.
#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/errors.h"
#include "engine/training/session.h"
#include "engine/training/trainer.h"

BAYESLAB_BEGIN_NAMESPACE

struct CostOptions {
  // The default budget: the session's steps, at most this many.
  static constexpr Index kDefaultStepCap = 300;

  // Methods to measure, by id, in this order; empty: every registered method.
  std::vector<std::string> methods;
  // Training steps per method, the same for every method; 0: the session's steps
  // capped at kDefaultStepCap.
  Index steps = 0;
  // Steps at the start that are not timed (buffers sized, caches warm).
  Index warmupSteps = 10;
  // The timed steps are cut into this many equal blocks (fewer when there are
  // fewer steps); ms_per_step is the median block's time per step.
  int timedBlocks = 8;
  // Function draws of Posterior::sampleOutputs per timed call, and timed calls.
  int predictiveDraws = 32;
  int predictiveRepeats = 3;

  // Field names: "methods", "steps", ...
  std::optional<FieldError> validate() const;
  // The training steps every method gets for this session.
  Index budget(const SessionConfig& session) const;
  // The method ids measured, in order.
  std::vector<std::string> methodIds() const;
};

struct CostRow {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::string method;       // id
  std::string displayName;  // the descriptor's name
  bool ran = false;         // false: `note` says why it could not run
  std::string note;         // the reason, or a remark (divergence, hyperparameters)
  Index parameters = 0;
  // Of `parameters`, the learned likelihood and prior scalars (a learned noise,
  // an empirical-Bayes prior scale): the formula counts the network's only.
  Index hyperparameters = 0;
  std::string formula;      // the descriptor's formula, or why there is none
  Index formulaValue = -1;  // -1: the count is not a formula of the layout alone
  std::size_t stateBytes = 0;
  double msPerStep = kNaN;
  double msPerPredictiveSample = kNaN;
  double testLogLikelihood = kNaN;
  double testRmse = kNaN;      // regression
  double testAccuracy = kNaN;  // classification
  Index steps = 0;             // training steps taken
  bool diverged = false;
};

struct CostMeasurement {
  Task task = Task::Regression;
  std::string layout;  // "1-64-64-1"
  Index steps = 0;     // the budget each method had
  int threads = 1;
  int predictiveDraws = 0;
  Index testPoints = 0;
  std::vector<CostRow> rows;  // in the order measured
  bool cancelled = false;     // stopped by the callback: the rows so far
  double seconds = 0.0;       // the whole measurement
  std::string note;           // what was changed from the session (sequential learning off)
};

// Where a measurement is. `row` is set once per method, when its row is complete.
struct CostProgress {
  Index method = 0;  // 0-based position in the list
  Index methodCount = 0;
  std::string methodId;
  Index step = 0;  // training steps of this method so far
  Index steps = 0;
  double seconds = 0.0;  // the training time of those steps
  const CostRow* row = nullptr;
  // The whole measurement's completed fraction, counting each method alike.
  double fraction() const;
  // The training time this method still needs for its budget, at its pace so far
  // (NaN before its first step).
  double secondsLeft() const;
};

using CostCallback = std::function<CallbackResult(const CostProgress&)>;

// Measures. `data`, when given, replaces the data the session would generate (the
// GUI's edited points). Throws InputError for a bad session or bad options (the
// session's own fields, or "methods" / "steps"); a method that cannot run gives a
// row with the reason.
CostMeasurement measureCost(const SessionConfig& session, const CostOptions& options = {},
                            const CostCallback& callback = {},
                            std::shared_ptr<const DataSplit> data = nullptr);

// The text of CostRow::formula when a descriptor has no formula.
extern const char* const kNoParameterFormula;

BAYESLAB_END_NAMESPACE
