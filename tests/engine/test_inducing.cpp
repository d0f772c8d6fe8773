// Inducing weights (engine/methods/inducing/) against their definitions:
//  - the extended Matheron rule's draws of a 3 x 4 layer (M = N = 2) match the
//    mean and covariance of W given U by direct Gaussian conditioning of the joint
//    (W, U), whose covariance is built here explicitly from Kronecker products, and
//    of W under q(U);
//  - function-space draws match weight-space draws W x~ (and the closed form) in
//    the mean, variance and covariance of every output at every input;
//  - with lambda = 1 and q(U) = p(U), Cov(W) = s^2 I and the KL terms vanish;
//  - the posterior's exact weight moments and its function and marginal draws;
//  - the parameter counts equal the lecture's formulas (FFG-U and Ensemble-U);
//  - finite-difference checks of the Cholesky and solve gradients alone and of the
//    whole objective for both sampling modes (and every layer forced into function
//    space) and both q, regression with learned noise and softmax classification;
//  - 1 and 2 threads give bit-identical runs;
//  - a short run learns; a non-Gaussian prior is refused naming prior.name.
// Monte Carlo comparisons allow 5 standard errors per statistic.
#include <QtTest>
#include <cmath>

#include <Eigen/Cholesky>

#include "engine/methods/common/softplus.h"
#include "engine/methods/inducing/function_space_sampler.h"
#include "engine/methods/inducing/inducing_method.h"
#include "engine/methods/inducing/inducing_posterior.h"
#include "engine/methods/inducing/matheron_sampler.h"
#include "engine/model/activation.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

constexpr std::uint64_t kLayerSeed = 31;
constexpr std::uint64_t kDrawSeed = 32;
constexpr std::uint64_t kInputSeed = 33;
constexpr std::uint64_t kJitterSeed = 34;
constexpr double kStandardErrors = 5.0;

Matrix kron(const Matrix& a, const Matrix& b) {
  Matrix out(a.rows() * b.rows(), a.cols() * b.cols());
  for (Index i = 0; i < a.rows(); ++i)
    for (Index j = 0; j < a.cols(); ++j)
      out.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return out;
}

Vector vec(const Matrix& m) {
  return Eigen::Map<const Vector>(m.data(), m.size());
}

// One layer with random Z, D and q(U), lambda and sigma_V as given.
struct TestLayer {
  InducingLayerShape shape;
  Vector params;
  InducingFactors factors;
};

TestLayer makeLayer(Index outputs, Index inputs, Index rows, Index cols, Index members,
                    double lambda, double sigmaV, std::uint64_t seed) {
  TestLayer t;
  t.shape.outputs = outputs;
  t.shape.inputs = inputs;
  t.shape.rows = rows;
  t.shape.cols = cols;
  t.shape.members = members;
  t.params.resize(t.shape.count());
  RandomStream rng(seed);
  rng.fillNormal(t.params);
  t.params *= 0.7;
  const InducingLayerShape& s = t.shape;
  for (Index i = 0; i < s.rows + s.cols; ++i)
    t.params(s.rhoR() + i) = static_cast<Real>(inverseSoftplus(0.3 + 0.4 * rng.uniform()));
  t.params(s.rhoLambda()) = static_cast<Real>(inverseSoftplus(lambda));
  if (!s.ensemble())
    for (Index i = 0; i < s.inducingCount(); ++i)
      t.params(s.rhoV() + i) = static_cast<Real>(inverseSoftplus(sigmaV * (0.5 + rng.uniform())));
  t.factors.compute(s, t.params.data(), true);
  return t;
}

struct InducingMoments {
  Vector mean;
  Matrix cov;
};

// vec W (d_out d) given U (and then marginalised over q(U)) by direct Gaussian
// conditioning of the joint N(0, [[I, S_wu], [S_uw, S_uu]]) with
// S_uu = K_c (x) K_r and S_uw = Z_c (x) Z_r (vec(Z_r W Z_c^T) = (Z_c (x) Z_r) vec W).
struct JointPrior {
  Matrix suw, suu, gain;  // gain = S_wu S_uu^-1
  explicit JointPrior(const TestLayer& t) {
    const InducingLayerShape& s = t.shape;
    const ConstMatrixMap zr(t.params.data() + s.zr(), s.rows, s.outputs);
    const ConstMatrixMap zc(t.params.data() + s.zc(), s.cols, s.columns());
    suw = kron(zc, zr);
    suu = kron(t.factors.col.k, t.factors.row.k);
    gain = suu.ldlt().solve(suw).transpose();
  }
  Matrix conditionalCovariance() const {
    return Matrix::Identity(gain.rows(), gain.rows()) - gain * suw;
  }
};

