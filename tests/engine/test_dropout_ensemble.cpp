// MC dropout and deep ensembles against their definitions:
//  - the MC dropout predictive mean is the average of the network over the same mask
//    draws, computed here by hand with the masks applied to the activations;
//  - its weight summary is the closed-form mean and std of W diag(m) / (1 - p);
//  - rate 0 is MAP; the mask rate is p;
//  - the ensemble predictive is the average over its members, computed by hand;
//  - an ensemble of one is MAP from the same initialisation stream, bit for bit.
#include <QtTest>

#include "engine/data/dataset_registry.h"
#include "engine/likelihood/softmax_likelihood.h"
#include "engine/methods/common/sample_posterior.h"
#include "engine/methods/ensemble/ensemble_method.h"
#include "engine/methods/mc_dropout/dropout_posterior.h"
#include "engine/predictive/predictive.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

Matrix grid(Index points, double lo, double hi) {
  Matrix x(1, points);
  for (Index i = 0; i < points; ++i)
    x(0, i) = static_cast<Real>(lo + (hi - lo) * static_cast<double>(i) / (points - 1));
  return x;
}

// f(x; W) with a mask on the input of each layer (empty: none), ReLU hidden layers.
Matrix forwardByHand(const MlpLayout& layout, const Vector& w, const std::vector<Vector>& masks,
                     const Matrix& x) {
  Matrix a = x;
  for (Index l = 0; l < layout.layerCount(); ++l) {
    const LayerShape& s = layout.layer(l);
    const Vector& m = masks[static_cast<size_t>(l)];
    if (m.size() > 0) a = m.asDiagonal() * a;
    const Matrix W = ConstMatrixMap(w.data() + s.weightOffset, s.outputs, s.inputs);
    Matrix z = W * a;
    z.colwise() += w.segment(s.biasOffset, s.outputs);
    a = l + 1 < layout.layerCount() ? Matrix(z.cwiseMax(Real(0))) : z;
  }
  return a;
}

}  // namespace

class TestDropoutEnsemble : public QObject {
  Q_OBJECT
 private slots:
  void dropoutPredictiveMeanIsMaskAverage() {
    SessionConfig c = smallSession("blundell", "mc_dropout", {16, 16});
    c.method.options.set("rate", 0.3);
    c.method.options.set("drop_input", 1.0);
    Trainer trainer(c);
    trainer.run(40);
    const auto post = trainer.posterior();
    const auto& dropout = dynamic_cast<const DropoutPosterior&>(*post);
    QVERIFY(!post->isDeterministic());
    const Matrix x = grid(40, -2, 2);
    const int S = 24;
    const RandomStream rng(99);
    const RegressionPredictive predictive =
        predictRegression(*post, trainer.likelihood(), x, S, rng, 2);
    Matrix mean = Matrix::Zero(1, x.cols());
    double zeros = 0, total = 0;
    for (int s = 0; s < S; ++s) {
      const std::vector<Vector> masks = dropout.drawMasks(rng, s);
      QVERIFY(masks[0].size() == 1 && masks[1].size() == 16 && masks[2].size() == 16);
      for (const Vector& m : masks) {
        zeros += static_cast<double>((m.array() == 0).count());
        total += static_cast<double>(m.size());
      }
      mean += forwardByHand(trainer.layout(), post->flatMean(), masks, x);
    }
    mean /= S;
    const double error = (predictive.mean.transpose() - mean).cwiseAbs().maxCoeff();
    QVERIFY2(error < 1e-5 * (1 + mean.cwiseAbs().maxCoeff()), qPrintable(QString::number(error)));
    // One mask per draw shared by all inputs: draws differ from each other.
    QVERIFY(predictive.stdEpistemic.maxCoeff() > 0);
    QVERIFY(zeros / total > 0.15 && zeros / total < 0.45);
  }

  void dropoutMaskRateIsP() {
    DropoutSettings settings;
    settings.rate = 0.25;
    const Index n = 200000;
    Vector u(n);
    RandomStream rng(1);
    rng.fillUniform(u.data(), n);
    settings.uniformsToMask(u.data(), n);
    const double dropped = static_cast<double>((u.array() == 0).count()) / n;
    const double se = std::sqrt(0.25 * 0.75 / n);
    QVERIFY2(std::abs(dropped - 0.25) < 4 * se, qPrintable(QString::number(dropped)));
    QVERIFY(((u.array() == 0) || (u.array() == Real(1 / 0.75))).all());
  }

