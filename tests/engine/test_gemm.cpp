// The engine's dense product (libxsmm's generated kernels or Eigen): every
// transpose combination, overwrite and accumulate, operands and results that
// are blocks of larger matrices (outer strides), thin and empty shapes, against
// a product summed in long double. Built in float and in double.
#include <QtTest>

#include "engine/core/gemm.h"
#include "engine/core/random.h"
#include "tests/support/test_main.h"

using namespace bayeslab;

namespace {

Matrix randomMatrix(Index rows, Index cols, RandomStream& rng) {
  Matrix m(rows, cols);
  rng.fillNormal(m.data(), m.size());
  return m;
}

// op(A) op(B) entry by entry, summed in long double.
Matrix referenceProduct(const Matrix& a, Op opA, const Matrix& b, Op opB) {
  const Matrix A = opA == Op::None ? a : Matrix(a.transpose());
  const Matrix B = opB == Op::None ? b : Matrix(b.transpose());
  Matrix c(A.rows(), B.cols());
  for (Index i = 0; i < c.rows(); ++i)
    for (Index j = 0; j < c.cols(); ++j) {
      long double sum = 0;
      for (Index p = 0; p < A.cols(); ++p)
        sum += static_cast<long double>(A(i, p)) * static_cast<long double>(B(p, j));
      c(i, j) = static_cast<Real>(sum);
    }
  return c;
}

}  // namespace

class TestGemm : public QObject {
  Q_OBJECT
 private slots:
  void backendIsNamed() { QVERIFY(std::string(gemmBackend()).size() > 0); }

  void matchesReferenceOnBlocks() {
    RandomStream rng(11);
    const Real eps = std::numeric_limits<Real>::epsilon();
    const Index ms[] = {1, 2, 7, 8, 16, 64, 100};
    const Index ns[] = {1, 5, 32, 33};
    const Index ks[] = {1, 2, 64, 129};
    int checked = 0;
    for (Index m : ms)
      for (Index n : ns)
        for (Index k : ks)
          for (Op opA : {Op::None, Op::Transpose})
            for (Op opB : {Op::None, Op::Transpose})
              for (bool accumulate : {false, true}) {
                // Operands are interior blocks of larger matrices (outer stride
                // larger than the rows), as the kernels pass batch chunks.
                const Index ar = opA == Op::None ? m : k, ac = opA == Op::None ? k : m;
                const Index br = opB == Op::None ? k : n, bc = opB == Op::None ? n : k;
                const Matrix aBig = randomMatrix(ar + 3, ac + 2, rng);
                const Matrix bBig = randomMatrix(br + 1, bc + 4, rng);
                const Matrix a = aBig.block(2, 1, ar, ac), b = bBig.block(1, 3, br, bc);
                Matrix cBig = randomMatrix(m + 4, n + 2, rng);
                const Matrix before = cBig;
                gemm(aBig.block(2, 1, ar, ac), opA, bBig.block(1, 3, br, bc), opB,
                     cBig.block(3, 1, m, n), accumulate);
                Matrix expected = referenceProduct(a, opA, b, opB);
                if (accumulate) expected += before.block(3, 1, m, n);
                const Real scale = static_cast<Real>(std::sqrt(static_cast<double>(k)) + 1.0);
                const Real error = (cBig.block(3, 1, m, n) - expected).cwiseAbs().maxCoeff();
                if (!(error <= 64 * eps * scale * static_cast<Real>(k + 1)))
                  QFAIL(qPrintable(QString("m=%1 n=%2 k=%3 opA=%4 opB=%5 acc=%6: error %7")
                                       .arg(m)
                                       .arg(n)
                                       .arg(k)
                                       .arg(int(opA))
                                       .arg(int(opB))
                                       .arg(accumulate)
                                       .arg(double(error))));
                // Nothing outside the result block is touched.
                Matrix outside = cBig - before;
                outside.block(3, 1, m, n).setZero();
                QCOMPARE(outside.cwiseAbs().maxCoeff(), Real(0));
                ++checked;
              }
    QCOMPARE(checked, 7 * 4 * 4 * 8);
  }

  void emptyDepthClearsOrKeeps() {
    const Matrix a(4, 0), b(0, 3);
    Matrix c = Matrix::Constant(4, 3, 2);
    gemm(a, Op::None, b, Op::None, c, true);
    QCOMPARE(c.maxCoeff(), Real(2));
    gemm(a, Op::None, b, Op::None, c);
    QCOMPARE(c.cwiseAbs().maxCoeff(), Real(0));
  }

  void sameResultOnEveryThread() {
    // A shape's kernel is the same whichever thread calls it (determinism across thread counts).
    RandomStream rng(3);
    const Matrix a = randomMatrix(64, 64, rng), b = randomMatrix(64, 32, rng);
    Matrix first(64, 32), second(64, 32);
    gemm(a, Op::Transpose, b, Op::None, first);
    std::thread([&] { gemm(a, Op::Transpose, b, Op::None, second); }).join();
    QCOMPARE((first - second).cwiseAbs().maxCoeff(), Real(0));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestGemm)
#include "test_gemm.moc"
