// The Network tab: edge colour follows the weight mean and width / opacity fall
// with its std, monotonically; large layers are capped to their strongest edges
// and drawn compact; hovering tells layer, indices, mean and std; the view
// exports (PNG, SVG, PDF and the edges as CSV) and joins "export all" once it
// has a posterior. With BAYESLAB_SCREENSHOT_DIR set it also saves the tab for a
// 1-50-1 regression net, a 2-16-16-2 classifier and the MNIST net at 1366x768
// and 1920x1080.
#include <QChartView>
#include <QFile>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <ctime>
#include <random>

#include "gui_test_support.h"
#include "tests/support/test_main.h"
#include "ui/export/figure_export.h"
#include "ui/views/network_diagram.h"
#include "ui/views/network_diagram_view.h"
#include "ui/views/views_area.h"

using namespace bayeslab;
using namespace bayeslab::ui;
using bayeslab::test::kGuiTimeoutMs;

namespace {

// Random Gaussian-posterior summary of an MLP with the given widths.
PosteriorSummary randomSummary(const std::vector<int>& widths, std::uint32_t seed,
                               PosteriorKind kind = PosteriorKind::Gaussian) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform(0.01, 0.5);
  PosteriorSummary s;
  s.kind = kind;
  for (size_t l = 0; l + 1 < widths.size(); ++l) {
    LayerPosterior layer;
    layer.weightMean.resize(widths[l + 1], widths[l]);
    layer.weightStd.resize(widths[l + 1], widths[l]);
    for (Index k = 0; k < layer.weightMean.size(); ++k) {
      layer.weightMean.data()[k] = static_cast<Real>(normal(gen) * 0.3);
      layer.weightStd.data()[k] =
          static_cast<Real>(kind == PosteriorKind::Point ? 0.0 : uniform(gen));
    }
    layer.biasMean = Vector::Zero(widths[l + 1]);
    layer.biasStd = Vector::Constant(widths[l + 1], kind == PosteriorKind::Point ? 0 : 0.1);
    s.layers.push_back(std::move(layer));
  }
  return s;
}

double threadCpuMilliseconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

SessionConfig networkSession(const std::string& dataset, std::vector<int> hidden) {
  SessionConfig c;
  c.dataset.name = dataset;
  c.dataset.nTrain = dataset == "mnist" ? 1000 : 128;
  c.dataset.nTest = dataset == "mnist" ? 300 : 128;
  if (dataset == "mnist") c.dataset.options.set("digits", std::string("0-4"));
  c.model.hidden = std::move(hidden);
  if (dataset == "cubic") {
    c.dataset.noise = 3.0;
    c.likelihood.noiseStd = 3.0;
  }
  c.method.name = "bbb";
  c.training.steps = 2000;
  c.training.batchSize = 64;
  c.training.learningRate = dataset == "mnist" ? 3e-3 : 1e-2;
  return c;
}

}  // namespace

class NetworkDiagramViewTest : public QObject {
  Q_OBJECT

 private slots:
  void colourFollowsTheMeanMonotonically();
  void widthAndOpacityFallWithTheStd_data();
  void widthAndOpacityFallWithTheStd();
  void smallLayersDrawEveryEdge();
  void largeLayersAreCappedToTheStrongest();
  void hoverTellsLayerIndicesMeanAndStd();
  void exportWritesFiles();
  void liveInTheNetworkTab();
  void frameCostOnTheUiThread_data();
  void frameCostOnTheUiThread();
  void screenshots();
};

void NetworkDiagramViewTest::colourFollowsTheMeanMonotonically() {
  const double scale = 0.8;
  auto lightness = [](const QColor& c) {
    return 0.3 * c.red() + 0.59 * c.green() + 0.11 * c.blue();
  };
  QColor previous = diagramColor(-scale, scale);
  for (int k = -19; k <= 20; ++k) {
    const QColor c = diagramColor(scale * k / 20.0, scale);
    // Red minus blue rises with the mean ...
    QVERIFY2(c.red() - c.blue() >= previous.red() - previous.blue(),
             qPrintable(QString::number(k)));
    // ... and the colour darkens away from zero, so strong weights stand out on white.
    if (k <= 0) QVERIFY(lightness(c) >= lightness(previous));
    if (k > 0) QVERIFY(lightness(c) <= lightness(previous));
    previous = c;
  }
  QVERIFY(diagramColor(scale, scale).red() - diagramColor(scale, scale).blue() >
          diagramColor(scale / 2, scale).red() - diagramColor(scale / 2, scale).blue());
  QVERIFY(diagramColor(-scale, scale).blue() > diagramColor(-scale, scale).red());
  QVERIFY(diagramColor(scale, scale).red() > diagramColor(scale, scale).blue());
  const QColor zero = diagramColor(0.0, scale);
  QVERIFY(std::abs(zero.red() - zero.blue()) < 5);  // neutral at zero
  // Beyond the scale it saturates, and a larger |mean| is never less saturated.
  QCOMPARE(diagramColor(3 * scale, scale), diagramColor(scale, scale));
}

