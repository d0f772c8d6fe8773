// The Cost tab end to end: Measure trains and times every registered method on
// the current session off the UI thread (the window keeps responding and training
// pauses), the table fills with one row per method and the two scatters label a
// point per method; Cancel stops a long measurement and keeps the rows so far;
// the view exports like every chart (PNG, SVG, PDF, CSV).
#include <QElapsedTimer>
#include <QFile>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/export/figure_export.h"
#include "ui/views/cost_view.h"
#include "ui/views/views_area.h"

using namespace bayeslab;
using namespace bayeslab::ui;
using bayeslab::test::kGuiTimeoutMs;

namespace {

SessionConfig tinyRegression() {
  SessionConfig c;
  c.dataset.name = "blundell";
  c.dataset.nTrain = 64;
  c.dataset.nTest = 64;
  c.model.hidden = {8};
  c.method.name = "bbb";
  c.training.steps = 250;
  c.training.batchSize = 32;
  c.training.evalSamples = 8;
  return c;
}

}  // namespace

class CostViewTest : public QObject {
  Q_OBJECT

 private slots:
  void measureFillsTableAndCharts();
  void cancelStopsAMeasurement();
};

void CostViewTest::measureFillsTableAndCharts() {
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  QVERIFY(test::startRun(window, tinyRegression()));
  ViewsArea* views = window.views();
  CostView* view = views->costView();
  views->showTab(ViewsArea::Tab::Cost);
  QTRY_VERIFY(view->isVisible());
  QVERIFY(!view->hasMeasurement());
  QVERIFY(!views->panels().contains(view));
  // The budget's lowest setting names the session's steps.
  QVERIFY2(view->findChild<QSpinBox*>("costBudget")->specialValueText().contains("250"),
           qPrintable(view->findChild<QSpinBox*>("costBudget")->specialValueText()));
  view->setBudget(15);

  // Measuring pauses training and runs off the UI thread.
  window.controller()->play();
  QTRY_VERIFY(window.controller()->isPlaying());
  view->measureButton()->click();
  QVERIFY(!window.controller()->isPlaying());
  QVERIFY(!view->measureButton()->isEnabled());
  QVERIFY(view->cancelButton()->isEnabled());
  QVERIFY(view->findChild<QProgressBar*>()->isVisibleTo(view));
  QTRY_VERIFY_WITH_TIMEOUT(view->frame() && view->frame()->complete, 3 * kGuiTimeoutMs);
  QTRY_VERIFY(view->measureButton()->isEnabled());
  QVERIFY(!view->cancelButton()->isEnabled());
  // Drawing a measurement is cheap for the UI thread (the views' frames stay under 16 ms).
  const double frameMs = test::uiMillisecondsPerFrame(*view, view->frame());
  qInfo("measured %zu methods x 15 steps in %.2f s; a frame costs the UI thread %.1f ms",
        view->frame()->measurement.rows.size(), view->frame()->measurement.seconds, frameMs);
  QVERIFY2(frameMs < 40.0, qPrintable(QString("%1 ms").arg(frameMs)));

  const CostMeasurement& m = view->frame()->measurement;
  QVERIFY(view->frame()->error.isEmpty());
  QVERIFY(!m.cancelled);
  QCOMPARE(m.steps, Index(15));
  QCOMPARE(m.layout, std::string("1-8-1"));
  QCOMPARE(m.rows.size(), methodRegistry().size());
  QVERIFY(view->hasMeasurement());
  QTableWidget* table = view->table();
  QCOMPARE(table->rowCount(), static_cast<int>(methodRegistry().size()));
  QCOMPARE(table->columnCount(), 9);
  QCOMPARE(table->horizontalHeaderItem(7)->text(), QString("test RMSE"));
  QStringList ran;
  for (int r = 0; r < table->rowCount(); ++r) {
    const CostRow& row = m.rows[static_cast<size_t>(r)];
    QCOMPARE(table->item(r, 0)->text(), QString::fromStdString(row.method));
    QVERIFY2(row.ran, row.note.c_str());
    ran << QString::fromStdString(row.method);
    QCOMPARE(table->item(r, 1)->text(), QString("%L1").arg(row.parameters));
    QVERIFY(table->item(r, 2)->text().endsWith(QString(" = %L1").arg(row.formulaValue)));
    QVERIFY(!table->item(r, 4)->text().startsWith(QStringLiteral("\u2014")));
  }
  // Both scatters label a point per method that ran.
  for (int chart : {0, 1}) {
    QStringList labels = view->pointLabels(chart);
    labels.sort();
    QStringList expected = ran;
    expected.sort();
    QCOMPARE(labels, expected);
  }
  // The parameter axis turns logarithmic only when the counts spread more than 30x:
  // SIVI's mixing read-out and MNF's flows outgrow a 1-8-1 MAP network many times.
  double fewest = 1e300, most = 0.0;
  for (const CostRow& row : m.rows) {
    fewest = std::min(fewest, static_cast<double>(row.parameters));
    most = std::max(most, static_cast<double>(row.parameters));
  }
  QCOMPARE(view->logarithmicX(1), most / fewest > 30.0);
  QVERIFY(views->panels().contains(view));

  // Exports like every chart: a figure in each format, the table as CSV.
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  for (ExportFormat format : {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf}) {
    const QString path = dir.filePath("cost." + formatExtension(format));
    exportPanel(*view, format, path);
    QVERIFY2(QFileInfo(path).size() > 1000, qPrintable(path));
  }
  QFile pdf(dir.filePath("cost.pdf"));
  QVERIFY(pdf.open(QIODevice::ReadOnly));
  QVERIFY(pdf.read(4) == "%PDF");
  QCOMPARE(exportPanel(*view, ExportFormat::Csv, dir.filePath("cost.csv")).size(), 1);
  QFile csv(dir.filePath("cost.csv"));
  QVERIFY(csv.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), static_cast<int>(methodRegistry().size()) + 1);
  QVERIFY(lines.first().startsWith("method,name,parameters,parameters_formula,"));
  test::saveScreenshot(window, "cost_window");
}

