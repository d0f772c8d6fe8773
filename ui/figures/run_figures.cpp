#include "ui/figures/run_figures.h"

#include <QApplication>
#include <QDir>
#include <stdexcept>

#include "engine/core/parallel.h"
#include "ui/export/figure_caption.h"
#include "ui/export/figure_export.h"
#include "ui/training/chain_service.h"
#include "ui/training/gradient_variance_service.h"
#include "ui/training/reference_service.h"
#include "ui/training/rotation_service.h"
#include "ui/training/run_info_builder.h"
#include "ui/training/uncertainty_service.h"
#include "ui/views/chains_view.h"
#include "ui/views/classification_predictive_view.h"
#include "ui/views/elbo_view.h"
#include "ui/views/gradient_variance_view.h"
#include "ui/views/network_diagram_view.h"
#include "ui/views/reference_view.h"
#include "ui/views/regression_predictive_view.h"
#include "ui/views/rotated_mnist_view.h"
#include "ui/views/uncertainty_view.h"
#include "ui/views/weight_posterior_view.h"

namespace bayeslab::ui {

namespace {

const QSize kRunFigureSize(1000, 650);
// Gradient-variance figure: estimates per estimator, on one minibatch.
constexpr int kGradientRepetitions = 32;

// Lays a view out offscreen at the figure size (caption line included), as the
// window would show it.
void prepare(ChartPanel& panel, const QString& caption) {
  panel.setCaption(caption);
  panel.setAttribute(Qt::WA_DontShowOnScreen);
  panel.show();
  panel.resizeFigure(kRunFigureSize);
  QApplication::processEvents();
}

class FigureWriter {
 public:
  explicit FigureWriter(const QString& dir) : m_dir(dir) {}

