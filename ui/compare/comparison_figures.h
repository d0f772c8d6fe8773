#pragma once
// The overlaid figures of a finished comparison, drawn by the compare window's
// own views (rendered offscreen), for `bayeslab-cli compare`:
//   comparison_elbo        the ELBO of every run, one colour per run
//   comparison_test        test log-likelihood and RMSE / accuracy of every run
//   comparison_predictive  the small multiples of the predictive (1-D regression,
//                          2-D classification)
//   comparison_rotation    image data: the rotated test digit, every run overlaid
// each as PNG and SVG. Needs a QApplication (offscreen is enough).
#include <QSize>
#include <QString>
#include <QStringList>
#include <vector>

#include "engine/io/run_writer.h"
#include "engine/training/trainer.h"

namespace bayeslab::ui {

class ChartPanel;

struct ComparedRun {
  QString name;
  const Trainer* trainer = nullptr;
  const RunResults* results = nullptr;
};

// Throws std::runtime_error naming the file on a write failure; returns the paths written.
QStringList writeComparisonFigures(const QString& dir, const std::vector<ComparedRun>& runs);

// The size the comparison figures are drawn at (logical pixels = PNG pixels at 96 DPI).
QSize comparisonFigureSize(const ChartPanel& panel, int runs);

}  // namespace bayeslab::ui
