// Presentation and export polish: zoom (Ctrl + / - / 0), light and dark
// themes, classroom mode, copy chart as image, PNG at a chosen DPI with a
// transparent background, captions naming method, prior and data, and every
// chart's title and axis titles fitting their rectangles at 1366x768.
#include <QAbstractAxis>
#include <QAction>
#include <QChart>
#include <QChartView>
#include <QClipboard>
#include <QDockWidget>
#include <QFile>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QToolBar>
#include <QtTest>

#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/appearance.h"
#include "ui/classroom_mode.h"
#include "ui/export/figure_export.h"
#include "ui/main_actions.h"
#include "ui/main_window.h"
#include "ui/training/training_controller.h"
#include "ui/views/elbo_view.h"
#include "ui/views/views_area.h"
#include "ui/views/weight_posterior_view.h"

using namespace bayeslab;
using namespace bayeslab::ui;

namespace {

constexpr int kPolishTimeoutMs = 20000;

QChart* firstChart(QWidget* panel) {
  const QList<QChartView*> views = panel->findChildren<QChartView*>();
  return views.isEmpty() ? nullptr : views.first()->chart();
}

// Opens a session and waits until its run exists and has trained a little.
bool openAndTrain(MainWindow& window, const QString& session, int steps) {
  TrainingController* c = window.controller();
  if (!QTest::qWaitFor([&] { return c->hasRun(); }, kPolishTimeoutMs)) return false;
  const quint64 before = c->runId();
  if (!window.openSession(session)) return false;
  if (!QTest::qWaitFor([&] { return c->runId() > before; }, kPolishTimeoutMs)) return false;
  c->step(steps);
  return QTest::qWaitFor([&] { return c->currentStep() >= steps; }, kPolishTimeoutMs);
}

// The texts of one chart that do not fit: the title in the chart's width, a
// horizontal axis title in the plot area's width, a vertical one in its height,
// the legend's labels (one row at the bottom) in the chart's width.
QStringList cutTexts(QChart* chart) {
  QStringList cut;
  const QRectF plot = chart->plotArea();
  const double width = chart->size().width();
  const QString name = chart->title().isEmpty() ? QStringLiteral("(untitled)") : chart->title();
  if (!chart->title().isEmpty()) {
    // Rich-text titles (a note under the title) are measured as laid out.
    double w = QFontMetricsF(chart->titleFont()).horizontalAdvance(chart->title());
    if (Qt::mightBeRichText(chart->title())) {
      QTextDocument doc;
      doc.setDefaultFont(chart->titleFont());
      doc.setHtml(chart->title());
      w = doc.idealWidth() - 2 * doc.documentMargin();
    }
    if (w > width - 8) cut << QStringLiteral("title \"%1\" %2 > %3").arg(name).arg(w).arg(width);
  }
  for (QAbstractAxis* axis : chart->axes()) {
    if (!axis->isVisible() || !axis->isTitleVisible() || axis->titleText().isEmpty()) continue;
    const double w = QFontMetricsF(axis->titleFont()).horizontalAdvance(axis->titleText());
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    const double room = horizontal ? plot.width() : plot.height();
    if (w > room - 6)  // Qt elides a little before the full length
      cut << QStringLiteral("%1: axis title \"%2\" %3 > %4")
                 .arg(name, axis->titleText())
                 .arg(w)
                 .arg(room);
  }
  QLegend* legend = chart->legend();
  if (legend->isVisible() && legend->alignment() == Qt::AlignBottom) {
    const QFontMetricsF metrics(legend->font());
    double row = 0.0;
    for (QLegendMarker* marker : legend->markers())
      if (marker->isVisible() && !marker->label().isEmpty())
        row += metrics.horizontalAdvance(marker->label()) + metrics.height() + 12.0;
    if (row > width)
      cut << QStringLiteral("%1: legend needs %2 of %3").arg(name).arg(row).arg(width);
  }
  return cut;
}

}  // namespace

class DisplayPolishTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void zoomScalesFontsAndCtrl0Restores();
  void themeSwitchRecoloursCharts();
  void classroomModeHidesTheChosenPanels();
  void copyChartPutsAnImageOnTheClipboard();
  void pngHasThePixelsAndDpiAskedFor_data();
  void pngHasThePixelsAndDpiAskedFor();
  void transparentPngHasAlphaZeroAtTheCorner();
  void exportedFiguresCarryTheCaption();
  void chartTextsFitTheirRectangles_data();
  void chartTextsFitTheirRectangles();
  // Pictures for looking at by eye (BAYESLAB_SCREENSHOT_DIR): dark theme and classroom mode.
  void screenshots_data();
  void screenshots();

 private:
  QTemporaryDir m_settings;
};

