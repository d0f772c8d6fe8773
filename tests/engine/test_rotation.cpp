// Image rotation and the rotated-MNIST sweep.
#include <QtTest>

#include "engine/data/image_datasets.h"
#include "engine/predictive/rotation.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

namespace {
Vector randomImage(int w, int h, std::uint64_t seed) {
  RandomStream rng(seed);
  Vector img(w * h);
  rng.fillUniform(img.data(), img.size());
  return img;
}
}  // namespace

class TestRotation : public QObject {
  Q_OBJECT
 private slots:
  void fourQuarterTurnsReturnTheImage() {
    for (int size : {28, 7, 8}) {
      const Vector img = randomImage(size, size, 1);
      Vector a = img, b(img.size());
      for (int i = 0; i < 4; ++i) {
        rotateImage(a.data(), size, size, 90.0, b.data());
        std::swap(a, b);
      }
      QVERIFY2((a - img).cwiseAbs().maxCoeff() < 1e-6, qPrintable(QString::number(size)));
    }
  }

  void quarterTurnIsAPermutation() {
    // A 3x3 image with a 1 in the top-right corner goes to the top-left corner
    // under a counter-clockwise quarter turn; the mass is unchanged.
    Vector img = Vector::Zero(9), out(9);
    img(2) = 1;
    rotateImage(img.data(), 3, 3, 90.0, out.data());
    QCOMPARE(out(0), Real(1));
    QCOMPARE(out.sum(), Real(1));
    rotateImage(img.data(), 3, 3, 0.0, out.data());
    QVERIFY(out == img);
  }

  void massIsPreserved_data() {
    QTest::addColumn<double>("angle");
    for (double a : {10.0, 33.0, 45.0, 90.0, 135.0, 180.0, 271.0})
      QTest::newRow(qPrintable(QString::number(a))) << a;
  }
  void massIsPreserved() {
    // A smooth blob well inside the frame: bilinear resampling keeps its mass to within 1%.
    QFETCH(double, angle);
    const int n = 28;
    Vector img(n * n), out(n * n);
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x)
        img(y * n + x) = static_cast<Real>(
            std::exp(-((x - 11.0) * (x - 11.0) + (y - 15.0) * (y - 15.0)) / 12.0));
    rotateImage(img.data(), n, n, angle, out.data());
    QVERIFY2(std::abs(out.sum() / img.sum() - 1.0) < 0.01,
             qPrintable(QString::number(out.sum() / img.sum())));
  }

  void embeddedDigitsRotateCleanly() {
    DatasetConfig c;
    c.name = "mnist";
    c.nTrain = 10;
    c.nTest = 1000;
    const DataSplit s = makeDataSplit(c);
    const Index one = firstOfClass(s.test.labels, 1);
    QVERIFY(one >= 0);
    Vector out(784);
    rotateImage(s.test.inputs.col(one).data(), 28, 28, 45.0, out.data());
    const double ratio = out.sum() / s.test.inputs.col(one).sum();
    QVERIFY2(std::abs(ratio - 1.0) < 0.02, qPrintable(QString::number(ratio)));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestRotation)
#include "test_rotation.moc"
