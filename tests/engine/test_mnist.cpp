// The embedded MNIST subset end to end: a MAP network reaches 95% test
// accuracy; a Bayes by Backprop network is more uncertain about digits turned
// by 90 degrees than about upright ones; held-out classes are recognised as
// out of distribution; the run outputs include rotation.csv.
#include <QtTest>

#include "engine/io/run_writer.h"
#include "engine/predictive/calibration.h"
#include "engine/predictive/predictive.h"
#include "engine/predictive/rotation.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

namespace {
SessionConfig mnistSession(const std::string& method, Index steps) {
  SessionConfig c;
  c.dataset.name = "mnist";
  c.dataset.nTrain = 4000;
  c.dataset.nTest = 1000;
  c.model.hidden = {256};
  c.method.name = method;
  c.training.steps = steps;
  c.training.batchSize = 128;
  c.training.learningRate = 0.002;
  c.training.threads = 2;
  c.training.evalEvery = 100000;
  return c;
}

double meanEntropyOfRotated(const Trainer& t, double degrees, Index count) {
  const Dataset& test = t.data().test;
  Matrix rotated(784, count);
  for (Index i = 0; i < count; ++i)
    rotateImage(test.inputs.col(i).data(), 28, 28, degrees, rotated.col(i).data());
  const auto p =
      predictClassification(*t.posterior(), t.likelihood(), rotated, 16, RandomStream(4), 2);
  return p.entropy.mean();
}
}  // namespace

class TestMnist : public QObject {
  Q_OBJECT
 private slots:
  void embeddedSet() {
    DatasetConfig c;
    c.name = "mnist";
    c.nTrain = 4000;
    c.nTest = 1000;
    const DataSplit s = makeDataSplit(c);
    QCOMPARE(s.train.size(), Index(4000));
    QCOMPARE(s.test.size(), Index(1000));
    QCOMPARE(s.train.classes, 10);
    QVERIFY(s.train.isImage());
    for (int k = 0; k < 10; ++k) {
      QCOMPARE((s.train.labels.array() == k).count(), Index(400));
      QCOMPARE((s.test.labels.array() == k).count(), Index(100));
    }
    QCOMPARE(s.outOfDistribution.size(), Index(0));
    // A smaller, seeded subset.
    c.nTrain = 300;
    const DataSplit small = makeDataSplit(c);
    QCOMPARE(small.train.size(), Index(300));
    QVERIFY(small.train.inputs == makeDataSplit(c).train.inputs);
  }

  void mapReaches95PercentTestAccuracy() {
    Trainer t(mnistSession("map", 2000));
    t.run();
    const TestMetrics m = t.evaluateTest(1);
    QVERIFY2(m.accuracy >= 0.95, qPrintable(QString("test accuracy %1").arg(m.accuracy)));
  }

  void bbbIsMoreUncertainAboutRotatedDigits() {
    SessionConfig c = mnistSession("bbb", 1500);
    c.method.options.set("init_rho", -6.0);
    Trainer t(c);
    t.run();
    QVERIFY(t.evaluateTest(8).accuracy > 0.85);
    const double upright = meanEntropyOfRotated(t, 0.0, 300);
    const double turned = meanEntropyOfRotated(t, 90.0, 300);
    QVERIFY2(turned > upright + 0.2,
             qPrintable(QString("entropy upright %1, turned %2").arg(upright).arg(turned)));
  }

  void heldOutClassesAreOutOfDistribution() {
    SessionConfig c = mnistSession("map", 600);
    c.dataset.options.set("digits", "0-4");
    Trainer t(c);
    QCOMPARE(t.data().outOfDistribution.size(), Index(500));
    t.run();
    RunOutputOptions o;
    o.predictiveSamples = 4;
    o.rotationStep = 30;
    const RunResults r = computeRunResults(t, o);
    QVERIFY(r.outOfDistribution.has_value());
    QVERIFY2(r.outOfDistribution->auroc > 0.75,
             qPrintable(QString::number(r.outOfDistribution->auroc)));
    QVERIFY(r.reliability.has_value());
    QVERIFY(r.rotation.has_value());
    QCOMPARE(r.rotation->angles.size(), size_t(7));
    QCOMPARE(t.data().test.labels(r.rotationIndex), 1);
    const QStringList lines =
        QString::fromStdString(rotationCsv(*r.rotation)).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.first(),
             QString("angle,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,entropy,mutual_information"));
    QCOMPARE(lines.size(), 8);
    QVERIFY(lines[1].startsWith("0,"));
    const QString summary = QString::fromStdString(summaryJson(t, r));
    QVERIFY(summary.contains("ood_auroc"));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestMnist)
#include "test_mnist.moc"