void DisplayPolishTest::initTestCase() {
  // Zoom, theme and classroom choices are remembered: keep them out of the user's settings.
  QVERIFY(m_settings.isValid());
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
  QCoreApplication::setOrganizationName("BayesLabTest");
  QCoreApplication::setApplicationName("display_polish_test");
}

void DisplayPolishTest::zoomScalesFontsAndCtrl0Restores() {
  MainWindow window;
  window.show();
  QChart* chart = firstChart(window.views()->elboView());
  QVERIFY(chart);
  const double windowPoints = window.font().pointSizeF();
  const double chartPoints = chart->titleFont().pointSizeF();
  MainActions* a = window.mainActions();
  QVERIFY(a->zoomIn->shortcuts().contains(QKeySequence(QKeySequence::ZoomIn)));
  QCOMPARE(a->zoomReset->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_0));
  a->zoomIn->trigger();
  a->zoomIn->trigger();
  QCOMPARE(window.appearance()->zoomPercent(), 125);
  QVERIFY(window.font().pointSizeF() > windowPoints * 1.2);
  QVERIFY(window.views()->weightView()->font().pointSizeF() > windowPoints * 1.2);
  QVERIFY(chart->titleFont().pointSizeF() > chartPoints * 1.2);
  QCOMPARE(QSettings().value("view/zoom").toInt(), 125);
  for (int k = 0; k < 20; ++k) a->zoomIn->trigger();
  QCOMPARE(window.appearance()->zoomPercent(), 200);  // the largest step
  for (int k = 0; k < 20; ++k) a->zoomOut->trigger();
  QCOMPARE(window.appearance()->zoomPercent(), 80);
  QVERIFY(chart->titleFont().pointSizeF() < chartPoints);
  a->zoomReset->trigger();
  QCOMPARE(window.appearance()->zoomPercent(), 100);
  QCOMPARE(window.font().pointSizeF(), windowPoints);
  QCOMPARE(chart->titleFont().pointSizeF(), chartPoints);
  // Presentation mode multiplies the zoom, and leaves it when it ends.
  a->presentation->trigger();
  QVERIFY(chart->titleFont().pointSizeF() > chartPoints * 1.3);
  a->presentation->trigger();
  QCOMPARE(chart->titleFont().pointSizeF(), chartPoints);
}

void DisplayPolishTest::themeSwitchRecoloursCharts() {
  MainWindow window;
  window.show();
  QChart* chart = firstChart(window.views()->elboView());
  QVERIFY(chart);
  QCOMPARE(chart->backgroundBrush().color(), QColor(Qt::white));
  window.mainActions()->themeDark->trigger();
  QCOMPARE(window.appearance()->theme(), Theme::Dark);
  const QColor dark = chart->backgroundBrush().color();
  QVERIFY2(dark.lightness() < 80, qPrintable(dark.name()));
  QVERIFY(chart->titleBrush().color().lightness() > 180);
  for (QAbstractAxis* axis : chart->axes()) QVERIFY(axis->labelsColor().lightness() > 180);
  QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
  QCOMPARE(QSettings().value("view/theme").toString(), QString("dark"));
  window.mainActions()->themeLight->trigger();
  QCOMPARE(chart->backgroundBrush().color(), QColor(Qt::white));
  QVERIFY(chart->titleBrush().color().lightness() < 80);
  QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 150);
}

