// Every chart exports as PNG (at the chosen DPI), SVG, vector PDF and CSV, and
// files are replaced atomically.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/io/run_writer.h"
#include "tests/support/test_main.h"
#include "ui/export/figure_export.h"
#include "ui/views/elbo_view.h"
#include "ui/views/regression_predictive_view.h"
#include "ui/views/weight_posterior_view.h"

using namespace bayeslab;
using namespace bayeslab::ui;

namespace {

constexpr std::uint64_t kExportSeed = 7;

// A short, small regression run: enough for every view to have data.
struct ShortRun {
  std::unique_ptr<Trainer> trainer;
  RunResults results;
};

ShortRun shortRun() {
  SessionConfig config;
  config.dataset.nTrain = 48;
  config.dataset.nTest = 32;
  config.model.hidden = {16};
  config.training.steps = 40;
  config.training.seed = kExportSeed;
  ShortRun run;
  run.trainer = std::make_unique<Trainer>(config);
  run.trainer->run();
  RunOutputOptions options;
  options.regressionGridPoints = 60;
  options.predictiveSamples = 16;
  run.results = computeRunResults(*run.trainer, options);
  return run;
}

QByteArray readAll(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void showOffscreen(QWidget& widget, QSize size) {
  widget.setAttribute(Qt::WA_DontShowOnScreen);
  widget.resize(size);
  widget.show();
  QApplication::processEvents();
}

}  // namespace

class ChartExportTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void exportsEveryFormat_data();
  void exportsEveryFormat();
  void pngFollowsTheChosenDpi();
  void csvHoldsTheDataBehindTheChart();
  void failedExportLeavesTheOldFile();
  void exportAllWritesEveryPanel();

 private:
  ShortRun m_run;
  std::unique_ptr<RegressionPredictiveView> m_predictive;
  std::unique_ptr<ElboView> m_elbo;
  std::unique_ptr<WeightPosteriorView> m_weights;
  QTemporaryDir m_dir;
};

void ChartExportTest::initTestCase() {
  QVERIFY(m_dir.isValid());
  m_run = shortRun();
  m_predictive = std::make_unique<RegressionPredictiveView>();
  m_predictive->setTrainingData(m_run.trainer->data().train);
  m_predictive->setPredictive(*m_run.results.regressionGrid, *m_run.results.regression);
  showOffscreen(*m_predictive, QSize(640, 420));
  m_elbo = std::make_unique<ElboView>();
  m_elbo->setRun(m_run.trainer->method(), Task::Regression, m_run.trainer->config().training.steps);
  m_elbo->setHistory(m_run.trainer->history());
  showOffscreen(*m_elbo, QSize(500, 400));
  m_weights = std::make_unique<WeightPosteriorView>();
  m_weights->setPrior(m_run.trainer->sharedPrior());
  m_weights->setSummary(m_run.results.posterior);
  showOffscreen(*m_weights, QSize(800, 350));
}

void ChartExportTest::exportsEveryFormat_data() {
  QTest::addColumn<int>("format");
  QTest::addColumn<QString>("extension");
  QTest::newRow("png") << static_cast<int>(ExportFormat::Png) << "png";
  QTest::newRow("svg") << static_cast<int>(ExportFormat::Svg) << "svg";
  QTest::newRow("pdf") << static_cast<int>(ExportFormat::Pdf) << "pdf";
  QTest::newRow("csv") << static_cast<int>(ExportFormat::Csv) << "csv";
}

