#include "engine/diagnostics/cost_measurement.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>

BAYESLAB_BEGIN_NAMESPACE

const char* const kNoParameterFormula = "not a formula of the layout alone";

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> values) {
  if (values.empty()) return CostRow::kNaN;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// Median time per step over equal blocks of the steps after the warm-up, from
// the trainer's cumulative step times (which leave out the test evaluations).
// The history of a long run is thinned (MetricsHistory): block ends fall on the
// last kept row at or before them, and each block is divided by its own steps.
double millisecondsPerStep(const std::vector<MetricsRow>& history, const CostOptions& options) {
  if (history.empty()) return CostRow::kNaN;
  const Index taken = history.back().step;
  // Short budgets keep at least four fifths of their steps for timing.
  const Index warmup = std::min(options.warmupSteps, taken / 5);
  const Index timed = taken - warmup;
  const Index blocks = std::max<Index>(1, std::min<Index>(options.timedBlocks, timed));
  const Index size = timed / blocks;
  // The last blocks * size steps; the remainder joins the warm-up.
  const Index first = taken - blocks * size;
  // (step, seconds) of the last row at or before step s; (0, 0) before the first row.
  const auto at = [&](Index s) -> std::pair<Index, double> {
    auto it = std::upper_bound(history.begin(), history.end(), s,
                               [](Index v, const MetricsRow& r) { return v < r.step; });
    if (it == history.begin()) return {0, 0.0};
    --it;
    return {it->step, it->seconds};
  };
  std::vector<double> perStep;
  for (Index b = 0; b < blocks; ++b) {
    const auto [s0, t0] = at(first + b * size);
    const auto [s1, t1] = at(first + (b + 1) * size);
    if (s1 > s0) perStep.push_back((t1 - t0) / static_cast<double>(s1 - s0));
  }
  if (perStep.empty()) return CostRow::kNaN;
  return 1e3 * median(std::move(perStep));
}

double millisecondsPerPredictiveSample(const Posterior& posterior, const Dataset& test,
                                       const CostOptions& options, std::uint64_t seed,
                                       int threads) {
  if (test.size() == 0) return CostRow::kNaN;
  const RandomStream rng = RandomStream(seed).derive("cost-predictive");
  std::vector<Matrix> out;
  // The first call sizes the outputs and warms the caches: not timed.
  posterior.sampleOutputs(test.inputs, options.predictiveDraws, rng, threads, out);
  std::vector<double> times;
  for (int r = 0; r < options.predictiveRepeats; ++r) {
    const auto start = Clock::now();
    posterior.sampleOutputs(test.inputs, options.predictiveDraws,
                            rng.derive(static_cast<std::uint64_t>(r)), threads, out);
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return median(std::move(times)) / options.predictiveDraws;
}

}  // namespace

std::optional<FieldError> CostOptions::validate() const {
  for (const std::string& id : methods)
    if (!findMethod(id)) {
      std::string list;
      for (const auto& m : methodRegistry()) list += (list.empty() ? "" : ", ") + m.id;
      return FieldError{"methods", "unknown method '" + id + "' (known: " + list + ")"};
    }
  for (size_t i = 0; i < methods.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (methods[i] == methods[j])
        return FieldError{"methods", "method '" + methods[i] + "' is listed twice"};
  if (steps < 0) return FieldError{"steps", "must be >= 1 (or 0: the session's steps, capped)"};
  if (warmupSteps < 0) return FieldError{"warmup_steps", "must be >= 0"};
  if (timedBlocks < 1) return FieldError{"timed_blocks", "must be >= 1"};
  if (predictiveDraws < 1) return FieldError{"predictive_draws", "must be >= 1"};
  if (predictiveRepeats < 1) return FieldError{"predictive_repeats", "must be >= 1"};
  return std::nullopt;
}

Index CostOptions::budget(const SessionConfig& session) const {
  if (steps > 0) return steps;
  const Index own = session.training.steps;
  return own > 0 ? std::min(own, kDefaultStepCap) : kDefaultStepCap;
}

std::vector<std::string> CostOptions::methodIds() const {
  if (!methods.empty()) return methods;
  std::vector<std::string> ids;
  for (const MethodDescriptor& d : methodRegistry()) ids.push_back(d.id);
  return ids;
}

double CostProgress::fraction() const {
  if (methodCount <= 0) return 0.0;
  const double within = steps > 0 ? static_cast<double>(step) / static_cast<double>(steps) : 0.0;
  return std::clamp(
      (static_cast<double>(method) + (row ? 1.0 : within)) / static_cast<double>(methodCount), 0.0,
      1.0);
}

double CostProgress::secondsLeft() const {
  if (step <= 0) return CostRow::kNaN;
  return seconds / static_cast<double>(step) *
         static_cast<double>(std::max<Index>(0, steps - step));
}

CostMeasurement measureCost(const SessionConfig& session, const CostOptions& options,
                            const CostCallback& callback, std::shared_ptr<const DataSplit> data) {
  const auto started = Clock::now();
  if (auto error = session.validate()) throw InputError("", error->field, error->message);
  if (auto error = options.validate()) throw InputError("", error->field, error->message);
  if (!data) data = std::make_shared<const DataSplit>(makeDataSplit(session.dataset));
  const Index budget = options.budget(session);
  const std::vector<std::string> ids = options.methodIds();
  // A likelihood that does not fit the data is the session's fault, not a method's.
  const auto likelihood = makeLikelihood(session.likelihood, data->train);

  CostMeasurement result;
  result.task = data->train.task;
  result.layout =
      MlpLayout(data->train.inputDim(), session.model.hidden, likelihood->outputDim(data->train))
          .describe();
  result.steps = budget;
  result.threads = session.training.threads;
  result.predictiveDraws = options.predictiveDraws;
  result.testPoints = data->test.size();
  if (session.sequential.enabled())
    result.note =
        "sequential learning is off for the measurement: every method trains on all "
        "the data";

  const auto report = [&](CostProgress progress) {
    return !callback || callback(progress) == CallbackResult::Continue;
  };

  for (size_t k = 0; k < ids.size(); ++k) {
    const MethodDescriptor& descriptor = *findMethod(ids[k]);
    CostProgress progress;
    progress.method = static_cast<Index>(k);
    progress.methodCount = static_cast<Index>(ids.size());
    progress.methodId = descriptor.id;
    progress.steps = budget;
    if (!report(progress)) {
      result.cancelled = true;
      break;
    }

    SessionConfig config = session;
    config.method.name = descriptor.id;
    // The session's own method keeps its options; the others take their defaults.
    if (session.method.name != descriptor.id) config.method.options = OptionValues();
    config.sequential = SequentialConfig();
    config.training.steps = budget;
    config.training.evalEvery = budget;  // the monitor's metrics at the end only

    CostRow row;
    row.method = descriptor.id;
    row.displayName = descriptor.displayName;
    row.formula =
        descriptor.parameterFormula.empty() ? kNoParameterFormula : descriptor.parameterFormula;
    bool cancelled = false;
    try {
      Trainer trainer(config, data);
      if (descriptor.formulaParameterCount && !descriptor.parameterFormula.empty())
        row.formulaValue = descriptor.formulaParameterCount(
            trainer.layout(), withDefaults(descriptor.options, config.method.options));
      trainer.run(budget, [&](const MetricsRow& metrics) {
        progress.step = metrics.step;
        progress.seconds = metrics.seconds;
        if (report(progress)) return CallbackResult::Continue;
        cancelled = true;
        return CallbackResult::Stop;
      });
      if (!cancelled) {
        row.ran = true;
        row.steps = trainer.step();
        row.diverged = trainer.status() == TrainerStatus::Diverged;
        row.parameters = trainer.parameterCount();
        row.hyperparameters =
            trainer.likelihood().parameterCount() + trainer.prior().hyperparameterCount();
        row.msPerStep = millisecondsPerStep(trainer.history(), options);
        const TestMetrics test = trainer.evaluateTest(config.training.evalSamples);
        row.testLogLikelihood = test.logLikelihood;
        row.testRmse = test.rmse;
        row.testAccuracy = test.accuracy;
        row.msPerPredictiveSample =
            millisecondsPerPredictiveSample(*trainer.posterior(), data->test, options,
                                            config.training.seed, config.training.threads);
        // After the budget: what a sampler has kept by then, a cached curvature.
        row.stateBytes = trainer.methodState().stateBytes();
        if (row.diverged)
          row.note = trainer.message();
        else if (row.hyperparameters > 0)
          row.note = "parameters include " + std::to_string(row.hyperparameters) +
                     " learned likelihood / prior scalar" + (row.hyperparameters > 1 ? "s" : "");
      }
    } catch (const InputError& e) {
      // The session is valid, so this is the method refusing it (a prior, a likelihood).
      row.note = "cannot run on this session: " +
                 (e.field().empty() ? e.message() : e.field() + ": " + e.message());
    } catch (const std::exception& e) {
      row.note = std::string("failed: ") + e.what();
    }
    if (cancelled) {
      result.cancelled = true;
      break;
    }
    result.rows.push_back(std::move(row));
    progress.row = &result.rows.back();
    progress.step = result.rows.back().steps;
    progress.seconds = 0.0;
    if (!report(progress)) {
      result.cancelled = true;
      break;
    }
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return result;
}

BAYESLAB_END_NAMESPACE