void DisplayPolishTest::classroomModeHidesTheChosenPanels() {
  MainWindow window;
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  auto* dock = window.findChild<QDockWidget*>("settingsDock");
  auto* toolBar = window.findChild<QToolBar*>("trainingToolBar");
  QVERIFY(dock && toolBar);
  QVERIFY(dock->isVisible() && toolBar->isVisible() && window.statusBar()->isVisible());
  window.classroom()->setHiddenParts({"controls", "tool_bar", "training_curves"});
  QCOMPARE(window.mainActions()->classroom->shortcut(), QKeySequence(Qt::Key_F11));
  window.mainActions()->classroom->trigger();
  QVERIFY(window.classroom()->isActive());
  QVERIFY(!dock->isVisible());
  QVERIFY(!toolBar->isVisible());
  QVERIFY(!window.views()->elboView()->isVisible());
  QVERIFY(window.views()->weightView()->isVisible());
  QVERIFY(window.statusBar()->isVisible());
  // Changing the choice while the mode is on applies at once.
  window.classroom()->setHiddenParts({"status_bar"});
  QVERIFY(dock->isVisible());
  QVERIFY(!window.statusBar()->isVisible());
  window.mainActions()->classroom->trigger();
  QVERIFY(!window.classroom()->isActive());
  QVERIFY(dock->isVisible() && toolBar->isVisible() && window.statusBar()->isVisible());
  QVERIFY(window.views()->elboView()->isVisible());
  QCOMPARE(QSettings().value("view/classroomHidden").toStringList(), QStringList{"status_bar"});
}

void DisplayPolishTest::copyChartPutsAnImageOnTheClipboard() {
  MainWindow window;
  window.resize(1366, 768);
  window.show();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kPolishTimeoutMs);
  QGuiApplication::clipboard()->clear();
  window.mainActions()->copyChart->trigger();
  const QImage image = QGuiApplication::clipboard()->image();
  QVERIFY(!image.isNull());
  const QSize figure = window.views()->currentPanel()->figureSize();
  QCOMPARE(image.size(), figure * kDefaultExportDpi / 96);
}

void DisplayPolishTest::pngHasThePixelsAndDpiAskedFor_data() {
  QTest::addColumn<int>("dpi");
  for (int dpi : kExportDpiChoices) QTest::addRow("%d dpi", dpi) << dpi;
}

void DisplayPolishTest::pngHasThePixelsAndDpiAskedFor() {
  QFETCH(int, dpi);
  MainWindow window;
  window.resize(1366, 768);
  window.show();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kPolishTimeoutMs);
  QTemporaryDir dir;
  const QString path = dir.filePath("elbo.png");
  ElboView* view = window.views()->elboView();
  exportPanel(*view, ExportFormat::Png, path, dpi);
  QImage image(path);
  QVERIFY(!image.isNull());
  QCOMPARE(image.width(), qRound(view->figureSize().width() * dpi / 96.0));
  QCOMPARE(image.height(), qRound(view->figureSize().height() * dpi / 96.0));
  QVERIFY(std::abs(image.dotsPerMeterX() - dpi / 0.0254) < 1.0);
  QVERIFY(std::abs(image.dotsPerMeterY() - dpi / 0.0254) < 1.0);
  QCOMPARE(qAlpha(image.pixel(0, 0)), 255);
}

void DisplayPolishTest::transparentPngHasAlphaZeroAtTheCorner() {
  MainWindow window;
  window.resize(1366, 768);
  window.show();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kPolishTimeoutMs);
  QTemporaryDir dir;
  const QString path = dir.filePath("weights.png");
  WeightPosteriorView* view = window.views()->weightView();
  exportPanel(*view, ExportFormat::Png, path, 150, true);
  QImage image(path);
  QVERIFY(image.hasAlphaChannel());
  QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
  QCOMPARE(qAlpha(image.pixel(image.width() - 1, image.height() - 1)), 0);
  // Yet something is drawn: the labels and histograms.
  int opaque = 0;
  for (int y = 0; y < image.height(); y += 3)
    for (int x = 0; x < image.width(); x += 3) opaque += qAlpha(image.pixel(x, y)) > 200;
  QVERIFY(opaque > 100);
}

void DisplayPolishTest::exportedFiguresCarryTheCaption() {
  MainWindow window;
  window.resize(1366, 768);
  window.show();
  QTRY_VERIFY_WITH_TIMEOUT(window.controller()->hasRun(), kPolishTimeoutMs);
  const auto run = window.controller()->run();
  ElboView* view = window.views()->elboView();
  const QString caption = view->caption();
  QVERIFY2(caption.contains(QString::fromStdString(run->method->displayName)), qPrintable(caption));
  QVERIFY2(caption.contains(
               QStringLiteral("%1 data").arg(QString::fromStdString(run->config.dataset.name))),
           qPrintable(caption));
  QVERIFY2(caption.contains("prior"), qPrintable(caption));
  QVERIFY2(caption.contains(QStringLiteral("%1 points").arg(run->data->train.size())),
           qPrintable(caption));
  QTemporaryDir dir;
  const QString path = dir.filePath("elbo.svg");
  exportPanel(*view, ExportFormat::Svg, path);
  QFile file(path);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QString svg = QString::fromUtf8(file.readAll());
  QVERIFY2(svg.contains(QString::fromStdString(run->method->displayName)), "caption not in SVG");
  QVERIFY(svg.contains(
      QStringLiteral("%1 data").arg(QString::fromStdString(run->config.dataset.name))));
  // Without a caption the figure is the charts alone, and is one caption line shorter.
  const QSize with = view->figureSize();
  view->setCaption(QString());
  QVERIFY(view->figureSize().height() < with.height());
  QCOMPARE(view->figureSize().width(), with.width());
}

