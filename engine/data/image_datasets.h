#pragma once
// Image classification data sets:
//   mnist  the embedded MNIST subset (4000 training, 1000 test digits; no download)
//   idx    MNIST or Fashion-MNIST in IDX files (optionally .gz) from a folder
// Both take "digits": the classes to train on (e.g. "0-4"); the test images of
// the other classes become the out-of-distribution set. n_train / n_test draw a
// seeded random subset when smaller than what is available.
#include "engine/data/dataset_registry.h"
#include "engine/data/idx_reader.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor embeddedMnistDataset();
DatasetDescriptor idxFolderDataset();

// "0-4", "0,2,4", "0-3,7" -> a mask of classes; throws InputError (field "dataset.digits").
std::vector<bool> parseClassSelection(const std::string& text, int classes);

// Applies the class selection and size caps of a config to full train / test sets.
// A set used whole (all classes, no cap) is moved, not copied: full Fashion-MNIST
// is 188 MB of floats.
DataSplit selectImageSplit(Dataset train, Dataset test, const DatasetConfig& config,
                           const std::string& name);

BAYESLAB_END_NAMESPACE