  void write(ChartPanel& panel, const QString& stem) {
    QApplication::processEvents();  // let the charts lay out the latest data
    const QString png = m_dir.filePath(stem + ".png");
    const QString svg = m_dir.filePath(stem + ".svg");
    writePng(panel, png, kNativeFigureDpi);
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
  const QString caption =
      figureCaption(QString::fromStdString(trainer.method().displayName), trainer.config().prior,
                    trainer.sharedPrior().get(), trainer.config().dataset.name, train.size());

  ElboView elbo;
  elbo.setRun(trainer.method(), train.task, trainer.config().training.steps);
  std::vector<Index> boundaries;
  for (Index k = 1; k < trainer.partCount(); ++k)
    boundaries.push_back(partRange(trainer.config().training.steps, trainer.partCount(), k).begin);
  elbo.setPartBoundaries(boundaries);
  if (const auto exact = exactPosteriorOf(trainer)) elbo.setLogEvidence(exact->logEvidence);
  elbo.setHistory(trainer.history());
  prepare(elbo, caption);
  writer.write(elbo, "elbo");

  if (results.regression && results.regressionGrid) {
    RegressionPredictiveView view;
    view.setTrainingData(train);
    view.setPredictive(*results.regressionGrid, *results.regression);
    prepare(view, caption);
    writer.write(view, "predictive");
  } else if (results.classification && results.classificationGrid) {
    ClassificationPredictiveView view;
    view.setTrainingData(train);
    view.setPredictive(*results.classificationGrid, *results.classification);
    prepare(view, caption);
    writer.write(view, "predictive");
    view.setQuantity(ClassificationQuantity::Entropy);
    writer.write(view, "predictive_entropy");
    view.setQuantity(ClassificationQuantity::MutualInformation);
    writer.write(view, "predictive_mutual_information");
  }

  if (results.rotation) {
    // The digit the CLI rotated, in the GUI's numbering (test images, then held-out ones).
    const Dataset& test = trainer.data().test;
    std::vector<int> labels(test.labels.data(), test.labels.data() + test.labels.size());
    const IndexVector& ood = trainer.data().outOfDistribution.labels;
    labels.insert(labels.end(), ood.data(), ood.data() + ood.size());
    auto frame = std::make_shared<RotationFrame>();
    frame->step = trainer.step();
    frame->digit = results.rotationIndex;
    frame->sweep = std::make_shared<const RotationSweep>(*results.rotation);
    RotatedMnistView view;
    view.setCandidates(labels, test.size(), results.rotationIndex);
    view.setMethodName(QString::fromStdString(trainer.method().displayName));
    view.setFrame(frame);
    prepare(view, caption);
    writer.write(view, "rotation");
  }

  if (results.reliability) {
    std::optional<double> auroc;
    std::vector<double> in, out;
    if (results.outOfDistribution) {
      auroc = results.outOfDistribution->auroc;
      in = results.outOfDistribution->inDistributionEntropy;
      out = results.outOfDistribution->outOfDistributionEntropy;
    } else {
      // No held-out classes: the test set's entropies alone, beside the hint how to get some.
      const Dataset& test = trainer.data().test;
      const ClassificationPredictive p = predictClassification(
          *trainer.posterior(), trainer.likelihood(), test.inputs,
          trainer.config().training.evalSamples,
          RandomStream(trainer.config().training.seed).derive("figure-entropy"),
          trainer.config().training.threads);
      in.assign(p.entropy.data(), p.entropy.data() + p.entropy.size());
    }
    auto frame = std::make_shared<UncertaintyFrame>(uncertaintyFrameFromResults(
        *results.reliability, std::max(train.classes, trainer.data().test.classes), in, out,
        auroc));
    frame->step = trainer.step();
    UncertaintyView view;
    view.setNoOutOfDistributionHint(UncertaintyView::noOutOfDistributionHint(train.isImage()));
    view.setFrame(frame);
    prepare(view, caption);
    writer.write(view, "uncertainty");
  }

  if (train.size() > 0) {
    // Gradient variance at the final posterior, on the first minibatch's worth of data.
    const Index size = std::min<Index>(trainer.config().training.batchSize, train.size());
    std::vector<Index> indices(static_cast<size_t>(size));
    for (Index i = 0; i < size; ++i) indices[static_cast<size_t>(i)] = i;
    Batch batch;
    batch.gather(train, indices.data(), size);
    GradientVarianceOptions options;
    options.repetitions = kGradientRepetitions;
    options.mcSamples = std::max(1, trainer.config().training.mcSamples);
    options.threads = trainer.config().training.threads;
    options.seed = trainer.config().training.seed;
    auto frame = std::const_pointer_cast<GradientVarianceFrame>(measureGradientVarianceFrame(
        *trainer.posterior(), trainer.sharedLikelihood(), batch, options));
    frame->step = trainer.step();
    if (frame->error.isEmpty()) {
      GradientVarianceView view;
      view.setFrame(frame);
      prepare(view, caption);
      writer.write(view, "gradient_variance");
    }
  }

  const RunInfoPtr run = makeRunInfo(trainer, 1);
  const std::shared_ptr<const Posterior> posterior = trainer.posterior();
  if (run->exact) {
    // The exact posterior beside the method's (Bayesian linear regression).
    ReferenceInputs in;
    in.runId = run->runId;
    in.step = trainer.step();
    in.posterior = posterior;
    in.likelihood = run->likelihood;
    in.exact = run->exact;
    in.variational = run->method->traits.variational;
    in.a = 0;
    in.b = std::min<Index>(1, run->layout.parameterCount() - 1);
    in.seed = trainer.config().training.seed;
    if (train.task == Task::Regression && train.inputDim() == 1)
      in.grid =
          std::make_shared<const Grid1D>(regressionGrid(train, ReferenceService::kGridPoints));
    ReferenceView view;
    view.setRun(*run);
    view.appendRows(trainer.history());
    view.setFrame(computeReferenceFrame(in));
    prepare(view, caption);
    writer.write(view, "exact_reference");
  }

  if (ChainService::hasTraces(*posterior)) {
    // The chains of the weight the method monitors (its option), else the first.
    const OptionValues options =
        withDefaults(trainer.method().options, trainer.config().method.options);
    const Index parameter =
        std::min<Index>(options.has("monitor_weight") ? options.integer("monitor_weight") : 0,
                        run->layout.parameterCount() - 1);
    ChainsView view;
    view.setRun(*run, parameter);
    view.appendRows(trainer.history());
    view.setFrame(computeChainFrame(run->runId, trainer.step(), *posterior, parameter));
    prepare(view, caption);
    writer.write(view, "chains");
  }

  WeightPosteriorView weights;
  weights.setPrior(trainer.sharedPrior());
  weights.setSummary(results.posterior);
  prepare(weights, caption);
  writer.write(weights, "weights");

  NetworkDiagramView network;
  network.setSummary(results.posterior);
  prepare(network, caption);
  writer.write(network, "network");
  return writer.written();
}

}  // namespace bayeslab::ui