void ChartExportTest::exportsEveryFormat() {
  QFETCH(int, format);
  QFETCH(QString, extension);
  for (ChartPanel* panel : QList<ChartPanel*>{m_predictive.get(), m_elbo.get(), m_weights.get()}) {
    const QString path = m_dir.filePath(panel->fileStem() + "." + extension);
    const QStringList written = exportPanel(*panel, static_cast<ExportFormat>(format), path);
    QVERIFY(written.contains(path));
    const QByteArray bytes = readAll(path);
    QVERIFY2(bytes.size() > 100, qPrintable(path));
    switch (static_cast<ExportFormat>(format)) {
      case ExportFormat::Png: {
        const QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), panel->figureSize() * kDefaultExportDpi / 96);
        break;
      }
      case ExportFormat::Svg:
        QVERIFY(bytes.startsWith("<?xml") || bytes.startsWith("<svg"));
        QVERIFY(bytes.contains("<path") || bytes.contains("<polyline"));
        break;
      case ExportFormat::Pdf:
        QVERIFY(bytes.startsWith("%PDF"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        break;
      case ExportFormat::Csv:
        QVERIFY(bytes.contains('\n'));
        QVERIFY(bytes.split('\n').size() > 10);
        break;
    }
  }
}

void ChartExportTest::pngFollowsTheChosenDpi() {
  for (int dpi : kExportDpiChoices) {
    const QString path = m_dir.filePath(QStringLiteral("dpi_%1.png").arg(dpi));
    writePng(*m_predictive, path, dpi);
    const QImage image(path);
    QCOMPARE(image.width(), qRound(m_predictive->figureSize().width() * dpi / 96.0));
    QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), dpi);
  }
}

void ChartExportTest::csvHoldsTheDataBehindTheChart() {
  const QString path = m_dir.filePath("predictive_table.csv");
  const QStringList written = writeCsv(*m_predictive, path);
  QCOMPARE(written.size(), 2);  // the grid table and the training data beside it
  const QList<QByteArray> grid = readAll(written[0]).trimmed().split('\n');
  QVERIFY(grid.front().startsWith("x0,mean,std_epistemic,std_total"));
  QCOMPARE(grid.size(), 61);  // header + 60 grid points
  const QList<QByteArray> data = readAll(written[1]).trimmed().split('\n');
  QCOMPARE(data.front(), QByteArray("x0,y"));
  QCOMPARE(data.size(), 49);

  const QList<QByteArray> metrics =
      readAll(writeCsv(*m_elbo, m_dir.filePath("m.csv"))[0]).trimmed().split('\n');
  QVERIFY(metrics.front().startsWith("step,elbo,expected_log_likelihood,kl"));
  QCOMPARE(metrics.size(), 41);
}

void ChartExportTest::failedExportLeavesTheOldFile() {
  const QString path = m_dir.filePath("keep.svg");
  writeSvg(*m_predictive, path);
  const QByteArray before = readAll(path);
  // A folder that does not exist: the write fails, names the file, touches nothing.
  const QString bad = m_dir.filePath("missing/folder/keep.svg");
  try {
    writeSvg(*m_predictive, bad);
    QFAIL("expected an exception");
  } catch (const std::runtime_error& e) {
    QVERIFY2(QString(e.what()).contains("keep.svg"), e.what());
  }
  QCOMPARE(readAll(path), before);
  // Rewriting leaves no temporary files behind.
  writeSvg(*m_predictive, path);
  const QStringList leftovers = QDir(m_dir.path()).entryList({"keep.svg.*", "*.tmp"});
  QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(", ")));
}

void ChartExportTest::exportAllWritesEveryPanel() {
  const QString folder = m_dir.filePath("all");
  const QStringList written = exportPanels(
      {m_elbo.get(), m_predictive.get(), m_weights.get()}, folder,
      {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf, ExportFormat::Csv}, 96);
  for (const char* name : {"elbo.png", "elbo.svg", "elbo.pdf", "elbo.csv", "predictive.png",
                           "predictive.csv", "predictive_data.csv", "weights.pdf", "weights.csv"})
    QVERIFY2(written.contains(QDir(folder).filePath(name)), name);
  for (const QString& file : written) QVERIFY2(QFileInfo(file).size() > 0, qPrintable(file));
}

BAYESLAB_TEST_MAIN(ChartExportTest)
#include "chart_export_test.moc"
