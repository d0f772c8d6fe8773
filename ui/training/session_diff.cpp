#include "ui/training/session_diff.h"

namespace bayeslab::ui {

namespace {

// The live prior options of `edited` replaced by those of `running`.
PriorConfig withRunningLiveOptions(const PriorConfig& running, const PriorConfig& edited) {
  PriorConfig out = edited;
  if (running.name != edited.name) return out;
  const PriorDescriptor* d = findPrior(edited.name);
  if (!d) return out;
  const OptionValues runningValues = withDefaults(d->options, running.options);
  OptionValues values = withDefaults(d->options, edited.options);
  for (const OptionSpec& spec : d->options) {
    if (!spec.live) continue;
    const auto& all = runningValues.values();
    const auto it = all.find(spec.key);
    if (it == all.end()) continue;
    if (const auto* text = std::get_if<std::string>(&it->second))
      values.set(spec.key, *text);
    else
      values.set(spec.key, std::get<double>(it->second));
  }
  out.options = values;
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
  auto resolveData = [](DatasetConfig& c) {
    if (const DatasetDescriptor* d = findDataset(c.name)) {
      c.options = withDefaults(d->options, c.options);
      if (!c.noise && d->generate) c.noise = d->defaultNoise;
    }
  };
  resolveMethod(a.method);
  resolveMethod(b.method);
  resolveData(a.dataset);
  resolveData(b.dataset);
  diff.structural = !(a == b);
  return diff;
}

}  // namespace bayeslab::ui