  // The weight views' mean and std are the moments of W diag(m) / (1 - p).
  void dropoutSummaryIsMaskMoments() {
    SessionConfig c = smallSession("blundell", "mc_dropout", {8});
    c.method.options.set("rate", 0.4);
    Trainer trainer(c);
    trainer.run(10);
    const auto post = trainer.posterior();
    const auto& dropout = dynamic_cast<const DropoutPosterior&>(*post);
    const Index P = trainer.layout().parameterCount();
    const int draws = 20000;
    const Eigen::ArrayXd closedMean = post->flatMean().array().cast<double>();
    const Eigen::ArrayXd closedSd = post->flatStd().array().cast<double>();
    // Moments of the deviations from the closed-form mean: no cancellation for
    // the weights that never vary (their sd must come out 0, not rounding noise).
    Eigen::ArrayXd sum = Eigen::ArrayXd::Zero(P), sumSq = Eigen::ArrayXd::Zero(P);
    Vector w(P);
    const RandomStream rng(7);
    for (int s = 0; s < draws; ++s) {
      dropout.sampleWeights(rng, s, w.data());
      const Eigen::ArrayXd d = w.array().cast<double>() - closedMean;
      sum += d;
      sumSq += d.square();
    }
    const Eigen::ArrayXd mean = closedMean + sum / draws;
    const Eigen::ArrayXd sd = (sumSq / draws - (sum / draws).square()).max(0).sqrt();
    // Mean within 5 standard errors, std within 5% (its relative se is ~0.7% here).
    QVERIFY(((mean - closedMean).abs() <= 5 * closedSd / std::sqrt(draws) + 1e-6).all());
    QVERIFY(((sd - closedSd).abs() <= 0.05 * closedSd + 1e-6).all());
    // First layer (input not dropped) and biases have no spread; the output layer does.
    const LayerShape& first = trainer.layout().layer(0);
    const LayerShape& last = trainer.layout().layer(1);
    QCOMPARE(post->flatStd().segment(0, first.parameterCount()).norm(), Real(0));
    QVERIFY(post->flatStd().segment(last.weightOffset, last.weightCount()).minCoeff() > 0);
    QCOMPARE(post->flatStd().segment(last.biasOffset, last.outputs).norm(), Real(0));
  }

  void dropoutAtRateZeroIsMap() {
    SessionConfig c = smallSession("cubic", "mc_dropout", {12, 12});
    c.method.options.set("rate", 0.0);
    c.training.batchSize = 40;
    Trainer dropout(c);
    c.method.name = "map";
    c.method.options = OptionValues();
    Trainer map(c);
    auto& d = dynamic_cast<GradientMethod&>(dropout.methodState());
    auto& m = dynamic_cast<GradientMethod&>(map.methodState());
    QVERIFY(d.parameters() == m.parameters());  // same initialisation stream
    QVERIFY(dropout.posterior()->isDeterministic());
    const Batch b = firstBatch(dropout.data().train, 40);
    StepInput input;
    input.batch = &b;
    input.datasetSize = dropout.data().train.size();
    input.rng = RandomStream(3);
    Vector gd(d.parameterCount()), gm(m.parameterCount());
    StepStats sd, sm;
    const double od = d.evaluate(input, d.parameters(), &gd, sd);
    const double om = m.evaluate(input, m.parameters(), &gm, sm);
    QVERIFY(std::abs(od - om) < 1e-5 * std::abs(om));
    QVERIFY((gd - gm).norm() < 1e-5 * gm.norm());
    QVERIFY(std::abs(sd.kl - sm.kl) < 1e-5 * std::abs(sm.kl));
  }

  void ensemblePredictiveIsMemberAverage() {
    SessionConfig c = smallSession("cubic", "ensemble", {16});
    c.method.options.set("members", 4.0);
    Trainer trainer(c);
    trainer.run(30);
    const auto& method = dynamic_cast<const EnsembleMethod&>(trainer.methodState());
    const auto post = trainer.posterior();
    const auto& samples = dynamic_cast<const SamplePosterior&>(*post);
    QCOMPARE(samples.sampleCount(), Index(4));
    const Matrix x = grid(30, -5, 5);
    const RegressionPredictive predictive =
        predictRegression(*post, trainer.likelihood(), x, 4, RandomStream(1), 2);
    Matrix mean = Matrix::Zero(1, x.cols());
    const std::vector<Vector> none(2);
    for (Index k = 0; k < 4; ++k)
      mean += forwardByHand(trainer.layout(), method.memberWeights(k), none, x);
    mean /= 4;
    QVERIFY((predictive.mean.transpose() - mean).cwiseAbs().maxCoeff() <
            1e-5 * (1 + mean.cwiseAbs().maxCoeff()));
    QVERIFY(predictive.stdEpistemic.minCoeff() > 0);  // the members disagree
  }