void CostViewTest::cancelStopsAMeasurement() {
  MainWindow window;
  window.resize(1366, 768);
  window.show();
  QVERIFY(test::startRun(window, tinyRegression()));
  ViewsArea* views = window.views();
  CostView* view = views->costView();
  views->showTab(ViewsArea::Tab::Cost);
  QTRY_VERIFY(view->isVisible());
  // A budget that would take minutes; cancel once the first method's row is in. All
  // along the window keeps responding: a 10 ms timer keeps ticking.
  view->setBudget(100000);
  int ticks = 0;
  QTimer ticker;
  QObject::connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
  ticker.start(10);
  QElapsedTimer running;
  running.start();
  view->measureButton()->click();
  QTRY_VERIFY_WITH_TIMEOUT(view->frame() && !view->frame()->measurement.rows.empty(),
                           kGuiTimeoutMs);
  QVERIFY(view->isBusy());
  const double ms = static_cast<double>(running.elapsed());
  ticker.stop();
  qInfo("the first method's 100,000 steps took %.0f ms; the UI timer ticked %d times", ms, ticks);
  QVERIFY(ms > 200.0);  // otherwise the check below says nothing
  QVERIFY2(ticks > ms / 40.0, qPrintable(QString("%1 ticks in %2 ms").arg(ticks).arg(ms)));
  QElapsedTimer clock;
  clock.start();
  view->cancelButton()->click();
  QTRY_VERIFY_WITH_TIMEOUT(!view->isBusy(), kGuiTimeoutMs);
  qInfo("cancelled; the measurement stopped %lld ms later", clock.elapsed());
  QVERIFY(clock.elapsed() < 5000);
  // The final frame follows on the views' next frame.
  QTRY_VERIFY(view->frame()->complete);
  const CostMeasurement& m = view->frame()->measurement;
  QVERIFY(m.cancelled);
  QVERIFY(!m.rows.empty());
  QVERIFY(m.rows.size() < methodRegistry().size());
  QCOMPARE(view->table()->rowCount(), static_cast<int>(m.rows.size()));
  QVERIFY(view->measureButton()->isEnabled());
  // A new measurement after a cancelled one replaces it.
  view->setBudget(5);
  view->measureButton()->click();
  QTRY_VERIFY_WITH_TIMEOUT(view->frame()->complete && !view->frame()->measurement.cancelled &&
                               view->frame()->measurement.rows.size() == methodRegistry().size(),
                           3 * kGuiTimeoutMs);
  test::saveScreenshot(window, "cost_window_small");
}

BAYESLAB_TEST_MAIN(CostViewTest)
#include "cost_view_test.moc"