void NetworkDiagramViewTest::widthAndOpacityFallWithTheStd_data() {
  QTest::addColumn<double>("mean");
  QTest::newRow("positive") << 0.7;
  QTest::newRow("negative") << -0.4;
  QTest::newRow("zero") << 0.0;
}

void NetworkDiagramViewTest::widthAndOpacityFallWithTheStd() {
  QFETCH(double, mean);
  // One input, eight outputs: the same mean, stds growing with the output index.
  PosteriorSummary s;
  LayerPosterior layer;
  layer.weightMean = Matrix::Constant(8, 1, static_cast<Real>(mean));
  layer.weightStd.resize(8, 1);
  for (int i = 0; i < 8; ++i) layer.weightStd(i, 0) = static_cast<Real>(0.01 * std::pow(2.0, i));
  layer.biasMean = Vector::Zero(8);
  layer.biasStd = Vector::Zero(8);
  s.layers.push_back(layer);
  const NetworkDiagram d = buildNetworkDiagram(s);
  QCOMPARE(d.edges.size(), size_t(8));
  std::vector<DiagramEdge> byUnit = d.edges;
  std::sort(byUnit.begin(), byUnit.end(), [](auto& a, auto& b) { return a.to < b.to; });
  for (int i = 1; i < 8; ++i) {
    QVERIFY(byUnit[i].width < byUnit[i - 1].width);
    QVERIFY(byUnit[i].alpha < byUnit[i - 1].alpha);
    QCOMPARE(byUnit[i].color, byUnit[0].color);  // colour is the mean's alone
  }
  const NetworkDiagramLimits limits;
  for (const DiagramEdge& e : d.edges) {
    QVERIFY(e.width > limits.minWidth && e.width < limits.maxWidth);
    QVERIFY(e.alpha > limits.minAlpha && e.alpha < limits.maxAlpha);
  }
  // Drawn from most to least uncertain, so that confident edges end on top.
  for (size_t k = 1; k < d.edges.size(); ++k) QVERIFY(d.edges[k].width >= d.edges[k - 1].width);
  // A point posterior has no spread: every edge at full width and opacity.
  const NetworkDiagram point =
      buildNetworkDiagram(randomSummary({2, 5, 1}, 3, PosteriorKind::Point));
  for (const DiagramEdge& e : point.edges) {
    QCOMPARE(e.width, limits.maxWidth);
    QCOMPARE(e.alpha, limits.maxAlpha);
  }
}

void NetworkDiagramViewTest::smallLayersDrawEveryEdge() {
  const NetworkDiagram d = buildNetworkDiagram(randomSummary({2, 16, 16, 2}, 1));
  QCOMPARE(d.columns.size(), size_t(4));
  QCOMPARE(d.edges.size(), size_t(2 * 16 + 16 * 16 + 16 * 2));
  QCOMPARE(d.drawnCount(), d.weightCount());
  for (const DiagramColumn& c : d.columns) QVERIFY(!c.compact);
  // 64 units per layer is the "readable" limit: still all edges.
  const NetworkDiagram wide = buildNetworkDiagram(randomSummary({1, 64, 64, 1}, 2));
  QCOMPARE(wide.drawnCount(), Index(64 + 64 * 64 + 64));
}

