// The weight posterior view: one histogram per quantity for the chosen layer,
// the prior overlaid on the means at the histogram's scale, and a plain
// statement instead of a division by zero for point estimates.
#include <QLineSeries>
#include <QtTest>

#include "engine/training/trainer.h"
#include "tests/support/test_main.h"
#include "ui/views/weight_posterior_view.h"

using namespace bayeslab;
using namespace bayeslab::ui;

namespace {

constexpr std::uint64_t kPosteriorSeed = 11;

std::unique_ptr<Trainer> trainedRun(const std::string& method) {
  SessionConfig config;
  config.dataset.nTrain = 48;
  config.dataset.nTest = 16;
  config.model.hidden = {12, 8};
  config.method.name = method;
  config.training.steps = 20;
  config.training.seed = kPosteriorSeed;
  auto trainer = std::make_unique<Trainer>(config);
  trainer->run();
  return trainer;
}

// Trapezoid area under a series.
double area(const QList<QPointF>& points) {
  double sum = 0.0;
  for (qsizetype i = 1; i < points.size(); ++i)
    sum += 0.5 * (points[i].y() + points[i - 1].y()) * (points[i].x() - points[i - 1].x());
  return sum;
}

}  // namespace

class WeightPosteriorViewTest : public QObject {
  Q_OBJECT

 private slots:
  void gaussianPosteriorShowsEveryHistogram();
  void pointEstimateSaysItHasNoSpread();
};

void WeightPosteriorViewTest::gaussianPosteriorShowsEveryHistogram() {
  auto trainer = trainedRun("bbb");
  WeightPosteriorView view;
  view.setPrior(trainer->sharedPrior());
  view.setSummary(trainer->posterior()->summary());
  QVERIFY(view.hasSummary());
  QVERIFY(view.stdNote().isEmpty());
  QVERIFY(view.meanHistogramSeries()->count() > 10);
  QVERIFY(view.stdHistogramSeries()->count() > 10);

  // The histogram's area is (weights) x (bin width); the prior overlay carries
  // at most that much (the part of the prior inside the axis range).
  const double histogramArea = area(view.meanHistogramSeries()->points());
  const double priorArea = area(view.priorSeries()->points());
  QVERIFY(priorArea > 0.0);
  QVERIFY2(priorArea <= histogramArea * 1.01,
           qPrintable(QString("%1 > %2").arg(priorArea).arg(histogramArea)));

  // Choosing a layer narrows the histograms to its weights: 1x12 in layer 1.
  view.selectLayer(0);
  QCOMPARE(view.selectedLayer(), 0);
  QCOMPARE(area(view.meanHistogramSeries()->points()) /
               (view.meanHistogramSeries()->points().back().x() -
                view.meanHistogramSeries()->points().front().x()) *
               40.0,
           12.0);
  view.selectLayer(-1);
  QCOMPARE(view.selectedLayer(), -1);
}

void WeightPosteriorViewTest::pointEstimateSaysItHasNoSpread() {
  auto trainer = trainedRun("map");
  WeightPosteriorView view;
  view.setPrior(trainer->sharedPrior());
  view.setSummary(trainer->posterior()->summary());
  QVERIFY(view.meanHistogramSeries()->count() > 10);
  QVERIFY(view.stdNote().contains("no spread"));
  QCOMPARE(view.stdHistogramSeries()->count(), 0);
}

BAYESLAB_TEST_MAIN(WeightPosteriorViewTest)
#include "weight_posterior_view_test.moc"
