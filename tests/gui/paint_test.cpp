// Painting training data on the predictive view (issue 12): clicks add, drags
// move, right clicks remove, the brush adds many, undo restores; the edited set
// is what the running trainer uses, what the session saves and what the CSV
// export holds; and the band reflects a painted point quickly.
#include <QAction>
#include <QMouseEvent>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>
#include <algorithm>

#include "engine/data/painted_points.h"
#include "engine/training/session_json.h"
#include "tests/gui/gui_test_support.h"
#include "ui/paint/paint_controller.h"
#include "ui/paint/paint_data.h"
#include "ui/paint/paint_palette.h"
#include "ui/paint/painted_session.h"
#include "ui/views/classification_predictive_view.h"
#include "ui/views/regression_predictive_view.h"
#include "ui/views/views_area.h"

#include <QChartView>
#include <QLineSeries>
#include "tests/support/test_main.h"

using namespace bayeslab;
using namespace bayeslab::ui;

namespace {

SessionConfig toySession(const std::string& dataset, Index n) {
  SessionConfig c;
  c.dataset.name = dataset;
  c.dataset.nTrain = n;
  c.dataset.nTest = 64;
  c.model.hidden = {16, 16};
  c.method.name = "bbb";
  c.training.steps = 50000000;  // never finishes during a test (toy runs take ~50k steps/s)
  c.training.batchSize = 32;
  c.training.evalEvery = 500;
  c.training.evalSamples = 8;
  return c;
}

void mouse(QWidget* target, QEvent::Type type, Qt::MouseButton button, QPointF pos) {
  const Qt::MouseButtons buttons =
      type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::MouseButtons(button);
  QMouseEvent event(type, pos, target->mapToGlobal(pos), button, buttons, Qt::NoModifier);
  QApplication::sendEvent(target, &event);
}

void click(QWidget* target, QPointF pos, Qt::MouseButton button = Qt::LeftButton) {
  mouse(target, QEvent::MouseButtonPress, button, pos);
  mouse(target, QEvent::MouseButtonRelease, button, pos);
}

struct Painting {
  MainWindow* window;
  PaintController* paint() const { return window->views()->paint(); }
  PaintData* data() const { return paint()->data(); }
  bool regression() const { return data()->task() == Task::Regression; }
  PaintTool* tool() const {
    return regression() ? paint()->regressionTool() : paint()->classificationTool();
  }
  QWidget* viewport() const {
    return regression() ? window->views()->regressionView()->chartView()->viewport()
                        : window->views()->classificationView()->chartView()->viewport();
  }
  // The data point under a fraction (fx, fy) of the chart viewport (inside the plot).
  QPointF at(double fx, double fy) const {
    return tool()->toValue(QPointF(fx * viewport()->width(), fy * viewport()->height()));
  }
  void setPaintMode(bool on) const { paint()->palette()->paintAction()->setChecked(on); }
  // One pixel in data units along each axis: how exactly a click can land.
  QPointF pixelSize() const {
    const QPointF a = tool()->toValue(QPointF(100, 100)), b = tool()->toValue(QPointF(101, 101));
    return {std::abs(b.x() - a.x()), std::abs(b.y() - a.y())};
  }
};

bool contains(const Dataset& d, QPointF at, QPointF tolerance) {
  for (Index i = 0; i < d.size(); ++i) {
    const double y = d.task == Task::Regression ? d.targets(0, i) : d.inputs(1, i);
    if (std::abs(d.inputs(0, i) - at.x()) <= tolerance.x() && std::abs(y - at.y()) <= tolerance.y())
      return true;
  }
  return false;
}

}  // namespace

class PaintTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { qRegisterMetaType<SnapshotPtr>(); }

  void runningPointsFollowTheBaseDataSet() {
    SessionConfig running = toySession("blundell", 20);
    running.dataset.points = PointList{{0.0, 1.0}, {0.5, 2.0}};
    SessionConfig edited = toySession("blundell", 20);
    edited.training.learningRate = 0.05;
    QVERIFY(withRunningPoints(edited, running).dataset.points == running.dataset.points);
    edited.dataset.name = "cubic";
    QVERIFY(!withRunningPoints(edited, running).dataset.points);
    edited = running;
    edited.dataset.seed = 7;
    QVERIFY(!withRunningPoints(edited, running).dataset.points);
  }

  void clickDragRightClickBrushAndUndo() {
    MainWindow window;
    window.resize(1366, 768);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(test::startRun(window, toySession("blundell", 20)));
    Painting p{&window};
    QTRY_VERIFY(p.paint()->palette()->isVisible());
    QCOMPARE(p.data()->points().size(), size_t(20));
    const auto base = p.data()->points();
    QUndoStack* undo = p.data()->undoStack();
    QWidget* viewport = p.viewport();
    const QPointF tolerance = 2.0 * p.pixelSize();

    // Off by default: a click changes nothing.
    const QPointF target = p.at(0.45, 0.3);
    QTest::mouseClick(viewport, Qt::LeftButton, {}, p.tool()->toPixel(target).toPoint());
    QCOMPARE(p.data()->points().size(), size_t(20));

    p.setPaintMode(true);
    click(viewport, p.tool()->toPixel(target));
    QCOMPARE(p.data()->points().size(), size_t(21));
    QVERIFY(contains(p.data()->dataset(), target, tolerance));
    QVERIFY(contains(window.controller()->trainingData()->train, target, tolerance));
    QVERIFY2(p.paint()->palette()->note().contains("21 painted points: 1 added"),
             qPrintable(p.paint()->palette()->note()));
    // The running trainer gets it (its snapshot's data).
    QSignalSpy snapshots(window.controller(), &TrainingController::snapshotReceived);
    QTRY_VERIFY(!snapshots.isEmpty() &&
                snapshots.last().front().value<SnapshotPtr>()->data->train.size() == 21);
    QVERIFY(
        contains(snapshots.last().front().value<SnapshotPtr>()->data->train, target, tolerance));
    QVERIFY(window.controller()->runningConfig().dataset.points->size() == 21);

    // Drag the new point: one undo step however many moves.
    const int before = undo->count();
    const QPointF moved = p.at(0.6, 0.7);
    mouse(viewport, QEvent::MouseButtonPress, Qt::LeftButton, p.tool()->toPixel(target));
    for (int k = 1; k <= 5; ++k) {
      const QPointF at = target + (moved - target) * (k / 5.0);
      mouse(viewport, QEvent::MouseMove, Qt::LeftButton, p.tool()->toPixel(at));
    }
    mouse(viewport, QEvent::MouseButtonRelease, Qt::LeftButton, p.tool()->toPixel(moved));
    QCOMPARE(undo->count(), before + 1);
    QCOMPARE(p.data()->points().size(), size_t(21));
    // (The y axis follows the data, so the final position is checked loosely.)
    const PaintPoint dragged = p.data()->points().back();
    QVERIFY(dragged.id == 20);
    QVERIFY(std::abs(dragged.x - moved.x()) <
            0.1 * std::abs(moved.x() - target.x()) + tolerance.x());
    QVERIFY(!contains(p.data()->dataset(), target, tolerance));

    // Right-click removes the nearest point (a base one).
    const QPointF first(base[0].x, base[0].y);
    click(viewport, p.tool()->toPixel(first) + QPointF(3, -2), Qt::RightButton);
    QCOMPARE(p.data()->points().size(), size_t(20));
    QCOMPARE(p.data()->removed(), 1);
    QVERIFY2(p.paint()->palette()->note().contains("1 added, 1 removed"),
             qPrintable(p.paint()->palette()->note()));

    // The brush adds `count` points around the cursor.
    p.paint()->palette()->brushButton()->setChecked(true);
    p.paint()->palette()->countBox()->setValue(12);
    click(viewport, QPointF(0.8 * viewport->width(), 0.5 * viewport->height()));
    QCOMPARE(p.data()->points().size(), size_t(32));
    QCOMPARE(p.data()->added(), 13);

    // Ctrl+Z undoes (brush, remove, move, add): back to the run's own points.
    window.activateWindow();
    viewport->setFocus();
    QTest::keyClick(viewport, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(p.data()->points().size(), size_t(20));
    while (undo->canUndo()) undo->undo();
    QVERIFY(p.data()->points() == base);
    QVERIFY(!p.data()->isEdited());
    QCOMPARE(window.controller()->trainingData()->train.size(), Index(20));
    // Ctrl+Shift+Z redoes.
    QTest::keyClick(viewport, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(p.data()->points().size(), size_t(21));

    // Clear empties the set; the trainer keeps its last one until a point is painted.
    p.data()->clear();
    QVERIFY(p.data()->points().empty());
    QCOMPARE(window.controller()->trainingData()->train.size(), Index(21));
    QVERIFY(p.paint()->palette()->note().contains("No training points"));
    undo->undo();
    QCOMPARE(p.data()->points().size(), size_t(21));
  }

  void classificationPaintsTheChosenClass() {
    MainWindow window;
    window.resize(1366, 768);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(test::startRun(window, toySession("moons", 40)));
    Painting p{&window};
    QTRY_VERIFY(p.paint()->palette()->isVisible());
    p.setPaintMode(true);
    p.paint()->palette()->setLabel(1);
    const QPointF at = p.at(0.5, 0.3);
    click(p.viewport(), p.tool()->toPixel(at));
    const Dataset d = window.controller()->trainingData()->train;
    QCOMPARE(d.size(), Index(41));
    QCOMPARE(d.labels(40), 1);
    QVERIFY(contains(d, at, 2.0 * p.pixelSize()));
    p.paint()->palette()->setLabel(0);
    click(p.viewport(), p.tool()->toPixel(p.at(0.3, 0.7)));
    QCOMPARE(window.controller()->trainingData()->train.labels(41), 0);
    // A brush dab at the plot's edge keeps every point inside the plot (the heatmap's grid).
    p.paint()->palette()->brushButton()->setChecked(true);
    p.paint()->palette()->countBox()->setValue(40);
    const QRectF plot = p.tool()->plotRect();
    click(p.viewport(), QPointF(plot.center().x(), plot.bottom() - 2.0));
    const Dataset brushed = window.controller()->trainingData()->train;
    QCOMPARE(brushed.size(), Index(82));
    const QPointF low = p.tool()->toValue(plot.bottomLeft()),
                  high = p.tool()->toValue(plot.topRight());
    for (Index i = 42; i < 82; ++i) {
      QVERIFY(brushed.inputs(1, i) >= low.y() - 1e-6 && brushed.inputs(1, i) <= high.y() + 1e-6);
      QVERIFY(brushed.inputs(0, i) >= low.x() - 1e-6 && brushed.inputs(0, i) <= high.x() + 1e-6);
    }
  }

  // The edited set is what trains, what data.csv / the export hold and what the
  // session saves; opening the saved session reproduces it.
  void paintedDataTrainSaveExportAndReopen() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    MainWindow window;
    window.resize(1366, 768);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(test::startRun(window, toySession("blundell", 16)));
    Painting p{&window};
    QTRY_VERIFY(p.paint()->palette()->isVisible());
    p.setPaintMode(true);
    click(p.viewport(), p.tool()->toPixel(p.at(0.4, 0.3)));
    click(p.viewport(), p.tool()->toPixel(p.at(0.6, 0.7)));
    const Dataset painted = p.data()->dataset();
    QCOMPARE(painted.size(), Index(18));

    // Training goes on with them, without a reset.
    const quint64 runId = window.controller()->runId();
    window.controller()->play();
    QTRY_VERIFY_WITH_TIMEOUT(window.controller()->currentStep() > 50, test::kGuiTimeoutMs);
    window.controller()->pause();
    QCOMPARE(window.controller()->runId(), runId);
    QVERIFY(window.controller()->trainingData()->train.inputs == painted.inputs);

    // Export: the CSV holds the painted rows.
    const QString csvPath = dir.filePath("painted.csv");
    QVERIFY(p.paint()->exportCsv(csvPath));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 19);  // header + 18 rows
    QVERIFY(lines.front().startsWith("x0"));

    // The session saves the points; the CLI's trainer and a reopened window train on them.
    const QString sessionPath = dir.filePath("painted.json");
    QVERIFY(window.saveSession(sessionPath));
    const SessionConfig saved = loadSession(sessionPath.toStdString());
    QVERIFY(saved.dataset.points);
    QCOMPARE(saved.dataset.points->size(), size_t(18));
    QVERIFY(*saved.dataset.points == pointsOf(painted));
    Trainer cli(saved);
    QVERIFY(cli.data().train.inputs == painted.inputs);
    QVERIFY(cli.data().train.targets == painted.targets);

    MainWindow reopened;
    reopened.show();
    QTRY_VERIFY_WITH_TIMEOUT(reopened.controller()->hasRun(), test::kGuiTimeoutMs);
    QVERIFY(reopened.openSession(sessionPath));
    QTRY_VERIFY_WITH_TIMEOUT(
        reopened.controller()->hasRun() && reopened.controller()->run()->data->train.size() == 18,
        test::kGuiTimeoutMs);
    QVERIFY(reopened.controller()->run()->data->train.inputs == painted.inputs);
    // A live edit of the reopened session keeps the points (no pending reset).
    QVERIFY(!reopened.controller()->hasPendingChanges());
    QVERIFY(reopened.session().dataset.points == saved.dataset.points);
  }

  // From a painted point to the first predictive frame trained on it, on a toy
  // regression run that keeps training (BENCHMARKS.md: within 100 ms).
  void latencyFromPaintToBand() {
    MainWindow window;
    window.resize(1366, 768);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    SessionConfig c = toySession("blundell", 64);
    QVERIFY(test::startRun(window, c));
    Painting p{&window};
    QTRY_VERIFY(p.paint()->palette()->isVisible());
    p.setPaintMode(true);
    window.controller()->play();
    QTRY_VERIFY_WITH_TIMEOUT(window.controller()->currentStep() > 20, test::kGuiTimeoutMs);
    QSignalSpy reflected(p.paint(), &PaintController::editReflected);
    std::vector<double> toFrame, toBand;
    const QLineSeries* mean = window.views()->regressionView()->meanSeries();
    for (int k = 0; k < 9; ++k) {
      const QList<QPointF> before = mean->points();
      const int count = reflected.count();
      QElapsedTimer clock;
      clock.start();
      // A spot inside the plot with no point under it (a click there adds, not drags).
      QPointF spot;
      for (int tries = 0; tries < 400; ++tries) {
        spot = QPointF((0.25 + 0.001 * ((k * 97 + tries * 37) % 500)) * p.viewport()->width(),
                       (0.25 + 0.02 * (tries % 20)) * p.viewport()->height());
        if (p.tool()->pointAt(spot, 3 * PaintTool::kPickPixels) < 0) break;
      }
      click(p.viewport(), spot);
      // The point itself is there at once (before any event loop turn).
      QCOMPARE(p.data()->added(), k + 1);
      QVERIFY(QTest::qWaitFor([&] { return reflected.count() > count; }, 5000));
      toFrame.push_back(p.paint()->lastLatencyMilliseconds());
      // The band redrawn from that frame (the views' ~30 Hz frame timer).
      QVERIFY(QTest::qWaitFor([&] { return mean->points() != before; }, 5000));
      toBand.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
      QTest::qWait(150);
    }
    window.controller()->pause();
    std::sort(toFrame.begin(), toFrame.end());
    std::sort(toBand.begin(), toBand.end());
    qInfo(
        "paint -> predictive frame: median %.1f ms (min %.1f, max %.1f); paint -> band "
        "redrawn: median %.1f ms (max %.1f)",
        toFrame[4], toFrame.front(), toFrame.back(), toBand[4], toBand.back());
    // Loose bound for a shared, loaded test machine; the figure above is the measurement.
    QVERIFY2(toBand[4] < 1000.0, qPrintable(QString::number(toBand[4])));
  }

  void screenshots_data() {
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QSize>("size");
    QTest::newRow("regression 1366") << "blundell" << QSize(1366, 768);
    QTest::newRow("regression 1920") << "blundell" << QSize(1920, 1080);
    QTest::newRow("classification 1366") << "moons" << QSize(1366, 768);
    QTest::newRow("classification 1920") << "moons" << QSize(1920, 1080);
  }
  void screenshots() {
    QFETCH(QString, dataset);
    QFETCH(QSize, size);
    if (qEnvironmentVariable("BAYESLAB_SCREENSHOT_DIR").isEmpty())
      QSKIP("set BAYESLAB_SCREENSHOT_DIR to save the screenshots");
    MainWindow window;
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(test::startRun(window, toySession(dataset.toStdString(), 60)));
    Painting p{&window};
    QTRY_VERIFY(p.paint()->palette()->isVisible());
    p.setPaintMode(true);
    p.paint()->palette()->brushButton()->setChecked(true);
    p.paint()->palette()->countBox()->setValue(15);
    if (dataset == "moons") p.paint()->palette()->setLabel(1);
    window.controller()->play();
    QTRY_VERIFY_WITH_TIMEOUT(window.controller()->currentStep() > 300, test::kGuiTimeoutMs);
    // Paint on the predictive grid's axes (before the first frame they span [0, 1] and the data).
    QTRY_VERIFY_WITH_TIMEOUT(dataset == "moons"
                                 ? window.views()->classificationView()->hasPredictive()
                                 : window.views()->regressionView()->hasPredictive(),
                             test::kGuiTimeoutMs);
    const QPointF spot = dataset == "moons" ? QPointF(0.3, 0.55) : QPointF(0.82, 0.3);
    const QSizeF pixels = p.viewport()->size();
    click(p.viewport(), QPointF(spot.x() * pixels.width(), spot.y() * pixels.height()));
    click(p.viewport(), QPointF((spot.x() + 0.04) * pixels.width(), spot.y() * pixels.height()));
    QTest::qWait(2500);
    window.controller()->pause();
    QCOMPARE(p.data()->added(), 30);
    test::saveScreenshot(
        window, QString("paint-%1-%2x%3").arg(dataset).arg(size.width()).arg(size.height()));
  }
};

BAYESLAB_TEST_MAIN(PaintTest)
#include "paint_test.moc"