void NetworkDiagramViewTest::largeLayersAreCappedToTheStrongest() {
  const PosteriorSummary s = randomSummary({784, 100, 10}, 4);
  NetworkDiagramLimits limits;
  const NetworkDiagram d = buildNetworkDiagram(s, limits);
  QCOMPARE(d.weightsPerLayer, (std::vector<Index>{78400, 1000}));
  QCOMPARE(d.drawnPerLayer, (std::vector<Index>{limits.maxEdgesPerLayer, limits.maxEdgesPerLayer}));
  QVERIFY(d.columns[0].compact);
  QVERIFY(d.columns[1].compact);  // 100 units
  QVERIFY(!d.columns[2].compact);
  QVERIFY(d.columns[0].label.contains("784 inputs"));
  // The kept edges of layer 1 are its strongest by |mean| / std.
  double weakestKept = std::numeric_limits<double>::infinity();
  for (const DiagramEdge& e : d.edges)
    if (e.layer == 0) weakestKept = std::min(weakestKept, e.strength);
  int stronger = 0;
  const LayerPosterior& first = s.layers[0];
  for (Index k = 0; k < first.weightMean.size(); ++k)
    if (std::abs(static_cast<double>(first.weightMean.data()[k])) /
            static_cast<double>(first.weightStd.data()[k]) >
        weakestKept * (1 + 1e-9))
      ++stronger;
  QVERIFY2(stronger < limits.maxEdgesPerLayer, qPrintable(QString::number(stronger)));
}

void NetworkDiagramViewTest::hoverTellsLayerIndicesMeanAndStd() {
  PosteriorSummary s;
  LayerPosterior a, b;
  a.weightMean = Matrix::Constant(1, 1, Real(0.5));
  a.weightStd = Matrix::Constant(1, 1, Real(0.25));
  a.biasMean = Vector::Constant(1, Real(-0.3));
  a.biasStd = Vector::Constant(1, Real(0.1));
  b = a;
  b.weightMean(0, 0) = Real(-1.5);
  s.layers = {a, b};
  NetworkDiagramView view;
  view.resize(700, 400);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  view.setSummary(s);
  // Scan a vertical line a quarter of the way across: it crosses the first layer's edge.
  QString edgeTip;
  const int w = view.chartView()->viewport()->width(), h = view.chartView()->viewport()->height();
  for (int y = 0; y < h && edgeTip.isEmpty(); ++y) edgeTip = view.toolTipAt(QPoint(w / 4, y));
  QVERIFY2(edgeTip.contains("layer 1 weight"), qPrintable(edgeTip));
  QVERIFY(edgeTip.contains("input 0"));
  QVERIFY(edgeTip.contains("mean 0.5"));
  QVERIFY(edgeTip.contains("std 0.25"));
  // The hidden node sits in the middle: its bias.
  QString nodeTip;
  for (int y = 0; y < h && !nodeTip.contains("unit"); ++y)
    nodeTip = view.toolTipAt(QPoint(w / 2, y));
  QVERIFY2(nodeTip.contains("hidden 1") && nodeTip.contains("bias mean -0.3"), qPrintable(nodeTip));
  // Nothing in an empty corner.
  QVERIFY(view.toolTipAt(QPoint(w - 3, 3)).isEmpty());
}

void NetworkDiagramViewTest::exportWritesFiles() {
  NetworkDiagramView view;
  view.resize(900, 520);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QTemporaryDir dir;
  // Nothing to export yet: the CSV says so instead of writing an empty file.
  QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeCsv(view, dir.filePath("empty.csv")));
  const PosteriorSummary s = randomSummary({2, 16, 16, 2}, 5);
  view.setSummary(s);
  const QStringList written =
      exportPanels({&view}, dir.path(),
                   {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf, ExportFormat::Csv});
  for (const char* name :
       {"network.png", "network.svg", "network.pdf", "network.csv", "network_nodes.csv"}) {
    QVERIFY2(written.contains(dir.filePath(name)), name);
    QVERIFY2(QFileInfo(dir.filePath(name)).size() > 100, name);
  }
  QImage image(dir.filePath("network.png"));
  QCOMPARE(image.size(), view.figureSize() * kDefaultExportDpi / 96);
  QFile csv(dir.filePath("network.csv"));
  QVERIFY(csv.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.front(), QString("layer,from,to,mean,std,drawn"));
  QCOMPARE(lines.size(), 1 + 2 * 16 + 16 * 16 + 16 * 2);
  // Row layer 1, from 1, to 3 holds that weight.
  const QString row = lines.filter(QRegularExpression("^1,1,3,")).front();
  QVERIFY(std::abs(row.split(',')[3].toDouble() - s.layers[0].weightMean(3, 1)) < 1e-6);
  QVERIFY(row.endsWith(",1"));
  QFile svg(dir.filePath("network.svg"));
  QVERIFY(svg.open(QIODevice::ReadOnly));
  const QByteArray vector = svg.readAll();
  QVERIFY(vector.contains("<polyline") || vector.contains("<path"));  // vector, not a bitmap
  QVERIFY(!vector.contains("<image"));
}