void DisplayPolishTest::chartTextsFitTheirRectangles_data() {
  QTest::addColumn<QString>("session");
  QTest::addColumn<QSize>("size");
  for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
    const QByteArray s = QByteArray::number(size.width()) + "x" + QByteArray::number(size.height());
    QTest::addRow("regression %s", s.constData()) << ":/sessions/blundell_bbb.json" << size;
    QTest::addRow("classification %s", s.constData()) << ":/sessions/moons_bbb.json" << size;
    QTest::addRow("mnist %s", s.constData()) << ":/sessions/digits_bbb.json" << size;
  }
}

void DisplayPolishTest::chartTextsFitTheirRectangles() {
  QFETCH(QString, session);
  QFETCH(QSize, size);
  MainWindow window;
  window.resize(size);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QVERIFY(openAndTrain(window, session, 20));
  QStringList cut;
  QTabWidget* tabs = window.views()->tabs();
  for (int t = 0; t < tabs->count(); ++t) {
    if (!tabs->isTabEnabled(t) || tabs->tabText(t) == "Cost") continue;
    tabs->setCurrentIndex(t);
    QTest::qWait(250);  // the views lay out their newest data
    test::saveScreenshot(window, QStringLiteral("polish-%1-%2x%3-%4")
                                     .arg(QString(QTest::currentDataTag()).section(' ', 0, 0))
                                     .arg(size.width())
                                     .arg(size.height())
                                     .arg(tabs->tabText(t).section(' ', 0, 0).toLower()));
    for (QChartView* view : window.findChildren<QChartView*>()) {
      if (!view->isVisible() || !view->chart()) continue;
      for (const QString& c : cutTexts(view->chart()))
        cut << QStringLiteral("[%1] %2").arg(tabs->tabText(t), c);
    }
  }
  cut.removeDuplicates();
  QVERIFY2(cut.isEmpty(), qPrintable(cut.join("\n")));
}

void DisplayPolishTest::screenshots_data() {
  QTest::addColumn<QString>("session");
  QTest::addColumn<QSize>("size");
  QTest::addColumn<bool>("dark");
  QTest::addColumn<bool>("classroom");
  for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
    const QByteArray s = QByteArray::number(size.width()) + "x" + QByteArray::number(size.height());
    QTest::addRow("dark-regression-%s", s.constData())
        << ":/sessions/blundell_bbb.json" << size << true << false;
    QTest::addRow("dark-classification-%s", s.constData())
        << ":/sessions/moons_bbb.json" << size << true << false;
    QTest::addRow("classroom-mnist-%s", s.constData())
        << ":/sessions/digits_bbb.json" << size << false << true;
    QTest::addRow("classroom-dark-regression-%s", s.constData())
        << ":/sessions/blundell_bbb.json" << size << true << true;
  }
}

void DisplayPolishTest::screenshots() {
  if (qEnvironmentVariableIsEmpty("BAYESLAB_SCREENSHOT_DIR"))
    QSKIP("set BAYESLAB_SCREENSHOT_DIR to save the screenshots");
  QFETCH(QString, session);
  QFETCH(QSize, size);
  QFETCH(bool, dark);
  QFETCH(bool, classroom);
  MainWindow window;
  window.resize(size);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  window.classroom()->setHiddenParts(ClassroomMode::defaultHidden());
  if (dark) window.mainActions()->themeDark->trigger();
  if (classroom) window.mainActions()->classroom->trigger();
  QVERIFY(openAndTrain(window, session, 200));
  QTest::qWait(500);
  test::saveScreenshot(window, QStringLiteral("polish-%1").arg(QTest::currentDataTag()));
  if (dark) window.mainActions()->themeLight->trigger();
}

BAYESLAB_TEST_MAIN(DisplayPolishTest)
#include "display_polish_test.moc"
