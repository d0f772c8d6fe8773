#include "engine/data/painted_points.h"

#include <algorithm>
#include <cmath>

#include "engine/core/errors.h"

BAYESLAB_BEGIN_NAMESPACE

Dataset datasetFromPoints(const PointList& points, const Dataset& like, const std::string& field) {
  if (like.isImage())
    throw InputError("", field, "points can replace the training set of a toy or CSV data set, "
                                "not of an image data set");
  if (points.empty()) throw InputError("", field, "needs at least one point");
  const Index d = like.inputDim();
  const bool regression = like.task == Task::Regression;
  const Index targetRows = regression ? std::max<Index>(1, like.targets.rows()) : 1;
  const size_t width = static_cast<size_t>(d + targetRows);
  Dataset out = like.emptyLike();
  const Index n = static_cast<Index>(points.size());
  out.inputs.resize(d, n);
  if (regression)
    out.targets.resize(targetRows, n);
  else
    out.labels.resize(n);
  for (Index i = 0; i < n; ++i) {
    const std::vector<double>& row = points[static_cast<size_t>(i)];
    const std::string at = field + "[" + std::to_string(i) + "]";
    if (row.size() != width)
      throw InputError("", at,
                       "expected " + std::to_string(width) + " numbers (" +
                           (regression ? "the inputs, then the target" : "the inputs, then the class") +
                           "), got " + std::to_string(row.size()));
    for (double v : row)
      if (!std::isfinite(v)) throw InputError("", at, "values must be finite");
    for (Index k = 0; k < d; ++k) out.inputs(k, i) = static_cast<Real>(row[static_cast<size_t>(k)]);
    if (regression) {
      for (Index k = 0; k < targetRows; ++k)
        out.targets(k, i) = static_cast<Real>(row[static_cast<size_t>(d + k)]);
    } else {
      const double c = row.back();
      if (c != std::floor(c) || c < 0 || c >= like.classes)
        throw InputError("", at,
                         "the class must be a whole number from 0 to " +
                             std::to_string(like.classes - 1));
      out.labels(i) = static_cast<int>(c);
    }
  }
  return out;
}

PointList pointsOf(const Dataset& data) {
  PointList points(static_cast<size_t>(data.size()));
  for (Index i = 0; i < data.size(); ++i) {
    std::vector<double>& row = points[static_cast<size_t>(i)];
    for (Index k = 0; k < data.inputDim(); ++k) row.push_back(data.inputs(k, i));
    if (data.task == Task::Regression)
      for (Index k = 0; k < data.targets.rows(); ++k) row.push_back(data.targets(k, i));
    else
      row.push_back(data.labels(i));
  }
  return points;
}

BAYESLAB_END_NAMESPACE
