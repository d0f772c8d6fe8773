#include "ui/training/session_diff.h"

namespace bayeslab::ui {

namespace {

// `edited` (completed with defaults) with its live options replaced by those of `running`.
OptionValues withRunningLiveValues(const OptionSpecs& specs, const OptionValues& running,
                                   const OptionValues& edited) {
  const OptionValues runningValues = withDefaults(specs, running);
  OptionValues values = withDefaults(specs, edited);
  for (const OptionSpec& spec : specs) {
    if (!spec.live) continue;
    const auto& all = runningValues.values();
    const auto it = all.find(spec.key);
    if (it == all.end()) continue;
    if (const auto* text = std::get_if<std::string>(&it->second))
      values.set(spec.key, *text);
    else
      values.set(spec.key, std::get<double>(it->second));
  }
  return values;
}

// The live prior options of `edited` replaced by those of `running`.
PriorConfig withRunningLiveOptions(const PriorConfig& running, const PriorConfig& edited) {
  PriorConfig out = edited;
  if (running.name != edited.name) return out;
  const PriorDescriptor* d = findPrior(edited.name);
  if (!d) return out;
  out.options = withRunningLiveValues(d->options, running.options, edited.options);
  return out;
}

}  // namespace

SessionDiff diffSessions(const SessionConfig& running, const SessionConfig& edited) {
  SessionDiff diff;
  if (edited.training.learningRate != running.training.learningRate)
    diff.learningRate = edited.training.learningRate;
  if (edited.training.klWeight != running.training.klWeight)
    diff.klWeight = edited.training.klWeight;

  // Compare with options completed by their defaults so that "unset" and
  // "set to the default" do not count as a change.
  PriorConfig runningPrior = running.prior;
  runningPrior.options = resolvedPriorOptions(running.prior);
  PriorConfig editedPrior = edited.prior;
  editedPrior.options = resolvedPriorOptions(edited.prior);
  const PriorConfig editedStructure = withRunningLiveOptions(runningPrior, editedPrior);
  if (editedStructure == runningPrior && editedPrior != runningPrior) diff.prior = editedPrior;

  SessionConfig a = running, b = edited;
  a.prior = runningPrior;
  b.prior = editedPrior.name == runningPrior.name && editedStructure == runningPrior ? runningPrior
                                                                                     : editedPrior;
  b.training.learningRate = a.training.learningRate;
  b.training.klWeight = a.training.klWeight;
  auto resolveMethod = [](MethodConfig& m) {
    if (const MethodDescriptor* d = findMethod(m.name))
      m.options = withDefaults(d->options, m.options);
  };
  // Live method options: the same method, differing only in options marked live.
  if (running.method.name == edited.method.name) {
    if (const MethodDescriptor* d = findMethod(edited.method.name)) {
      const OptionValues editedOptions = withDefaults(d->options, edited.method.options);
      const OptionValues methodStructure =
          withRunningLiveValues(d->options, running.method.options, edited.method.options);
      if (methodStructure == withDefaults(d->options, running.method.options) &&
          editedOptions != methodStructure) {
        diff.methodOptions = editedOptions;
        b.method.options = methodStructure;
      }
    }
  }
  auto resolveData = [](DatasetConfig& c) {
    if (const DatasetDescriptor* d = findDataset(c.name)) {
      c.options = withDefaults(d->options, c.options);
      if (!c.noise && d->generate) c.noise = d->defaultNoise;
    }
  };
  resolveMethod(a.method);
  if (!diff.methodOptions) resolveMethod(b.method);
  resolveData(a.dataset);
  resolveData(b.dataset);
  diff.structural = !(a == b);
  return diff;
}

}  // namespace bayeslab::ui
