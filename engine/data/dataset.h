#pragma once
// Data sets as the engine sees them: one example per column.

#include <memory>
#include <string>
#include <vector>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

enum class Task { Regression, Classification };

const char* taskName(Task task);

struct Dataset {
  Task task = Task::Regression;
  Matrix inputs;       // d x N, one example per column
  Matrix targets;      // regression: 1 x N; empty for classification
  IndexVector labels;  // classification: N labels in [0, classes); empty for regression
  int classes = 0;     // classification only
  int imageWidth = 0;  // > 0 when each column is a row-major image
  int imageHeight = 0;

  Index size() const { return inputs.cols(); }
  Index inputDim() const { return inputs.rows(); }
  bool isImage() const { return imageWidth > 0 && imageHeight > 0; }

  // Appends example j of `other` (same task and dimensions).
  void append(const Dataset& other, Index j);
  // A data set of the same kind holding the chosen examples, in order.
  Dataset subset(const std::vector<Index>& indices) const;
  Dataset emptyLike() const;
};

// The training and test sets of one session, and, for image sets trained on a
// subset of the classes, the held-out classes' test images (out of distribution).
struct DataSplit {
  std::string name;
  Dataset train;
  Dataset test;
  Dataset outOfDistribution;  // empty unless some classes are held out
};

// A minibatch gathered from a data set; storage is reused from step to step.
struct Batch {
  Matrix inputs;
  Matrix targets;
  IndexVector labels;
  Index size() const { return inputs.cols(); }

  void gather(const Dataset& data, const Index* indices, Index count);
};

// A view of the targets of a contiguous range of a batch or data set.
struct TargetView {
  const Real* values = nullptr;  // rows x count, column-major (regression)
  Index rows = 0;
  const int* labels = nullptr;  // count labels (classification)
  Index count = 0;

  static TargetView of(const Dataset& data, Index begin, Index count);
  static TargetView of(const Batch& batch, Index begin, Index count);
};

// Axis-aligned bounds of the inputs (per input dimension).
struct InputBounds {
  Vector lower, upper;
};
InputBounds inputBounds(const Dataset& data);

BAYESLAB_END_NAMESPACE