  void ensembleClassificationIsMemberAverage() {
    SessionConfig c = smallSession("blobs", "ensemble", {8});
    c.method.options.set("members", 3.0);
    Trainer trainer(c);
    trainer.run(30);
    const auto& method = dynamic_cast<const EnsembleMethod&>(trainer.methodState());
    const auto post = trainer.posterior();
    const Matrix x = trainer.data().test.inputs;
    const ClassificationPredictive predictive =
        predictClassification(*post, trainer.likelihood(), x, 3, RandomStream(1), 1);
    Matrix average = Matrix::Zero(predictive.probabilities.rows(), x.cols());
    const std::vector<Vector> none(2);
    for (Index k = 0; k < 3; ++k) {
      Matrix p;
      softmaxColumns(forwardByHand(trainer.layout(), method.memberWeights(k), none, x), p);
      average += p / 3;
    }
    QVERIFY((predictive.probabilities - average).cwiseAbs().maxCoeff() < 1e-5);
  }

  void ensembleOfOneIsMap_data() {
    QTest::addColumn<bool>("learnNoise");
    QTest::newRow("fixed noise") << false;
    QTest::newRow("learned noise") << true;
  }
  void ensembleOfOneIsMap() {
    QFETCH(bool, learnNoise);
    DatasetConfig data;
    data.name = "cubic";
    data.nTrain = 64;
    data.nTest = 8;
    const DataSplit split = makeDataSplit(data);
    LikelihoodConfig likelihood;
    likelihood.learnNoise = learnNoise;
    Problem problem;
    problem.train = std::make_shared<const Dataset>(split.train);
    problem.layout = MlpLayout(1, {16, 16}, 1);
    problem.likelihood = makeLikelihood(likelihood, split.train);
    problem.prior = makePrior(PriorConfig{});
    problem.initRng = RandomStream(42);
    const MethodDescriptor& ensembleDescriptor = *findMethod("ensemble");
    OptionValues one;
    one.set("members", 1.0);
    problem.options = withDefaults(ensembleDescriptor.options, one);
    auto ensemble = ensembleDescriptor.create(problem);
    // MAP from the stream the ensemble gives its first member.
    const MethodDescriptor& mapDescriptor = *findMethod("map");
    problem.options = withDefaults(mapDescriptor.options, {});
    problem.initRng = RandomStream(42).derive(0);
    auto map = mapDescriptor.create(problem);

    RandomStream order(5);
    std::vector<Index> indices(16);
    Batch batch;
    for (int step = 0; step < 100; ++step) {
      for (Index& i : indices) i = static_cast<Index>(order.below(64));
      batch.gather(split.train, indices.data(), 16);
      StepInput input;
      input.batch = &batch;
      input.datasetSize = 64;
      input.step = step;
      input.threads = 2;
      input.rng = RandomStream(9).derive(static_cast<std::uint64_t>(step));
      const StepStats a = ensemble->step(input);
      const StepStats b = map->step(input);
      QCOMPARE(a.elbo, b.elbo);
      QCOMPARE(a.kl, b.kl);
    }
    QVERIFY(dynamic_cast<GradientMethod&>(*ensemble).parameters() ==
            dynamic_cast<GradientMethod&>(*map).parameters());
    QVERIFY(ensemble->posterior()->flatMean() == map->posterior()->flatMean());
    QVERIFY(ensemble->posterior()->isDeterministic());
  }

  void ensembleMembersStartApart() {
    SessionConfig c = smallSession("moons", "ensemble", {8});
    c.method.options.set("members", 3.0);
    Trainer trainer(c);
    const auto& method = dynamic_cast<const EnsembleMethod&>(trainer.methodState());
    QVERIFY(method.memberWeights(0) != method.memberWeights(1));
    QVERIFY(method.memberWeights(1) != method.memberWeights(2));
    const auto post = trainer.posterior();
    const PosteriorSummary summary = post->summary();
    QVERIFY(summary.kind == PosteriorKind::Samples);
    QCOMPARE(summary.layers[0].weightSamples.size(), size_t(3));
    QCOMPARE(summary.layers[1].biasSamples.size(), size_t(3));
    // Draw s is member s mod K.
    std::vector<Matrix> out;
    post->sampleOutputs(trainer.data().test.inputs, 7, RandomStream(0), 2, out);
    QCOMPARE(out.size(), size_t(7));
    QVERIFY(out[5] == out[2] && out[6] == out[0] && out[0] != out[1]);
    QVERIFY(post->flatStd().minCoeff() >= 0 && post->flatStd().maxCoeff() > 0);
    QCOMPARE(trainer.parameterCount(), 3 * trainer.layout().parameterCount());
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestDropoutEnsemble)
#include "test_dropout_ensemble.moc"
