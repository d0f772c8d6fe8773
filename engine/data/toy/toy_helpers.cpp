#include "engine/data/toy/toy_datasets.h"

BAYESLAB_BEGIN_NAMESPACE

Dataset makeRegression(const ArrayX& x, const ArrayX& y) {
  Dataset d;
  d.task = Task::Regression;
  d.inputs = x.matrix().transpose();
  d.targets = y.matrix().transpose();
  return d;
}

Dataset makeClassification(const Matrix& inputs, const IndexVector& labels, int classes) {
  Dataset d;
  d.task = Task::Classification;
  d.inputs = inputs;
  d.labels = labels;
  d.classes = classes;
  return d;
}

BAYESLAB_END_NAMESPACE
