#pragma once
// Painted training data: a training set given point by point (drawn on the
// predictive view, or written by hand in a session file) instead of drawn from
// a data set's generator.
//
// A point is one row of numbers: the inputs x0..x(d-1) followed by the target,
// so [x, y] for 1-D regression and [x0, x1, class] for 2-D classification (the
// class a whole number in 0..K-1). The session records the base data set too:
// it fixes the task, the input dimension, the number of classes and the test
// set, which painting leaves alone; the points replace its training set.
#include <string>
#include <vector>

#include "engine/data/dataset.h"

BAYESLAB_BEGIN_NAMESPACE

using PointList = std::vector<std::vector<double>>;

// The points as a training set of the same kind as `like` (task, input dimension,
// classes). Throws InputError("", "<field>[i]", ...) for a row of the wrong
// length, a non-finite value or a class out of range, and for an empty list.
Dataset datasetFromPoints(const PointList& points, const Dataset& like,
                          const std::string& field = "dataset.points");

// The rows of `data` as points (the inverse of datasetFromPoints).
PointList pointsOf(const Dataset& data);

BAYESLAB_END_NAMESPACE
