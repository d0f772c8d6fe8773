#pragma once
// The catalogue of data sets: toy generators and file loaders.
//
// Adding a data set: write one file under data/toy/ (or a loader) returning a
// DatasetDescriptor, and add one line to dataset_registry.cpp.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/options.h"
#include "engine/core/random.h"
#include "engine/data/dataset.h"

BAYESLAB_BEGIN_NAMESPACE

struct DatasetConfig {
  std::string name = "blundell";
  Index nTrain = 256;
  Index nTest = 256;
  std::optional<double> noise;  // unset: the data set's default
  std::uint64_t seed = 1;
  OptionValues options;  // data-set specific knobs (classes, input_dim, path, ...)
  // Painted data (painted_points.h): when set, these rows are the training set and
  // the data set above gives only the task and the test set.
  std::optional<std::vector<std::vector<double>>> points;

  std::optional<FieldError> validate() const;
  bool operator==(const DatasetConfig&) const = default;
};

struct DatasetDescriptor {
  std::string id;
  std::string displayName;
  std::string description;  // one paragraph for the UI
  Task task = Task::Regression;
  double defaultNoise = 0.0;
  Index defaultTrainSize = 256;  // what a new session (or a file without n_train) uses
  Index defaultTestSize = 256;
  bool usesNoise = true;  // false for file-backed sets
  std::string noiseTooltip;
  OptionSpecs options;
  // Synthetic sets: n examples drawn with the given noise.
  std::function<Dataset(Index n, double noise, const OptionValues&, RandomStream&)> generate;
  // File-backed sets: the whole split (throws InputError). n_train / n_test cap the sizes.
  std::function<DataSplit(const DatasetConfig&)> load;
};

const std::vector<DatasetDescriptor>& datasetRegistry();
const DatasetDescriptor* findDataset(const std::string& id);

// Builds the split a config describes: training and test sets are drawn from
// independent streams derived from `seed`. Throws InputError for bad files.
DataSplit makeDataSplit(const DatasetConfig& config);

BAYESLAB_END_NAMESPACE