InducingMoments conditionalMoments(const TestLayer& t, const Matrix& u, double s) {
  const JointPrior joint(t);
  const double lambda = t.factors.lambda;
  return {s * joint.gain * vec(u), s * s * lambda * lambda * joint.conditionalCovariance()};
}

// Under q(U): FFG-U vec U = (L_c (x) L_r) vec V, V ~ N(m, diag(sigma^2)); Ensemble-U: the
// mixture over members.
InducingMoments marginalMoments(const TestLayer& t, double s) {
  const InducingLayerShape& sh = t.shape;
  const JointPrior joint(t);
  const Matrix lk = kron(t.factors.col.l, t.factors.row.l);
  const double lambda = t.factors.lambda;
  InducingMoments out;
  Matrix covU;
  if (sh.ensemble()) {
    const Index n = sh.inducingCount();
    Vector mean = Vector::Zero(n);
    Matrix second = Matrix::Zero(n, n);
    for (Index k = 0; k < sh.members; ++k) {
      const Vector u = lk * ConstVectorMap(t.params.data() + sh.member(k), n);
      mean += u / static_cast<Real>(sh.members);
      second += u * u.transpose() / static_cast<Real>(sh.members);
    }
    out.mean = joint.gain * mean;
    covU = second - mean * mean.transpose();
  } else {
    Vector sigma(sh.inducingCount()), unused(sh.inducingCount());
    softplusWithDerivative(t.params.data() + sh.rhoV(), sh.inducingCount(), sigma.data(),
                           unused.data());
    out.mean = joint.gain * (lk * ConstVectorMap(t.params.data() + sh.mean(), sh.inducingCount()));
    covU = lk * sigma.array().square().matrix().asDiagonal() * lk.transpose();
  }
  out.cov =
      lambda * lambda * joint.conditionalCovariance() + joint.gain * covU * joint.gain.transpose();
  out.mean *= s;
  out.cov *= s * s;
  return out;
}

// Sample mean and covariance of the columns of `draws` against `m`, within
// kStandardErrors standard errors per entry (Gaussian: Var(c_ij) = (C_ii C_jj + C_ij^2) / n).
void compareMoments(const Matrix& draws, const InducingMoments& m, const char* what) {
  const double n = static_cast<double>(draws.cols());
  const Vector mean = draws.rowwise().mean();
  const Matrix centred = draws.colwise() - mean;
  const Matrix cov = centred * centred.transpose() / (n - 1.0);
  for (Index i = 0; i < m.mean.size(); ++i) {
    const double se = std::sqrt(std::max(m.cov(i, i), 1e-300) / n);
    QVERIFY2(std::abs(mean(i) - m.mean(i)) < kStandardErrors * se + 1e-12,
             qPrintable(QString("%1: mean %2 is %3, expected %4 (se %5)")
                            .arg(what)
                            .arg(i)
                            .arg(mean(i))
                            .arg(m.mean(i))
                            .arg(se)));
    for (Index j = 0; j <= i; ++j) {
      const double seCov = std::sqrt((m.cov(i, i) * m.cov(j, j) + m.cov(i, j) * m.cov(i, j)) / n);
      QVERIFY2(std::abs(cov(i, j) - m.cov(i, j)) < kStandardErrors * seCov + 1e-12,
               qPrintable(QString("%1: cov(%2, %3) is %4, expected %5 (se %6)")
                              .arg(what)
                              .arg(i)
                              .arg(j)
                              .arg(cov(i, j))
                              .arg(m.cov(i, j))
                              .arg(seCov)));
    }
  }
}

// V of one draw: the member (Ensemble-U) or a draw from q(V).
Matrix drawV(const TestLayer& t, Index member, RandomStream& rng) {
  const InducingLayerShape& s = t.shape;
  if (s.ensemble()) return ConstMatrixMap(t.params.data() + s.member(member), s.rows, s.cols);
  Matrix eps(s.rows, s.cols), sigma(s.rows, s.cols), unused(s.rows, s.cols);
  rng.fillNormal(eps);
  softplusWithDerivative(t.params.data() + s.rhoV(), s.inducingCount(), sigma.data(),
                         unused.data());
  return ConstMatrixMap(t.params.data() + s.mean(), s.rows, s.cols).array() +
         sigma.array() * eps.array();
}

// `n` weight draws (columns: vec W) with V fixed (fixedV non-empty) or from q(V).
Matrix weightDraws(const TestLayer& t, Index n, double s, const Matrix& fixedV) {
  MatheronSampler sampler;
  sampler.resize(t.shape);
  Matrix draws(t.shape.weightCount(), n);
  RandomStream vRng(kDrawSeed + 100);
  const RandomStream root(kDrawSeed);
  for (Index i = 0; i < n; ++i) {
    const Matrix v = fixedV.size() > 0 ? fixedV : drawV(t, 0, vRng);
    sampler.draw(t.factors, t.params.data(), v, static_cast<Real>(s),
                 root.derive(static_cast<std::uint64_t>(i)), draws.col(i).data());
  }
  return draws;
}

