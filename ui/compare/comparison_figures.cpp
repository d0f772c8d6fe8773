#include "ui/compare/comparison_figures.h"

#include <QApplication>
#include <QDir>
#include <stdexcept>

#include "ui/compare/compare_curves_view.h"
#include "ui/compare/compare_predictive_grid.h"
#include "ui/compare/compare_rotation_view.h"
#include "ui/compare/comparison_table.h"
#include "ui/export/figure_export.h"

namespace bayeslab::ui {

namespace {

void writeFigure(ChartPanel& panel, const QSize& size, const QDir& dir, QStringList& written) {
  panel.setAttribute(Qt::WA_DontShowOnScreen);
  panel.show();
  panel.resizeFigure(size);
  QApplication::processEvents();
  const QString png = dir.filePath(panel.fileStem() + ".png");
  const QString svg = dir.filePath(panel.fileStem() + ".svg");
  writePng(panel, png, kNativeFigureDpi);
  writeSvg(panel, svg);
  written << png << svg;
}

}  // namespace

QSize comparisonFigureSize(const ChartPanel& panel, int runs) {
  if (panel.fileStem() == "comparison_predictive") {
    const int columns = runs <= 2 ? std::max(1, runs) : (runs <= 4 ? 2 : 3);
    const int rows = (std::max(1, runs) + columns - 1) / columns;
    return QSize(560 * columns, 420 * rows);
  }
  if (panel.fileStem() == "comparison_test") return QSize(1200, 500);
  return QSize(1000, 600);
}

QStringList writeComparisonFigures(const QString& dir, const std::vector<ComparedRun>& runs) {
  if (!QDir().mkpath(dir))
    throw std::runtime_error(QDir::toNativeSeparators(dir).toStdString() +
                             ": cannot create the folder");
  QStringList written;
  if (runs.empty()) return written;
  const QDir out(dir);
  const Task task = runs.front().trainer->data().train.task;
  const int n = static_cast<int>(runs.size());

  CompareCurvesView elbo(CompareCurves::Elbo);
  CompareCurvesView test(CompareCurves::Test);
  test.setTask(task);
  ComparePredictiveGrid grid;
  CompareRotationView rotation;
  bool rotated = false;
  for (int k = 0; k < n; ++k) {
    const ComparedRun& run = runs[static_cast<size_t>(k)];
    const QString label = run.name + " (" + runTitle(run.trainer->config()) + ")";
    elbo.addRun(label, runColor(k));
    elbo.appendRows(k, run.trainer->history());
    test.addRun(label, runColor(k));
    test.appendRows(k, run.trainer->history());
    grid.addRun(run.name + ": " + runTitle(run.trainer->config()), runColor(k),
                run.trainer->data().train);
    auto frame = std::make_shared<PredictiveFrame>();
    frame->step = run.trainer->step();
    if (run.results->regression && run.results->regressionGrid) {
      frame->regressionGrid = std::make_shared<const Grid1D>(*run.results->regressionGrid);
      frame->regression = run.results->regression;
    }
    if (run.results->classification && run.results->classificationGrid) {
      frame->classificationGrid = std::make_shared<const Grid2D>(*run.results->classificationGrid);
      frame->classification = run.results->classification;
    }
    grid.setFrame(k, frame);
    rotation.addRun(label, runColor(k));
    if (run.results->rotation && run.results->rotationIndex >= 0) {
      const Dataset& test = run.trainer->data().test;
      if (run.results->rotationIndex < test.size())
        rotation.setDigitLabel(static_cast<int>(test.labels(run.results->rotationIndex)));
      rotation.setSweep(k, *run.results->rotation);
      rotated = true;
    }
  }
  elbo.refresh();
  test.refresh();
  writeFigure(elbo, comparisonFigureSize(elbo, n), out, written);
  writeFigure(test, comparisonFigureSize(test, n), out, written);
  if (ComparePredictiveGrid::drawable(runs.front().trainer->data().train))
    writeFigure(grid, comparisonFigureSize(grid, n), out, written);
  if (rotated) writeFigure(rotation, QSize(1200, 500), out, written);
  return written;
}

}  // namespace bayeslab::ui
