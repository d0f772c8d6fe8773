#include "engine/data/image_datasets.h"

#include <filesystem>
#include <sstream>

#include "engine/core/errors.h"
#include "engine/data/embedded/embedded_digits.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

OptionSpec digitsOption() {
  return OptionSpec::text("digits", "Classes",
                          "Classes to train on, e.g. 0-9, 0-4 or 0,1,7. The test images of the "
                          "other classes become the out-of-distribution set.",
                          "0-9");
}

// A seeded random subset of `indices` of at most `count` elements, in their original order.
std::vector<Index> capped(std::vector<Index> indices, Index count, RandomStream rng) {
  if (static_cast<Index>(indices.size()) <= count) return indices;
  rng.shuffle(indices.begin(), indices.end());
  indices.resize(static_cast<size_t>(count));
  std::sort(indices.begin(), indices.end());
  return indices;
}

// data.subset(indices), moving the data instead when the indices are all of it in order.
Dataset takeSubset(Dataset data, const std::vector<Index>& indices) {
  bool whole = static_cast<Index>(indices.size()) == data.size();
  for (size_t i = 0; whole && i < indices.size(); ++i) whole = indices[i] == static_cast<Index>(i);
  return whole ? std::move(data) : data.subset(indices);
}

std::string findIdxFile(const std::filesystem::path& folder, const std::string& stem) {
  for (const char* suffix : {"", ".gz"}) {
    const auto path = folder / (stem + suffix);
    if (std::filesystem::is_regular_file(path)) return path.string();
  }
  throw InputError(folder.string(), "dataset.path",
                   "no " + stem + " (or " + stem + ".gz) in this folder");
}

}  // namespace

std::vector<bool> parseClassSelection(const std::string& text, int classes) {
  std::vector<bool> mask(static_cast<size_t>(classes), false);
  std::stringstream ss(text);
  std::string part;
  bool any = false;
  const auto bad = [&](const std::string& why) {
    throw InputError("", "dataset.digits", "'" + text + "': " + why);
  };
  while (std::getline(ss, part, ',')) {
    part.erase(0, part.find_first_not_of(" \t"));
    part.erase(part.find_last_not_of(" \t") + 1);
    if (part.empty()) bad("empty entry");
    int lo = 0, hi = 0;
    char dash = 0;
    std::istringstream is(part);
    if (!(is >> lo)) bad("expected a class number");
    hi = lo;
    if (is >> dash) {
      if (dash != '-' || !(is >> hi)) bad("expected a range like 0-4");
    }
    if (!is.eof() && is.peek() != EOF) bad("unexpected text");
    if (lo < 0 || hi >= classes || lo > hi)
      bad("classes must be within 0-" + std::to_string(classes - 1));
    for (int k = lo; k <= hi; ++k) mask[static_cast<size_t>(k)] = true;
    any = true;
  }
  if (!any) bad("no classes selected");
  return mask;
}

DataSplit selectImageSplit(Dataset train, Dataset test, const DatasetConfig& config,
                           const std::string& name) {
  const int classes = std::max(train.classes, test.classes);
  const std::vector<bool> keep = parseClassSelection(config.options.text("digits"), classes);
  std::vector<Index> trainIdx, testIdx, oodIdx;
  for (Index i = 0; i < train.size(); ++i)
    if (keep[static_cast<size_t>(train.labels(i))]) trainIdx.push_back(i);
  for (Index i = 0; i < test.size(); ++i)
    (keep[static_cast<size_t>(test.labels(i))] ? testIdx : oodIdx).push_back(i);
  if (trainIdx.empty())
    throw InputError("", "dataset.digits", "no training images of the chosen classes");
  const RandomStream root(config.seed);
  DataSplit split;
  split.name = name;
  trainIdx = capped(std::move(trainIdx), config.nTrain, root.derive("train"));
  testIdx = capped(std::move(testIdx), config.nTest, root.derive("test"));
  oodIdx = capped(std::move(oodIdx), config.nTest, root.derive("ood"));
  split.outOfDistribution = test.subset(oodIdx);
  split.train = takeSubset(std::move(train), trainIdx);
  split.test = takeSubset(std::move(test), testIdx);
  split.train.classes = split.test.classes = split.outOfDistribution.classes = classes;
  return split;
}

DatasetDescriptor embeddedMnistDataset() {
  DatasetDescriptor d;
  d.id = "mnist";
  d.displayName = "MNIST digits (embedded)";
  d.description =
      "5000 real MNIST digits (28\u00d728) shipped inside BayesLab: 4000 for training, 1000 for "
      "testing, from OpenCV's digits.png. Train on a subset of the classes to test "
      "out-of-distribution detection on the others.";
  d.task = Task::Classification;
  d.usesNoise = false;
  d.defaultTrainSize = 4000;
  d.defaultTestSize = 1000;
  d.options = {digitsOption()};
  d.load = [](const DatasetConfig& config) {
    Dataset train =
        imageDataset(parseIdx(embedded::digitsTrainImages(), "embedded training images"),
                     parseIdx(embedded::digitsTrainLabels(), "embedded training labels"),
                     "embedded training images", "embedded training labels");
    Dataset test = imageDataset(parseIdx(embedded::digitsTestImages(), "embedded test images"),
                                parseIdx(embedded::digitsTestLabels(), "embedded test labels"),
                                "embedded test images", "embedded test labels");
    return selectImageSplit(std::move(train), std::move(test), config, "mnist");
  };
  return d;
}

DatasetDescriptor idxFolderDataset() {
  DatasetDescriptor d;
  d.id = "idx";
  d.displayName = "MNIST / Fashion-MNIST folder (IDX)";
  d.description =
      "Full MNIST or Fashion-MNIST from a folder holding train-images-idx3-ubyte, "
      "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each "
      "optionally .gz).";
  d.task = Task::Classification;
  d.usesNoise = false;
  d.defaultTrainSize = 60000;
  d.defaultTestSize = 10000;
  d.options = {OptionSpec::text("path", "Folder", "Folder with the four IDX files."),
               digitsOption()};
  d.load = [](const DatasetConfig& config) {
    const std::string& folder = config.options.text("path");
    if (folder.empty()) throw InputError("", "dataset.path", "an IDX data set needs a folder");
    if (!std::filesystem::is_directory(folder))
      throw InputError(folder, "dataset.path", "not a folder");
    const std::string trainImages = findIdxFile(folder, "train-images-idx3-ubyte");
    const std::string trainLabels = findIdxFile(folder, "train-labels-idx1-ubyte");
    const std::string testImages = findIdxFile(folder, "t10k-images-idx3-ubyte");
    const std::string testLabels = findIdxFile(folder, "t10k-labels-idx1-ubyte");
    Dataset train =
        imageDataset(readIdxFile(trainImages), readIdxFile(trainLabels), trainImages, trainLabels);
    Dataset test =
        imageDataset(readIdxFile(testImages), readIdxFile(testLabels), testImages, testLabels);
    if (train.imageWidth != test.imageWidth || train.imageHeight != test.imageHeight)
      throw InputError(testImages, "", "test images differ in size from the training images");
    return selectImageSplit(std::move(train), std::move(test), config, "idx");
  };
  return d;
}

BAYESLAB_END_NAMESPACE
