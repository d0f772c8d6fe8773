#include "app/bench_command.h"

#include <QDir>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/train_command.h"
#include "engine/io/atomic_file.h"
#include "engine/predictive/predictive.h"
#include "engine/training/trainer.h"

namespace bayeslab::app {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

SessionConfig benchSession(const std::string& method, std::vector<int> hidden, Index batch,
                           Index steps, int threads) {
  SessionConfig c;
  c.model.hidden = std::move(hidden);
  c.model.activation = "relu";
  c.method.name = method;
  c.prior.name = "gaussian";
  c.prior.options.set("scale", 1.0);
  c.training.steps = steps;
  c.training.batchSize = batch;
  c.training.optimizer = "adam";
  c.training.learningRate = 1e-2;
  c.training.mcSamples = 1;
  c.training.threads = threads;
  c.training.evalEvery = 1'000'000'000;  // timing only: no test evaluation
  return c;
}

// Trains and returns steps per second, timing the steps only (as the reference).
double trainSpeed(Trainer& trainer) {
  const auto start = Clock::now();
  trainer.run();
  return static_cast<double>(trainer.step()) / secondsSince(start);
}

// 5000 x 784 uniform inputs with random labels, as the reference's w3.
std::shared_ptr<const DataSplit> randomImages(std::uint64_t seed) {
  auto split = std::make_shared<DataSplit>();
  RandomStream rng(seed);
  Dataset& d = split->train;
  d.task = Task::Classification;
  d.classes = 10;
  d.inputs.resize(784, 5000);
  rng.fillUniform(d.inputs.data(), d.inputs.size());
  d.labels.resize(5000);
  for (Index i = 0; i < 5000; ++i) d.labels(i) = static_cast<int>(rng.below(10));
  split->test = d.emptyLike();
  split->name = "random_images";
  return split;
}

// The reference's w4 grid: linspace(-2, 3, 100) squared.
Matrix heatmapGrid() {
  Matrix grid(2, 10000);
  for (int i = 0; i < 100; ++i)
    for (int j = 0; j < 100; ++j) {
      grid(0, i * 100 + j) = static_cast<Real>(-2.0 + 5.0 * i / 99.0);
      grid(1, i * 100 + j) = static_cast<Real>(-2.0 + 5.0 * j / 99.0);
    }
  return grid;
}

// Median of a few repetitions of a predictive sweep, in milliseconds.
template <class Fn>
double medianMilliseconds(int repeats, Fn&& fn) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    fn();
    times.push_back(1e3 * secondsSince(start));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

void report(bool quiet, const char* key, const char* unit, double value) {
  if (!quiet) std::fprintf(stderr, "%-24s %10.1f %s\n", key, value, unit);
}

}  // namespace

int runBench(const BenchOptions& options) {
  const int threads = options.threads;
  const auto wanted = [&](const char* key) { return options.only.isEmpty() || options.only == key; };
  json results;
  std::unique_ptr<Trainer> moons, mnist;

  if (wanted("w1_regression_bbb")) {
    SessionConfig c = benchSession("bbb", {64, 64}, 64, 2000, threads);
    c.dataset.name = "blundell";
    c.dataset.nTrain = 256;
    c.dataset.nTest = 0;
    c.dataset.noise = 0.02;
    c.likelihood.noiseStd = 0.1;
    Trainer t(c);
    const double speed = trainSpeed(t);
    results["w1_regression_bbb"] = {{"steps_per_s", speed}};
    report(options.quiet, "w1_regression_bbb", "steps/s", speed);
  }
  if (wanted("w2_classification_lrt") || wanted("w4_heatmap")) {
    SessionConfig c = benchSession("bbb_lrt", {128, 128}, 128, 2000, threads);
    c.dataset.name = "moons";
    c.dataset.nTrain = 1024;
    c.dataset.nTest = 0;
    c.dataset.noise = 0.1;
    moons = std::make_unique<Trainer>(c);
    const double speed = trainSpeed(*moons);
    if (wanted("w2_classification_lrt")) {
      results["w2_classification_lrt"] = {{"steps_per_s", speed}};
      report(options.quiet, "w2_classification_lrt", "steps/s", speed);
    }
  }
  if (wanted("w3_mnist_lrt") || wanted("w5_rotation_sweep")) {
    SessionConfig c = benchSession("bbb_lrt", {400, 400}, 128, 400, threads);
    mnist = std::make_unique<Trainer>(c, randomImages(1));
    const double speed = trainSpeed(*mnist);
    if (wanted("w3_mnist_lrt")) {
      results["w3_mnist_lrt"] = {{"steps_per_s", speed}};
      report(options.quiet, "w3_mnist_lrt", "steps/s", speed);
    }
  }
  if (moons && wanted("w4_heatmap")) {
    // Predictive probabilities and entropy on a 100 x 100 grid with 32 weight samples.
    const auto posterior = moons->posterior();
    const Matrix grid = heatmapGrid();
    double checksum = 0.0;
    const double ms = medianMilliseconds(3, [&] {
      const auto p = predictClassification(*posterior, moons->likelihood(), grid, 32,
                                           RandomStream(4), threads);
      checksum += p.entropy.sum();
    });
    results["w4_heatmap"] = {{"ms", ms}};
    report(options.quiet, "w4_heatmap", "ms", ms);
  }
  if (mnist && wanted("w5_rotation_sweep")) {
    // 37 rotated copies of one digit, 100 weight samples.
    const auto posterior = mnist->posterior();
    Matrix images(784, 37);
    RandomStream(5).fillUniform(images.data(), images.size());
    const double ms = medianMilliseconds(3, [&] {
      predictClassification(*posterior, mnist->likelihood(), images, 100, RandomStream(6), threads);
    });
    results["w5_rotation_sweep"] = {{"ms", ms}};
    report(options.quiet, "w5_rotation_sweep", "ms", ms);
  }
  results["bayeslab"] = BAYESLAB_VERSION;
  results["threads"] = threads;
  std::printf("%s\n", results.dump(1).c_str());
  if (!options.jsonPath.isEmpty()) {
    try {
      writeFileAtomically(options.jsonPath.toStdString(), results.dump(1) + "\n");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bayeslab-cli: error: %s\n", e.what());
      return kExitFailure;
    }
  }
  return kExitOk;
}

}  // namespace bayeslab::app