void NetworkDiagramViewTest::liveInTheNetworkTab() {
  MainWindow window;
  window.resize(1366, 768);
  window.show();
  QVERIFY(test::startRun(window, networkSession("moons", {16, 16})));
  ViewsArea* views = window.views();
  NetworkDiagramView* view = views->networkView();
  views->showTab(ViewsArea::Tab::Network);
  QTRY_VERIFY(view->isVisible());
  QTRY_VERIFY_WITH_TIMEOUT(view->hasSummary(), kGuiTimeoutMs);
  QCOMPARE(view->diagram().columns.size(), size_t(4));
  const std::vector<DiagramEdge> initial = view->diagram().edges;
  window.controller()->step(50);
  QTRY_COMPARE_WITH_TIMEOUT(window.controller()->currentStep(), Index(50), kGuiTimeoutMs);
  // The newest posterior reaches the diagram.
  QTRY_VERIFY_WITH_TIMEOUT(
      [&] {
        const auto& now = view->diagram().edges;
        if (now.size() != initial.size()) return true;
        for (size_t k = 0; k < now.size(); ++k)
          if (now[k].mean != initial[k].mean) return true;
        return false;
      }(),
      kGuiTimeoutMs);
  QVERIFY(views->panels().contains(view));
}

void NetworkDiagramViewTest::frameCostOnTheUiThread_data() {
  QTest::addColumn<std::vector<int>>("widths");
  QTest::newRow("1-64-64-1") << std::vector<int>{1, 64, 64, 1};
  QTest::newRow("784-400-400-10") << std::vector<int>{784, 400, 400, 10};
}

void NetworkDiagramViewTest::frameCostOnTheUiThread() {
  // What one update costs the UI thread: building the diagram from a new summary and
  // painting it at 1366x520 (median of 5), in CPU time of the UI thread: the machine is
  // shared and the tests run niced, so wall time says little. Reported, not asserted.
  QFETCH(std::vector<int>, widths);
  const auto summary = std::make_shared<const PosteriorSummary>(randomSummary(widths, 9));
  NetworkDiagramView view;
  view.resize(1366, 520);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  std::vector<double> ms;
  for (int k = 0; k < 5; ++k) {
    const double start = threadCpuMilliseconds();
    view.setSummary(summary);
    const QPixmap frame = view.grab();
    ms.push_back(threadCpuMilliseconds() - start);
    QVERIFY(!frame.isNull());
  }
  std::sort(ms.begin(), ms.end());
  qInfo("%s: %.1f ms of UI-thread CPU per update (build + paint), %lld of %lld weights drawn",
        QTest::currentDataTag(), ms[2], static_cast<long long>(view.diagram().drawnCount()),
        static_cast<long long>(view.diagram().weightCount()));
}

void NetworkDiagramViewTest::screenshots() {
  if (qEnvironmentVariableIsEmpty("BAYESLAB_SCREENSHOT_DIR"))
    QSKIP("set BAYESLAB_SCREENSHOT_DIR to save the screenshots");
  const struct {
    const char* name;
    SessionConfig config;
    Index steps;
  } cases[] = {{"regression-1-50-1", networkSession("cubic", {50}), 1500},
               {"classifier-2-16-16-2", networkSession("moons", {16, 16}), 1500},
               {"mnist-784-100-10", networkSession("mnist", {100}), 300}};
  for (const auto& c : cases) {
    MainWindow window;
    window.show();
    QVERIFY(test::startRun(window, c.config));
    window.views()->showTab(ViewsArea::Tab::Network);
    window.controller()->step(c.steps);
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->currentStep(), c.steps, 120000);
    for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
      window.resize(size);
      QTest::qWait(600);
      test::saveScreenshot(
          window,
          QStringLiteral("network-%1-%2x%3").arg(c.name).arg(size.width()).arg(size.height()));
    }
  }
}

BAYESLAB_TEST_MAIN(NetworkDiagramViewTest)
#include "network_diagram_view_test.moc"
