// Likelihoods: known values, per-point values consistent with the batch sum,
// and finite-difference gradients with respect to the outputs and the learned
// noise.
#include <QtTest>
#include <numbers>

#include "engine/likelihood/bernoulli_likelihood.h"
#include "engine/likelihood/gaussian_likelihood.h"
#include "engine/likelihood/softmax_likelihood.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

namespace {

Dataset regressionTargets(Index n, Index rows, RandomStream& rng) {
  Dataset d;
  d.task = Task::Regression;
  d.inputs = Matrix::Zero(1, n);
  d.targets.resize(rows, n);
  rng.fillNormal(d.targets);
  return d;
}

Dataset classificationTargets(Index n, int classes, RandomStream& rng) {
  Dataset d;
  d.task = Task::Classification;
  d.inputs = Matrix::Zero(1, n);
  d.classes = classes;
  d.labels.resize(n);
  for (Index i = 0; i < n; ++i)
    d.labels(i) = static_cast<int>(rng.below(static_cast<std::uint64_t>(classes)));
  return d;
}

// Gradient check of sum log p w.r.t. [vec(f); likelihood params].
GradientCheckResult checkLikelihood(const Likelihood& lik, const Dataset& data, Index outputs,
                                    Vector params, RandomStream& rng) {
  const Index n = data.size();
  const Index L = lik.parameterCount();
  Vector x(outputs * n + L);
  rng.fillNormal(x);
  x.tail(L) = params;
  const TargetView y = TargetView::of(data, 0, n);
  const auto objective = [&](const Vector& v, Vector* g) {
    const ConstMatrixMap f(v.data(), outputs, n);
    Matrix dF;
    Vector dParams = Vector::Zero(L);
    const double value = lik.logLikelihood(f, y, v.data() + outputs * n, 1.0, g ? &dF : nullptr,
                                           g ? dParams.data() : nullptr);
    if (g) {
      g->resize(v.size());
      g->head(outputs * n) = Eigen::Map<const Vector>(dF.data(), outputs * n);
      g->tail(L) = dParams;
    }
    return value;
  };
  return checkGradient(objective, x);
}

}  // namespace

class TestLikelihoods : public QObject {
  Q_OBJECT
 private slots:
  void gaussianKnownValue() {
    GaussianLikelihood lik(0.5, false);
    Matrix f(1, 1);
    f << 0.5;
    Dataset d;
    d.task = Task::Regression;
    d.targets = Matrix::Constant(1, 1, 1.0);
    const double expected = -0.5 * 1.0 - std::log(0.5) - 0.5 * std::log(2 * std::numbers::pi);
    QVERIFY(std::abs(lik.logLikelihood(f, TargetView::of(d, 0, 1), nullptr, 1, nullptr, nullptr) -
                     expected) < 1e-12);
    QCOMPARE(lik.noiseVariance(nullptr), 0.25);
  }
  void bernoulliKnownValue() {
    BernoulliLikelihood lik;
    Matrix f(1, 2);
    f << 0.0, std::log(3.0);
    Dataset d;
    d.task = Task::Classification;
    d.labels.resize(2);
    d.labels << 1, 0;
    // p(1 | 0) = 1/2; p(0 | log 3) = 1/4.
    const double v = lik.logLikelihood(f, TargetView::of(d, 0, 2), nullptr, 1, nullptr, nullptr);
    QVERIFY(std::abs(v - (std::log(0.5) + std::log(0.25))) < 1e-12);
  }
  void softmaxKnownValue() {
    SoftmaxLikelihood lik(3);
    Matrix f(3, 1);
    f << 0.0, std::log(2.0), std::log(3.0);  // probabilities 1/6, 2/6, 3/6
    Dataset d;
    d.task = Task::Classification;
    d.labels = IndexVector::Constant(1, 1);
    QVERIFY(std::abs(lik.logLikelihood(f, TargetView::of(d, 0, 1), nullptr, 1, nullptr, nullptr) -
                     std::log(2.0 / 6.0)) < 1e-12);
    Matrix p;
    lik.predictiveMean(f, p);
    QVERIFY(std::abs(p(2, 0) - 0.5) < 1e-12);
    // Stable for huge logits.
    f << 1000.0, 0.0, -1000.0;
    QVERIFY(
        std::isfinite(lik.logLikelihood(f, TargetView::of(d, 0, 1), nullptr, 1, nullptr, nullptr)));
  }

