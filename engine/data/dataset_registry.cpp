#include "engine/data/dataset_registry.h"

#include <cmath>

#include "engine/core/errors.h"
#include "engine/data/csv_dataset.h"
#include "engine/data/painted_points.h"
#include "engine/data/image_datasets.h"
#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

const std::vector<DatasetDescriptor>& datasetRegistry() {
  static const std::vector<DatasetDescriptor> registry = {
      blundellDataset(),  cubicDataset(), gapDataset(),     heteroscedasticDataset(),
      linearDataset(),    moonsDataset(), circlesDataset(), xorDataset(),
      spiralDataset(),    blobsDataset(), csvDataset(),     embeddedMnistDataset(),
      idxFolderDataset(),
  };
  return registry;
}

const DatasetDescriptor* findDataset(const std::string& id) {
  for (const auto& d : datasetRegistry())
    if (d.id == id) return &d;
  return nullptr;
}

std::optional<FieldError> DatasetConfig::validate() const {
  const DatasetDescriptor* d = findDataset(name);
  if (!d) {
    std::string list;
    for (const auto& e : datasetRegistry()) list += (list.empty() ? "" : ", ") + e.id;
    return FieldError{"dataset.name", "unknown data set '" + name + "' (known: " + list + ")"};
  }
  if (nTrain < 1 || nTrain > 10'000'000) return FieldError{"dataset.n_train", "must be 1..1e7"};
  if (nTest < 0 || nTest > 10'000'000) return FieldError{"dataset.n_test", "must be 0..1e7"};
  if (noise && (!std::isfinite(*noise) || *noise < 0.0 || *noise > 1e6))
    return FieldError{"dataset.noise", "must be a finite number >= 0"};
  if (points) {
    if (points->empty()) return FieldError{"dataset.points", "needs at least one point"};
    if (points->size() > 1'000'000) return FieldError{"dataset.points", "at most 1e6 points"};
  }
  return validateOptions(d->options, options, "dataset");
}

DataSplit makeDataSplit(const DatasetConfig& config) {
  if (auto error = config.validate()) throw InputError("", error->field, error->message);
  const DatasetDescriptor& d = *findDataset(config.name);
  const OptionValues options = withDefaults(d.options, config.options);
  if (d.load) {
    DatasetConfig resolved = config;
    resolved.options = options;
    DataSplit split = d.load(resolved);
    if (config.points) split.train = datasetFromPoints(*config.points, split.train);
    return split;
  }
  const double noise = config.noise.value_or(d.defaultNoise);
  const RandomStream root(config.seed);
  RandomStream trainRng = root.derive("train");
  RandomStream testRng = root.derive("test");
  DataSplit split;
  split.name = d.id;
  split.train = d.generate(config.nTrain, noise, options, trainRng);
  split.test = d.generate(config.nTest, noise, options, testRng);
  if (config.points) split.train = datasetFromPoints(*config.points, split.train);
  return split;
}

BAYESLAB_END_NAMESPACE
