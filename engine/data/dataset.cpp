#include "engine/data/dataset.h"

#include <cassert>

BAYESLAB_BEGIN_NAMESPACE

const char* taskName(Task task) {
  return task == Task::Regression ? "regression" : "classification";
}

void Dataset::append(const Dataset& other, Index j) {
  const Index n = size();
  if (inputs.size() == 0) inputs.resize(other.inputDim(), 0);
  inputs.conservativeResize(other.inputDim(), n + 1);
  inputs.col(n) = other.inputs.col(j);
  if (task == Task::Regression) {
    if (targets.size() == 0) targets.resize(other.targets.rows(), 0);
    targets.conservativeResize(other.targets.rows(), n + 1);
    targets.col(n) = other.targets.col(j);
  } else {
    labels.conservativeResize(n + 1);
    labels(n) = other.labels(j);
  }
}

Dataset Dataset::emptyLike() const {
  Dataset d;
  d.task = task;
  d.classes = classes;
  d.imageWidth = imageWidth;
  d.imageHeight = imageHeight;
  d.inputs.resize(inputDim(), 0);
  if (task == Task::Regression) d.targets.resize(targets.rows(), 0);
  return d;
}

Dataset Dataset::subset(const std::vector<Index>& indices) const {
  Dataset d = emptyLike();
  const Index m = static_cast<Index>(indices.size());
  d.inputs.resize(inputDim(), m);
  if (task == Task::Regression)
    d.targets.resize(targets.rows(), m);
  else
    d.labels.resize(m);
  for (Index k = 0; k < m; ++k) {
    const Index j = indices[static_cast<size_t>(k)];
    d.inputs.col(k) = inputs.col(j);
    if (task == Task::Regression)
      d.targets.col(k) = targets.col(j);
    else
      d.labels(k) = labels(j);
  }
  return d;
}

void Batch::gather(const Dataset& data, const Index* indices, Index count) {
  inputs.resize(data.inputDim(), count);  // no reallocation once sized
  for (Index k = 0; k < count; ++k) inputs.col(k) = data.inputs.col(indices[k]);
  if (data.task == Task::Regression) {
    targets.resize(data.targets.rows(), count);
    for (Index k = 0; k < count; ++k) targets.col(k) = data.targets.col(indices[k]);
  } else {
    labels.resize(count);
    for (Index k = 0; k < count; ++k) labels(k) = data.labels(indices[k]);
  }
}

TargetView TargetView::of(const Dataset& data, Index begin, Index count) {
  TargetView v;
  v.count = count;
  if (data.task == Task::Regression) {
    v.rows = data.targets.rows();
    v.values = data.targets.data() + begin * v.rows;
  } else {
    v.labels = data.labels.data() + begin;
  }
  return v;
}

TargetView TargetView::of(const Batch& batch, Index begin, Index count) {
  TargetView v;
  v.count = count;
  if (batch.targets.size() > 0) {
    v.rows = batch.targets.rows();
    v.values = batch.targets.data() + begin * v.rows;
  }
  if (batch.labels.size() > 0) v.labels = batch.labels.data() + begin;
  return v;
}

InputBounds inputBounds(const Dataset& data) {
  InputBounds b;
  if (data.size() == 0) {
    b.lower = Vector::Zero(data.inputDim());
    b.upper = Vector::Ones(data.inputDim());
    return b;
  }
  b.lower = data.inputs.rowwise().minCoeff();
  b.upper = data.inputs.rowwise().maxCoeff();
  return b;
}

BAYESLAB_END_NAMESPACE