void perturbForGradientCheck(InducingMethod& m, Vector& params) {
  RandomStream rng(kJitterSeed);
  Vector jitter(params.size());
  rng.fillNormal(jitter);
  params += 0.3 * jitter;
  // Moderate D, lambda and sigma_V so that every term matters.
  for (const InducingLayerShape& s : m.inducingLayout().layers) {
    for (Index i = s.rhoR(); i <= s.rhoLambda(); ++i) params(i) = -0.5 + 0.2 * jitter(i);
    if (!s.ensemble())
      for (Index i = 0; i < s.inducingCount(); ++i)
        params(s.rhoV() + i) = -1.0 + 0.2 * jitter(s.rhoV() + i);
  }
}

}  // namespace

class TestInducing : public QObject {
  Q_OBJECT
 private slots:
  // Cholesky, solves, softplus: J = <R, L_r> + <R, L_c> + <R, A_r> + <R, A_c> + r lambda
  // through backwardFactors, against finite differences over the layer's parameters.
  void factorGradients() {
    TestLayer t = makeLayer(5, 4, 3, 2, 0, 0.4, 0.5, kLayerSeed);
    const InducingLayerShape s = t.shape;
    RandomStream rng(kLayerSeed + 1);
    Matrix rlr(3, 3), rlc(2, 2), rar(5, 3), rac(2, 5);
    for (Matrix* m : {&rlr, &rlc, &rar, &rac}) rng.fillNormal(*m);
    const Real rLambda = 0.8;
    const auto objective = [&](const Vector& x, Vector* gradient) {
      InducingFactors f;
      f.compute(s, x.data(), true);
      const double value = (rlr.array() * f.row.l.array()).sum() +
                           (rlc.array() * f.col.l.array()).sum() +
                           (rar.array() * f.ar.array()).sum() + (rac.array() * f.ac.array()).sum() +
                           rLambda * f.lambda;
      if (gradient) {
        FactorGradient g;
        g.resize(s);
        g.setZero();
        g.lr = rlr;
        g.lc = rlc;
        g.ar = rar;
        g.ac = rac;
        g.lambda = rLambda;
        gradient->setZero(x.size());
        backwardFactors(s, x.data(), f, g, gradient->data());
      }
      return value;
    };
    const auto r = checkGradient(objective, t.params);
    BAYESLAB_VERIFY_GRADIENT(r);
  }

  void choleskyGradient() {
    const Index n = 4;
    RandomStream rng(kLayerSeed + 2);
    Matrix a(n, n), r(n, n);
    rng.fillNormal(a);
    rng.fillNormal(r);
    const auto objective = [&](const Vector& x, Vector* gradient) {
      const ConstMatrixMap am(x.data(), n, n);
      const Matrix k = am * am.transpose() + Matrix::Identity(n, n);
      const Matrix l = k.llt().matrixL();
      if (gradient) {
        const Matrix kBar = choleskyBackward(l, r);
        *gradient = vec(Real(2) * kBar * am);
      }
      return (r.array() * l.array()).sum();
    };
    const auto result = checkGradient(objective, vec(a));
    BAYESLAB_VERIFY_GRADIENT(result);
  }

  void matheronMatchesConditioning_data() {
    QTest::addColumn<double>("lambda");
    QTest::addColumn<double>("scale");
    QTest::addColumn<bool>("fixedU");
    QTest::newRow("W given U") << 0.7 << 1.3 << true;
    QTest::newRow("W under q(U)") << 0.6 << 0.9 << false;
  }
  void matheronMatchesConditioning() {
    QFETCH(double, lambda);
    QFETCH(double, scale);
    QFETCH(bool, fixedU);
    const TestLayer t = makeLayer(3, 3, 2, 2, 0, lambda, 0.8, kLayerSeed + 3);
    Matrix v;
    InducingMoments expected;
    if (fixedU) {
      RandomStream rng(kLayerSeed + 4);
      v = drawV(t, 0, rng);
      const Matrix u = t.factors.row.l * v * t.factors.col.l.transpose();
      expected = conditionalMoments(t, u, scale);
    } else {
      expected = marginalMoments(t, scale);
    }
    compareMoments(weightDraws(t, 40000, scale, v), expected, "W");
  }

