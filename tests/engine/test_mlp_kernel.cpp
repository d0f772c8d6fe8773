// The dense network kernel: known values and finite-difference gradients for
// every depth and activation.
#include <QtTest>

#include "engine/model/mlp_kernel.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

class TestMlpKernel : public QObject {
  Q_OBJECT
 private slots:
  void layoutOffsets() {
    const MlpLayout layout(3, {4, 5}, 2);
    QCOMPARE(layout.layerCount(), Index(3));
    QCOMPARE(layout.parameterCount(), Index(3 * 4 + 4 + 4 * 5 + 5 + 5 * 2 + 2));
    QCOMPARE(layout.layer(1).weightOffset, Index(16));
    QCOMPARE(layout.layer(1).biasOffset, Index(36));
    QCOMPARE(layout.describe(), std::string("3-4-5-2"));
    QCOMPARE(MlpLayout(2, {}, 1).parameterCount(), Index(3));
  }

  void knownValues() {
    // 1-2-1 ReLU network: W1 = [1; -1], b1 = [0; 0.5], W2 = [2, 3], b2 = 1.
    const MlpLayout layout(1, {2}, 1);
    Vector w(layout.parameterCount());
    w << 1, -1, 0, 0.5, 2, 3, 1;
    MlpKernel kernel(layout, Activation::Relu);
    MlpWorkspace ws;
    Matrix x(1, 3);
    x << -1, 0.25, 2;
    const Matrix& out = kernel.forward(w.data(), x, ws);
    // x=-1: h = [0, 1.5] -> 2*0 + 3*1.5 + 1 = 5.5; x=0.25: h = [0.25, 0.25] -> 2.25; x=2: h=[2,0]
    // -> 5
    QCOMPARE(out(0, 0), Real(5.5));
    QCOMPARE(out(0, 1), Real(2.25));
    QCOMPARE(out(0, 2), Real(5.0));
    MlpKernel tanhKernel(layout, Activation::Tanh);
    const Matrix& t = tanhKernel.forward(w.data(), x, ws);
    QVERIFY(std::abs(t(0, 2) - (2 * std::tanh(2.0) + 3 * std::tanh(-1.5) + 1)) < 1e-12);
  }

  void gradient_data() {
    QTest::addColumn<QList<int>>("hidden");
    QTest::addColumn<int>("activation");
    QTest::addColumn<int>("outputs");
    QTest::newRow("linear") << QList<int>{} << 0 << 1;
    QTest::newRow("one relu layer") << QList<int>{7} << 0 << 2;
    QTest::newRow("two relu layers") << QList<int>{6, 5} << 0 << 3;
    QTest::newRow("one tanh layer") << QList<int>{7} << 1 << 1;
    QTest::newRow("three tanh layers") << QList<int>{4, 6, 3} << 1 << 2;
  }
  void gradient() {
    QFETCH(QList<int>, hidden);
    QFETCH(int, activation);
    QFETCH(int, outputs);
    const MlpLayout layout(3, std::vector<int>(hidden.begin(), hidden.end()), outputs);
    const MlpKernel kernel(layout, activation == 0 ? Activation::Relu : Activation::Tanh);
    RandomStream rng(11);
    Matrix x(3, 9), c(outputs, 9);
    rng.fillNormal(x);
    rng.fillNormal(c);
    Vector w(layout.parameterCount());
    rng.fillNormal(w);
    // J(w) = sum(c * f(x; w)): its output gradient is c.
    const auto objective = [&](const Vector& weights, Vector* g) {
      MlpWorkspace ws;
      const Matrix& out = kernel.forward(weights.data(), x, ws);
      const double value = (out.array() * c.array()).sum();
      if (g) {
        ws.outputGradient() = c;
        g->resize(weights.size());
        kernel.backward(weights.data(), x, ws, g->data());
      }
      return value;
    };
    const auto r = checkGradient(objective, w);
    BAYESLAB_VERIFY_GRADIENT(r);
  }

  void workspaceReuseGivesSameResult() {
    const MlpLayout layout(2, {5}, 1);
    const MlpKernel kernel(layout, Activation::Relu);
    RandomStream rng(3);
    Vector w(layout.parameterCount());
    rng.fillNormal(w);
    Matrix x(2, 4);
    rng.fillNormal(x);
    MlpWorkspace ws;
    const Matrix first = kernel.forward(w.data(), x, ws);
    Matrix wide(2, 10);
    rng.fillNormal(wide);
    kernel.forward(w.data(), wide, ws);
    QCOMPARE(kernel.forward(w.data(), x, ws), first);
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestMlpKernel)
#include "test_mlp_kernel.moc"
