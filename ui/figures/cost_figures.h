#pragma once
// The figure of a cost measurement (quality against time per step and against
// parameters), drawn by the GUI's Cost view offscreen, for `bayeslab-cli cost`.
#include <QString>
#include <QStringList>

#include "engine/diagnostics/cost_measurement.h"

namespace bayeslab::ui {

// Writes `dir`/cost.png and cost.svg. `dataset` names the data in the view's notes.
// Needs a QApplication (offscreen is enough). Throws std::runtime_error naming the
// file on a write failure; each file is written atomically. Returns the paths.
QStringList writeCostFigures(const QString& dir, const CostMeasurement& measurement,
                             const QString& dataset);

}  // namespace bayeslab::ui