  // lambda = 1 and q(U) = p(U) (m = 0, sigma_V = 1): q(W) is the prior N(0, s^2 I) and
  // both KL terms are 0.
  void priorIsRecovered() {
    TestLayer t = makeLayer(3, 3, 2, 2, 0, 1.0, 1.0, kLayerSeed + 5);
    const InducingLayerShape& s = t.shape;
    t.params.segment(s.mean(), s.inducingCount()).setZero();
    t.params.segment(s.rhoV(), s.inducingCount())
        .setConstant(static_cast<Real>(inverseSoftplus(1.0)));
    t.factors.compute(s, t.params.data(), true);
    const double scale = 1.7;
    const InducingMoments closed = marginalMoments(t, scale);
    QVERIFY((closed.cov - scale * scale * Matrix::Identity(12, 12)).cwiseAbs().maxCoeff() < 1e-9);
    compareMoments(weightDraws(t, 40000, scale, Matrix()),
                   {Vector::Zero(12), scale * scale * Matrix::Identity(12, 12)}, "prior W");
    Vector scratch;
    QVERIFY(std::abs(whitenedKl(s, t.params.data(), 1, nullptr, scratch)) < 1e-12);
    QVERIFY(std::abs(lambdaRegulariser(s, t.factors.lambda, nullptr)) < 1e-9);
    // The posterior's exact moments agree.
    MlpLayout net(3, {}, 3);
    InducingLayout layout;
    layout.layers = {s};
    layout.parameterCount = s.count();
    const InducingPosterior post(MlpKernel(net, Activation::Tanh), Vector(), layout, t.params,
                                 static_cast<Real>(scale));
    QVERIFY(post.flatMean().cwiseAbs().maxCoeff() < 1e-9);
    QVERIFY((post.flatStd().array() - scale).abs().maxCoeff() < 1e-9);
  }

  void functionSpaceMatchesWeightSpace_data() {
    QTest::addColumn<Index>("members");
    QTest::addColumn<Index>("member");
    QTest::newRow("FFG-U") << Index(0) << Index(0);
    QTest::newRow("Ensemble-U member 2") << Index(3) << Index(1);
  }
  void functionSpaceMatchesWeightSpace() {
    QFETCH(Index, members);
    QFETCH(Index, member);
    const double scale = 1.2;
    TestLayer t = makeLayer(3, 3, 2, 2, members, 0.6, 0.7, kLayerSeed + 6);
    // The exact moments of W (given the member for Ensemble-U).
    InducingMoments w;
    if (members > 0) {
      const Matrix v = ConstMatrixMap(t.params.data() + t.shape.member(member), 2, 2);
      w = conditionalMoments(t, t.factors.row.l * v * t.factors.col.l.transpose(), scale);
    } else {
      w = marginalMoments(t, scale);
    }
    Matrix x(3, 3);
    RandomStream rng(kInputSeed);
    rng.fillNormal(x);
    const Index n = 30000;
    FunctionSpaceConstants k;
    k.prepare(t.shape, t.factors, t.params.data(), static_cast<Real>(scale));
    FunctionSpaceSampler sampler;
    sampler.resize(t.shape, n);
    Matrix weights;
    if (members > 0) {
      MatheronSampler m;
      m.resize(t.shape);
      weights.resize(12, n);
      const RandomStream root(kDrawSeed);
      const Matrix v = ConstMatrixMap(t.params.data() + t.shape.member(member), 2, 2);
      for (Index i = 0; i < n; ++i)
        m.draw(t.factors, t.params.data(), v, static_cast<Real>(scale),
               root.derive(static_cast<std::uint64_t>(i)), weights.col(i).data());
    } else {
      weights = weightDraws(t, n, scale, Matrix());
    }
    for (Index i = 0; i < x.cols(); ++i) {
      Vector xt(4);
      xt << x.col(i), 1;
      // f = W x~ = (x~^T (x) I) vec W.
      const Matrix proj = kron(xt.transpose(), Matrix::Identity(3, 3));
      const InducingMoments f{proj * w.mean, proj * w.cov * proj.transpose()};
      const Matrix inputs = x.col(i).replicate(1, n);
      Matrix out(3, n);
      RandomStream stream(kDrawSeed + 1 + static_cast<std::uint64_t>(i));
      sampler.forward(k, member, inputs, 0, stream, out);
      compareMoments(out, f, "function space");
      Matrix fromWeights(3, n);
      for (Index j = 0; j < n; ++j)
        fromWeights.col(j) = ConstMatrixMap(weights.col(j).data(), 3, 4) * xt;
      compareMoments(fromWeights, f, "weight space");
    }
  }