  void pointValuesSumToBatchValue() {
    RandomStream rng(5);
    const Dataset reg = regressionTargets(7, 1, rng);
    const Dataset cls = classificationTargets(7, 4, rng);
    GaussianLikelihood gauss(0.3, false);
    SoftmaxLikelihood soft(4);
    Matrix f1(1, 7), f4(4, 7);
    rng.fillNormal(f1);
    rng.fillNormal(f4);
    Vector point(7);
    gauss.pointLogLikelihood(f1, TargetView::of(reg, 0, 7), nullptr, point.data());
    QVERIFY(std::abs(point.sum() - gauss.logLikelihood(f1, TargetView::of(reg, 0, 7), nullptr, 1,
                                                       nullptr, nullptr)) < 1e-10);
    soft.pointLogLikelihood(f4, TargetView::of(cls, 0, 7), nullptr, point.data());
    QVERIFY(std::abs(point.sum() - soft.logLikelihood(f4, TargetView::of(cls, 0, 7), nullptr, 1,
                                                      nullptr, nullptr)) < 1e-10);
  }

  void gradientGaussianFixedNoise() {
    RandomStream rng(1);
    GaussianLikelihood lik(0.7, false);
    BAYESLAB_VERIFY_GRADIENT(checkLikelihood(lik, regressionTargets(6, 1, rng), 1, Vector(0), rng));
  }
  void gradientGaussianLearnedNoise() {
    RandomStream rng(2);
    GaussianLikelihood lik(0.7, true);
    Vector p(1);
    lik.initialParameters(p.data());
    QVERIFY(std::abs(p(0) - std::log(0.7)) < 1e-12);
    BAYESLAB_VERIFY_GRADIENT(checkLikelihood(lik, regressionTargets(6, 1, rng), 1, p, rng));
  }
  void gradientBernoulli() {
    RandomStream rng(3);
    BernoulliLikelihood lik;
    BAYESLAB_VERIFY_GRADIENT(
        checkLikelihood(lik, classificationTargets(8, 2, rng), 1, Vector(0), rng));
  }
  void gradientSoftmax() {
    RandomStream rng(4);
    SoftmaxLikelihood lik(5);
    BAYESLAB_VERIFY_GRADIENT(
        checkLikelihood(lik, classificationTargets(8, 5, rng), 5, Vector(0), rng));
  }
  void gradientScaleIsApplied() {
    RandomStream rng(6);
    const Dataset d = regressionTargets(4, 1, rng);
    GaussianLikelihood lik(1.0, false);
    Matrix f(1, 4), g1, g2;
    rng.fillNormal(f);
    lik.logLikelihood(f, TargetView::of(d, 0, 4), nullptr, 1.0, &g1, nullptr);
    lik.logLikelihood(f, TargetView::of(d, 0, 4), nullptr, -3.0, &g2, nullptr);
    QVERIFY((g2 + 3.0 * g1).norm() < 1e-12);
  }
  void autoChoosesByTask() {
    RandomStream rng(7);
    LikelihoodConfig c;
    QCOMPARE(std::string(makeLikelihood(c, regressionTargets(3, 1, rng))->id()),
             std::string("gaussian"));
    QCOMPARE(std::string(makeLikelihood(c, classificationTargets(3, 3, rng))->id()),
             std::string("softmax"));
    c.name = "bernoulli";
    QVERIFY_THROWS_EXCEPTION(InputError, makeLikelihood(c, regressionTargets(3, 1, rng)));
    Dataset three = classificationTargets(3, 3, rng);
    QVERIFY_THROWS_EXCEPTION(InputError, makeLikelihood(c, three));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestLikelihoods)
#include "test_likelihoods.moc"
