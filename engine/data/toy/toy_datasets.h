#pragma once
// Synthetic data sets, one per file in this folder.

#include "engine/data/dataset_registry.h"

BAYESLAB_BEGIN_NAMESPACE

DatasetDescriptor blundellDataset();
DatasetDescriptor cubicDataset();
DatasetDescriptor gapDataset();
DatasetDescriptor heteroscedasticDataset();
DatasetDescriptor linearDataset();
DatasetDescriptor moonsDataset();
DatasetDescriptor circlesDataset();
DatasetDescriptor xorDataset();
DatasetDescriptor spiralDataset();
DatasetDescriptor blobsDataset();

// Shared helpers for the 1-D regression generators.
Dataset makeRegression(const ArrayX& x, const ArrayX& y);
Dataset makeClassification(const Matrix& inputs, const IndexVector& labels, int classes);

BAYESLAB_END_NAMESPACE