  // The posterior's exact weight moments against its own function draws' weights.
  void posteriorDraws_data() {
    QTest::addColumn<QString>("q");
    QTest::newRow("ffg") << "ffg";
    QTest::newRow("ensemble") << "ensemble";
  }
  void posteriorDraws() {
    QFETCH(QString, q);
    SessionConfig c = smallSession("blundell", "inducing", {6});
    c.model.activation = "tanh";
    c.method.options.set("q", q.toStdString());
    c.method.options.set("members", 3.0);
    Trainer trainer(c);
    trainer.run(30);
    auto& m = dynamic_cast<InducingMethod&>(trainer.methodState());
    Vector params = m.parameters();
    perturbForGradientCheck(m, params);
    m.setParameters(params);
    const auto post = trainer.posterior();
    const auto& inducing = dynamic_cast<const InducingPosterior&>(*post);
    const Index n = 20000, P = trainer.layout().parameterCount();
    Matrix draws(P, n);
    const RandomStream rng(kDrawSeed + 7);
    for (Index s = 0; s < n; ++s) inducing.sampleWeights(rng, s, draws.col(s).data());
    const Vector mean = draws.rowwise().mean();
    const Vector sd =
        ((draws.colwise() - mean).array().square().rowwise().sum() / static_cast<Real>(n - 1))
            .sqrt()
            .matrix();
    const Vector expectedMean = post->flatMean(), expectedSd = post->flatStd();
    for (Index i = 0; i < P; ++i) {
      const double se = expectedSd(i) / std::sqrt(static_cast<double>(n));
      QVERIFY2(std::abs(mean(i) - expectedMean(i)) < kStandardErrors * se,
               qPrintable(QString("mean %1: %2 vs %3").arg(i).arg(mean(i)).arg(expectedMean(i))));
      // A sample sd's standard error is about sd / sqrt(2 n) = 0.5 % for a Gaussian (more
      // for the ensemble's mixture): allow 5 %.
      QVERIFY2(std::abs(sd(i) - expectedSd(i)) < 0.05 * expectedSd(i),
               qPrintable(QString("sd %1: %2 vs %3").arg(i).arg(sd(i)).arg(expectedSd(i))));
    }
  }

  // Per-input moments of the outputs: marginal draws (the first layer in function
  // space) against whole-function draws (Matheron weights).
  void marginalDrawsMatchFunctionDraws_data() {
    QTest::addColumn<QString>("q");
    QTest::newRow("ffg") << "ffg";
    QTest::newRow("ensemble") << "ensemble";
  }
  void marginalDrawsMatchFunctionDraws() {
    QFETCH(QString, q);
    SessionConfig c = smallSession("linear", "inducing", {40});
    c.dataset.options.set("input_dim", 60.0);
    c.method.options.set("q", q.toStdString());
    c.method.options.set("members", 3.0);
    Trainer trainer(c);
    trainer.run(20);
    auto& m = dynamic_cast<InducingMethod&>(trainer.methodState());
    Vector params = m.parameters();
    perturbForGradientCheck(m, params);
    m.setParameters(params);
    const auto post = trainer.posterior();
    const auto& layers = dynamic_cast<const InducingPosterior&>(*post).inducingLayout().layers;
    QVERIFY(functionSpaceIsCheaper(layers[0], 3, true, false));
    Matrix x(60, 3);
    RandomStream(kInputSeed + 1).fillNormal(x);
    std::vector<Matrix> whole, marginal;
    const int S = 8000;
    post->sampleOutputs(x, S, RandomStream(kDrawSeed + 8), 2, whole);
    post->sampleMarginalOutputs(x, S, RandomStream(kDrawSeed + 9), 2, marginal);
    for (Index i = 0; i < x.cols(); ++i) {
      double m1 = 0, m2 = 0, s1 = 0, s2 = 0;
      for (int s = 0; s < S; ++s) {
        const double a = whole[static_cast<size_t>(s)](0, i);
        const double b = marginal[static_cast<size_t>(s)](0, i);
        m1 += a / S;
        m2 += b / S;
        s1 += a * a / S;
        s2 += b * b / S;
      }
      const double v1 = s1 - m1 * m1, v2 = s2 - m2 * m2;
      const double se = std::sqrt((v1 + v2) / S);
      QVERIFY2(std::abs(m1 - m2) < kStandardErrors * se,
               qPrintable(QString("output mean at %1: %2 vs %3").arg(i).arg(m1).arg(m2)));
      // The standard error of a variance is about v sqrt(2 / S) = 1.6 % here.
      QVERIFY2(std::abs(v1 - v2) < 0.1 * std::max(v1, v2),
               qPrintable(QString("output variance at %1: %2 vs %3").arg(i).arg(v1).arg(v2)));
    }
  }

