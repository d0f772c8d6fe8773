#pragma once
// The figures of a finished run, drawn by the same view widgets as the GUI
// (rendered offscreen), for `bayeslab-cli train` and the headless demo.
#include <QString>
#include <QStringList>

#include "engine/io/run_writer.h"
#include "engine/training/trainer.h"

namespace bayeslab::ui {

// Writes every figure of the run into `dir` as PNG and SVG (elbo, predictive,
// weights, network, ...). Needs a QApplication (the offscreen platform is enough).
// Throws std::runtime_error naming the file on a write failure; each file is
// written atomically. Returns the paths written.
QStringList writeRunFigures(const QString& dir, const Trainer& trainer, const RunResults& results);

}  // namespace bayeslab::ui
