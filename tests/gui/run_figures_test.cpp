// writeRunFigures draws a finished run's figures offscreen (what
// `bayeslab-cli train --out` calls) for regression, classification and image
// data: the rotated-MNIST and uncertainty-quality figures for images, the
// gradient variance for every run.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/io/run_writer.h"
#include "tests/support/test_main.h"
#include "ui/figures/run_figures.h"

using namespace bayeslab;
using namespace bayeslab::ui;

namespace {

constexpr std::uint64_t kFiguresSeed = 3;

SessionConfig shortSession(const std::string& dataset) {
  SessionConfig config;
  config.dataset.name = dataset;
  // Images: train on five digits, so the others make an out-of-distribution set.
  if (dataset == "mnist") config.dataset.options.set("digits", "0-4");
  config.dataset.nTrain = 64;
  config.dataset.nTest = 32;
  config.model.hidden = {16};
  config.training.steps = 30;
  config.training.seed = kFiguresSeed;
  return config;
}

}  // namespace

class RunFiguresTest : public QObject {
  Q_OBJECT

 private slots:
  void writesEveryFigure_data();
  void writesEveryFigure();
};

void RunFiguresTest::writesEveryFigure_data() {
  QTest::addColumn<QString>("dataset");
  QTest::addColumn<QStringList>("stems");
  QTest::newRow("regression") << "blundell"
                              << QStringList{"elbo", "predictive", "gradient_variance", "weights",
                                             "network"};
  QTest::newRow("classification") << "moons"
                                  << QStringList{"elbo",
                                                 "predictive",
                                                 "predictive_entropy",
                                                 "predictive_mutual_information",
                                                 "uncertainty",
                                                 "gradient_variance",
                                                 "weights",
                                                 "network"};
  QTest::newRow("images") << "mnist"
                          << QStringList{"elbo",    "rotation", "uncertainty", "gradient_variance",
                                         "weights", "network"};
}

void RunFiguresTest::writesEveryFigure() {
  QFETCH(QString, dataset);
  QFETCH(QStringList, stems);
  Trainer trainer(shortSession(dataset.toStdString()));
  trainer.run();
  RunOutputOptions options;
  options.classificationGridResolution = 40;
  options.predictiveSamples = 16;
  const RunResults results = computeRunResults(trainer, options);

  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString out = dir.filePath("figures");  // created by the writer
  const QStringList written = writeRunFigures(out, trainer, results);
  QCOMPARE(written.size(), 2 * stems.size());
  for (const QString& stem : stems) {
    const QString png = QDir(out).filePath(stem + ".png");
    const QString svg = QDir(out).filePath(stem + ".svg");
    QVERIFY2(written.contains(png) && written.contains(svg), qPrintable(stem));
    const QImage image(png);
    QVERIFY2(!image.isNull(), qPrintable(png));
    QCOMPARE(image.size(), QSize(1000, 650));
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray head = file.read(64);
    QVERIFY(head.startsWith("<?xml") || head.startsWith("<svg"));
  }
  // Each image is a drawing, not a blank page: many distinct colours.
  for (const QString& stem : stems) {
    const QImage image(QDir(out).filePath(stem + ".png"));
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 5)
      for (int x = 0; x < image.width(); x += 5) colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(stem));
  }
  if (results.rotation) {
    // The rotated digits are in the figure: dark ink under the curves, in the bottom strip.
    const QImage rotation(QDir(out).filePath("rotation.png"));
    int ink = 0;
    for (int y = rotation.height() - 60; y < rotation.height(); ++y)
      for (int x = 0; x < rotation.width() / 2; ++x) ink += qGray(rotation.pixel(x, y)) < 100;
    QVERIFY2(ink > 50, qPrintable(QString("%1 dark pixels in the digit strip").arg(ink)));
  }
}

BAYESLAB_TEST_MAIN(RunFiguresTest)
#include "run_figures_test.moc"