  void parameterCounts() {
    const MlpLayout mnist(784, {400, 400}, 10);
    const MethodDescriptor d = inducingMethodDescriptor();
    OptionValues ffg = OptionValues::defaults(d.options);
    // M = 20, 20, 3; N = 28, 20, 20 (floor(sqrt(d_out)), floor(sqrt(d_in + 1))).
    const Index expected = (20 * 400 + 28 * 785 + 2 * 20 * 28 + 20 + 28 + 1) +
                           (20 * 400 + 20 * 401 + 2 * 20 * 20 + 20 + 20 + 1) +
                           (3 * 10 + 20 * 401 + 2 * 3 * 20 + 3 + 20 + 1);
    QCOMPARE(expected, Index(56204));
    QCOMPARE(d.formulaParameterCount(mnist, ffg), expected);
    QCOMPARE(inducingLayoutFor(mnist, ffg).parameterCount, expected);
    QVERIFY(expected * 4 <= mnist.parameterCount());  // at most 25 % of MAP's 478,410
    OptionValues ensemble = ffg;
    ensemble.set("q", "ensemble");
    ensemble.set("members", 3.0);
    QCOMPARE(d.formulaParameterCount(mnist, ensemble),
             expected + (20 * 28 + 20 * 20 + 3 * 20));  // 3 MN instead of 2 MN
    // Against the method's own count, without the likelihood's learned noise.
    for (const char* q : {"ffg", "ensemble"}) {
      SessionConfig c = smallSession("blundell", "inducing", {9, 7});
      c.likelihood.learnNoise = true;
      c.method.options.set("q", q);
      c.method.options.set("members", 4.0);
      c.method.options.set("rows", 2.0);
      Trainer trainer(c);
      const Index formula = d.formulaParameterCount(
          trainer.layout(), withDefaults(d.options, trainer.config().method.options));
      QCOMPARE(formula, trainer.parameterCount() - 1);
      const auto& m = dynamic_cast<InducingMethod&>(trainer.methodState());
      const InducingLayout& layout = m.inducingLayout();
      // The layers tile the parameter vector.
      Index next = 0;
      for (const InducingLayerShape& s : layout.layers) {
        QCOMPARE(s.offset, next);
        QCOMPARE(s.rows, std::min<Index>(2, s.outputs));  // capped at d_out
        next = s.offset + s.count();
        QCOMPARE(s.ensemble() ? s.member(s.members) : s.rhoV() + s.inducingCount(), next);
      }
      QCOMPARE(next, layout.parameterCount);
    }
  }

  void objectiveGradient_data() {
    QTest::addColumn<QString>("q");
    QTest::addColumn<QString>("sampling");
    QTest::addColumn<int>("force");  // -1: the option's choice; else every layer one LayerSampling
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("batch");
    for (const char* q : {"ffg", "ensemble"}) {
      for (const char* data : {"blundell", "blobs"}) {
        const QString tag = QString("%1 %2 ").arg(q, data);
        QTest::newRow(qPrintable(tag + "weight")) << q << "weight" << -1 << data << 1 << 16;
        QTest::newRow(qPrintable(tag + "function")) << q << "function" << -1 << data << 1 << 16;
        QTest::newRow(qPrintable(tag + "all layers in function space"))
            << q << "function" << int(LayerSampling::Function) << data << 2 << 80;
        QTest::newRow(qPrintable(tag + "all layers explicit W"))
            << q << "weight" << int(LayerSampling::WeightExplicit) << data << 2 << 80;
        QTest::newRow(qPrintable(tag + "all layers factored W"))
            << q << "weight" << int(LayerSampling::WeightFactored) << data << 2 << 80;
      }
    }
  }
  void objectiveGradient() {
    QFETCH(QString, q);
    QFETCH(QString, sampling);
    QFETCH(int, force);
    QFETCH(QString, dataset);
    QFETCH(int, samples);
    QFETCH(int, batch);
    SessionConfig c = smallSession(dataset.toStdString(), "inducing", {6, 5});
    c.dataset.nTrain = 96;
    c.model.activation = "tanh";  // smooth, so finite differences are accurate everywhere
    c.likelihood.learnNoise = dataset == "blundell";
    c.method.options.set("q", q.toStdString());
    c.method.options.set("members", 2.0);
    c.method.options.set("sampling", sampling.toStdString());
    Trainer trainer(c);
    auto& m = dynamic_cast<InducingMethod&>(trainer.methodState());
    if (force >= 0) m.setLayerSampling(static_cast<LayerSampling>(force));
    Vector params = m.parameters();
    perturbForGradientCheck(m, params);
    const Batch b = firstBatch(trainer.data().train, batch);
    const StepInput input = stepInput(trainer, b, samples);
    GradientCheckOptions o;
    o.tolerance = 2e-5;
    o.maxCoordinates = 600;
    const auto r = checkGradient(methodObjective(m, input), params, o);
    BAYESLAB_VERIFY_GRADIENT(r);
    StepStats stats;
    m.evaluate(input, params, nullptr, stats);
    QVERIFY(std::abs(stats.elbo - (stats.expectedLogLikelihood - stats.kl)) <
            1e-9 * std::abs(stats.elbo));
    if (force == int(LayerSampling::Function))
      QVERIFY(m.layerDraws() == std::vector<LayerDraw>(3, LayerDraw::Function));
    if (force == int(LayerSampling::WeightFactored))
      QVERIFY(m.layerDraws() == std::vector<LayerDraw>(3, LayerDraw::Factored));
  }

