#include "ui/figures/run_figures.h"

#include <QApplication>
#include <QDir>
#include <stdexcept>

#include "ui/export/figure_export.h"
#include "ui/views/classification_predictive_view.h"
#include "ui/views/elbo_view.h"
#include "ui/views/regression_predictive_view.h"
#include "ui/views/weight_posterior_view.h"

namespace bayeslab::ui {

namespace {

const QSize kFigureSize(1000, 650);
constexpr int kFigureDpi = 96;  // PNG pixels = the figure size

// Lays a view out offscreen at the figure size, as the window would show it.
void prepare(ChartPanel& panel) {
  panel.setAttribute(Qt::WA_DontShowOnScreen);
  panel.show();
  panel.resizeFigure(kFigureSize);
  QApplication::processEvents();
}

class FigureWriter {
 public:
  explicit FigureWriter(const QString& dir) : m_dir(dir) {}

  void write(ChartPanel& panel, const QString& stem) {
    QApplication::processEvents();  // let the charts lay out the latest data
    const QString png = m_dir.filePath(stem + ".png");
    const QString svg = m_dir.filePath(stem + ".svg");
    writePng(panel, png, kFigureDpi);
    writeSvg(panel, svg);
    m_written << png << svg;
  }
  const QStringList& written() const { return m_written; }

 private:
  QDir m_dir;
  QStringList m_written;
};

}  // namespace

QStringList writeRunFigures(const QString& dir, const Trainer& trainer, const RunResults& results) {
  if (!QDir().mkpath(dir))
    throw std::runtime_error(QDir::toNativeSeparators(dir).toStdString() +
                             ": cannot create the folder");
  FigureWriter writer(dir);
  const Dataset& train = trainer.data().train;

  ElboView elbo;
  elbo.setRun(trainer.method(), train.task, trainer.config().training.steps);
  elbo.setHistory(trainer.history());
  prepare(elbo);
  writer.write(elbo, "elbo");

  if (results.regression && results.regressionGrid) {
    RegressionPredictiveView view;
    view.setTrainingData(train);
    view.setPredictive(*results.regressionGrid, *results.regression);
    prepare(view);
    writer.write(view, "predictive");
  } else if (results.classification && results.classificationGrid) {
    ClassificationPredictiveView view;
    view.setTrainingData(train);
    view.setPredictive(*results.classificationGrid, *results.classification);
    prepare(view);
    writer.write(view, "predictive");
    view.setQuantity(ClassificationQuantity::Entropy);
    writer.write(view, "predictive_entropy");
    view.setQuantity(ClassificationQuantity::MutualInformation);
    writer.write(view, "predictive_mutual_information");
  }

  WeightPosteriorView weights;
  weights.setPrior(trainer.sharedPrior());
  weights.setSummary(results.posterior);
  prepare(weights);
  writer.write(weights, "weights");
  return writer.written();
}

}  // namespace bayeslab::ui
