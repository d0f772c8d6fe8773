// writeRunFigures draws a finished run's figures offscreen (what
// `bayeslab-cli train --out` calls) for regression and classification.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/io/run_writer.h"
#include "ui/figures/run_figures.h"

using namespace bayeslab;
using namespace bayeslab::ui;

namespace {

constexpr std::uint64_t kSeed = 3;

SessionConfig shortSession(const std::string& dataset) {
  SessionConfig config;
  config.dataset.name = dataset;
  config.dataset.nTrain = 64;
  config.dataset.nTest = 32;
  config.model.hidden = {16};
  config.training.steps = 30;
  config.training.seed = kSeed;
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
  QTest::newRow("regression") << "blundell" << QStringList{"elbo", "predictive", "weights"};
  QTest::newRow("classification") << "moons"
                                  << QStringList{"elbo", "predictive", "predictive_entropy",
                                                 "predictive_mutual_information", "weights"};
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
  // The image is a drawing, not a blank page: many distinct colours.
  const QImage predictive(QDir(out).filePath("predictive.png"));
  QSet<QRgb> colours;
  for (int y = 0; y < predictive.height(); y += 7)
    for (int x = 0; x < predictive.width(); x += 7) colours.insert(predictive.pixel(x, y));
  QVERIFY(colours.size() > 20);
}

QTEST_MAIN(RunFiguresTest)
#include "run_figures_test.moc"