  // With sampling = function the wide hidden layers are drawn in function space and a
  // narrow output layer in weight space (fewer multiply-adds).
  void functionSamplingChoosesLayers() {
    const InducingLayout layout(MlpLayout(784, {400, 400}, 10), 0, 0, 0);
    QVERIFY(functionSpaceIsCheaper(layout.layers[0], 128, true, true));
    QVERIFY(functionSpaceIsCheaper(layout.layers[1], 128, false, true));
    QVERIFY(!functionSpaceIsCheaper(layout.layers[2], 128, false, true));
    const auto draws = [&](bool function) {
      std::vector<LayerDraw> out;
      for (Index l = 0; l < 3; ++l)
        out.push_back(cheapestDraw(layout.layers[static_cast<size_t>(l)], 128, l == 0, function));
      return out;
    };
    // Weight sampling: the wide layers factored, the output layer's W formed.
    QVERIFY(draws(false) == std::vector<LayerDraw>(
                                {LayerDraw::Factored, LayerDraw::Factored, LayerDraw::Explicit}));
    QVERIFY(draws(true) == std::vector<LayerDraw>(
                               {LayerDraw::Function, LayerDraw::Function, LayerDraw::Explicit}));
  }

  void oneVersusTwoThreads_data() {
    QTest::addColumn<QString>("q");
    QTest::addColumn<QString>("sampling");
    QTest::addColumn<int>("samples");
    QTest::newRow("ffg weight") << "ffg"
                                << "weight" << 1;
    QTest::newRow("ffg function, 2 samples") << "ffg"
                                             << "function" << 2;
    QTest::newRow("ensemble function") << "ensemble"
                                       << "function" << 1;
    QTest::newRow("ensemble weight") << "ensemble"
                                     << "weight" << 1;
  }
  void oneVersusTwoThreads() {
    QFETCH(QString, q);
    QFETCH(QString, sampling);
    QFETCH(int, samples);
    SessionConfig c = smallSession("linear", "inducing", {150, 40});
    c.dataset.options.set("input_dim", 60.0);
    c.dataset.nTrain = 300;
    c.training.batchSize = 130;  // 3 chunks; the second layer's E has 2 column blocks
    c.training.steps = 12;
    c.training.evalEvery = 6;
    c.training.mcSamples = samples;
    c.method.options.set("q", q.toStdString());
    c.method.options.set("members", 2.0);
    c.method.options.set("sampling", sampling.toStdString());
    std::vector<double> elbo[2];
    Vector mean[2], sd[2];
    for (int threads : {1, 2}) {
      c.training.threads = threads;
      Trainer trainer(c);
      trainer.run();
      for (const MetricsRow& row : trainer.history()) elbo[threads - 1].push_back(row.elbo);
      mean[threads - 1] = trainer.posterior()->flatMean();
      sd[threads - 1] = trainer.posterior()->flatStd();
      if (sampling == "function") {
        const auto& m = dynamic_cast<InducingMethod&>(trainer.methodState());
        QVERIFY(m.functionLayers() == std::vector<bool>({true, true, false}));
      }
    }
    QCOMPARE(elbo[0].size(), size_t(12));
    QVERIFY(elbo[0] == elbo[1]);  // bitwise
    QVERIFY(mean[0] == mean[1]);
    QVERIFY(sd[0] == sd[1]);
  }

