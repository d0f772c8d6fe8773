#include "ui/figures/cost_figures.h"

#include <QApplication>
#include <QDir>
#include <stdexcept>

#include "ui/export/figure_export.h"
#include "ui/views/cost_view.h"

namespace bayeslab::ui {

namespace {
// Two scatters side by side: wider than a run's single figures.
const QSize kCostFigureSize(1300, 600);
}  // namespace

QStringList writeCostFigures(const QString& dir, const CostMeasurement& measurement,
                             const QString& dataset) {
  if (!QDir().mkpath(dir))
    throw std::runtime_error(QDir::toNativeSeparators(dir).toStdString() +
                             ": cannot create the folder");
  auto frame = std::make_shared<CostFrame>();
  frame->measurement = measurement;
  frame->complete = true;
  frame->dataset = dataset;
  CostView view;
  view.setFrame(frame);
  view.setTableShown(false);
  view.setAttribute(Qt::WA_DontShowOnScreen);
  view.show();
  view.resizeFigure(kCostFigureSize);
  // Qt Charts lays out new data and the point labels on later events.
  QApplication::processEvents();
  QApplication::processEvents();
  const QDir out(dir);
  const QString png = out.filePath("cost.png");
  const QString svg = out.filePath("cost.svg");
  writePng(view, png, kNativeFigureDpi);
  writeSvg(view, svg);
  return {png, svg};
}

}  // namespace bayeslab::ui