  // The estimator alone, its work cut finer than the defaults (several column blocks per
  // weight draw, several jobs per product): 1 and 2 threads agree bit for bit, and the
  // jobs' split of the whole-batch products changes the gradient only by rounding.
  void estimatorIsThreadIndependent_data() {
    QTest::addColumn<int>("sampling");
    QTest::addColumn<QString>("q");
    QTest::newRow("explicit, ffg") << int(LayerSampling::WeightExplicit) << "ffg";
    QTest::newRow("factored, ffg") << int(LayerSampling::WeightFactored) << "ffg";
    QTest::newRow("function, ffg") << int(LayerSampling::Function) << "ffg";
    QTest::newRow("factored, ensemble") << int(LayerSampling::WeightFactored) << "ensemble";
    QTest::newRow("cheaper, ensemble") << int(LayerSampling::Cheaper) << "ensemble";
    QTest::newRow("weight, ensemble") << int(LayerSampling::Weight) << "ensemble";
  }
  void estimatorIsThreadIndependent() {
    QFETCH(int, sampling);
    QFETCH(QString, q);
    SessionConfig c = smallSession("blobs", "inducing", {40, 30});
    c.dataset.nTrain = 200;
    c.method.options.set("q", q.toStdString());
    c.method.options.set("members", 2.0);
    Trainer trainer(c);
    auto& m = dynamic_cast<InducingMethod&>(trainer.methodState());
    Vector params = m.parameters();
    perturbForGradientCheck(m, params);
    const Batch b = firstBatch(trainer.data().train, 150);  // 3 chunks
    Activation activation;
    parseActivation(c.model.activation, activation);
    const Index P = m.inducingLayout().parameterCount;
    const auto run = [&](Index jobWork, Index blockWork, int threads, Vector& gradient) {
      InducingEstimator e(trainer.layout(), activation, trainer.sharedLikelihood(),
                          m.inducingLayout(), static_cast<LayerSampling>(sampling), jobWork,
                          blockWork);
      gradient.setZero(P);
      return e.evaluate(b, 4, params.data(), nullptr, Real(0.8), Real(-3), gradient.data(), nullptr,
                        RandomStream(kDrawSeed + 20), threads);
    };
    Vector one, two, coarse;
    const double value1 = run(2000, 300, 1, one);
    const double value2 = run(2000, 300, 2, two);
    QCOMPARE(value1, value2);
    QVERIFY(one == two);  // bitwise
    QVERIFY(one.allFinite() && one.norm() > 0);
    // The default (coarse) job split, same draws (the block work is unchanged).
    const double valueCoarse = run(InducingEstimator::kDefaultJobWork, 300, 2, coarse);
    QVERIFY(std::abs(valueCoarse - value1) < 1e-12 * std::abs(value1));
    QVERIFY((coarse - one).cwiseAbs().maxCoeff() < 1e-10 * (1 + one.cwiseAbs().maxCoeff()));
  }

  void learnsToyData_data() {
    QTest::addColumn<QString>("q");
    QTest::addColumn<QString>("sampling");
    QTest::newRow("ffg function") << "ffg"
                                  << "function";
    QTest::newRow("ensemble weight") << "ensemble"
                                     << "weight";
  }
  void learnsToyData() {
    QFETCH(QString, q);
    QFETCH(QString, sampling);
    SessionConfig c = smallSession("moons", "inducing", {32, 32});
    c.dataset.nTrain = 512;
    c.dataset.nTest = 256;
    c.training.steps = 400;
    c.training.batchSize = 64;
    c.training.evalEvery = 50;
    c.method.options.set("q", q.toStdString());
    c.method.options.set("members", 3.0);
    c.method.options.set("sampling", sampling.toStdString());
    Trainer trainer(c);
    const double before = trainer.evaluateTest(32).logLikelihood;
    trainer.run();
    const TestMetrics after = trainer.evaluateTest(32);
    QVERIFY2(after.logLikelihood > before + 0.2 && after.logLikelihood > -0.4,
             qPrintable(QString("test log-likelihood %1 -> %2 (accuracy %3)")
                            .arg(before)
                            .arg(after.logLikelihood)
                            .arg(after.accuracy)));
  }

  // The prior scale s changes live: every weight moment scales with it (W = s W~);
  // another prior family is ignored (it needs a reset, and the constructor refuses it).
  void priorScaleIsLive() {
    SessionConfig c = smallSession("blundell", "inducing", {6});
    Trainer trainer(c);
    trainer.run(10);
    const Vector mean = trainer.posterior()->flatMean(), sd = trainer.posterior()->flatStd();
    PriorConfig wider = c.prior;
    wider.options.set("scale", 2.5);
    trainer.setPrior(wider);
    const auto& m = dynamic_cast<InducingMethod&>(trainer.methodState());
    QCOMPARE(m.priorScale(), 2.5);
    QVERIFY((trainer.posterior()->flatMean() - 2.5 * mean).cwiseAbs().maxCoeff() < 1e-9);
    QVERIFY((trainer.posterior()->flatStd() - 2.5 * sd).cwiseAbs().maxCoeff() < 1e-9);
    auto& method = trainer.methodState();
    method.setPrior(makePrior(PriorConfig{"laplace", {}}));
    QCOMPARE(m.priorScale(), 2.5);
    trainer.run(5);
    QCOMPARE(trainer.status(), TrainerStatus::Running);
  }

  void rejectsNonGaussianPrior() {
    SessionConfig c = smallSession("blundell", "inducing");
    c.prior.name = "laplace";
    QCOMPARE(trainerInputErrorField(c), QString("prior.name"));
    c.prior.name = "empirical_bayes";
    QCOMPARE(trainerInputErrorField(c), QString("prior.name"));
    c.prior.name = "gaussian";
    QCOMPARE(trainerInputErrorField(c), QString("(accepted)"));
    // Sequential learning needs a per-weight Gaussian prior: refused.
    c.sequential.parts = 2;
    QCOMPARE(trainerInputErrorField(c), QString("sequential.parts"));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestInducing)
#include "test_inducing.moc"
