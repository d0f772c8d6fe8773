#include "app/bench_command.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/train_command.h"
#include "engine/core/gemm.h"
#include "engine/core/parallel.h"
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

// Steps per second of a training workload, timing the steps only (as the
// reference): the median of `repeats` runs from the same initialisation, each
// of the workload's full length. A run of w1 lasts under 0.1 s, so one stall
// of this shared machine would otherwise decide the figure. `last` keeps the
// final run's trainer (its posterior feeds the predictive sweeps);
// `parameters` receives the method's count of learned scalars.
double trainSpeed(const SessionConfig& config, std::shared_ptr<const DataSplit> data, int repeats,
                  std::unique_ptr<Trainer>* last = nullptr, Index* parameters = nullptr) {
  std::vector<double> speeds;
  for (int r = 0; r < repeats; ++r) {
    auto trainer =
        data ? std::make_unique<Trainer>(config, data) : std::make_unique<Trainer>(config);
    if (parameters) *parameters = trainer->parameterCount();
    const auto start = Clock::now();
    trainer->run();
    speeds.push_back(static_cast<double>(trainer->step()) / secondsSince(start));
    if (last) *last = std::move(trainer);
  }
  std::sort(speeds.begin(), speeds.end());
  return speeds[speeds.size() / 2];
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

// Sum over layers of d_in * d_out: the multiply-adds of one forward pass per example.
double macsPerExample(std::initializer_list<double> widths) {
  double total = 0.0;
  const double* w = widths.begin();
  for (size_t l = 0; l + 1 < widths.size(); ++l) total += w[l] * w[l + 1];
  return total;
}

// The workloads, their reference unit and target, and their matrix-product work:
// a training step costs forward (2 B M flops for M multiply-adds per example),
// the weight gradient and the back-propagated deltas (about 2 x forward); local
// reparameterisation doubles all three (a mean and a variance product each).
struct Workload {
  const char* key;
  const char* unit;      // "steps_per_s" (higher is better) or "ms" (lower is better)
  double targetSpeedup;  // BayesLab over PyTorch
  double gemmFlops;      // per step or per sweep
};

const std::vector<Workload>& workloads() {
  static const std::vector<Workload> list = {
      {"w1_regression_bbb", "steps_per_s", 40.0, 6.0 * 64 * macsPerExample({1, 64, 64, 1})},
      {"w2_classification_lrt", "steps_per_s", 15.0, 12.0 * 128 * macsPerExample({2, 128, 128, 2})},
      {"w3_mnist_lrt", "steps_per_s", 4.0, 12.0 * 128 * macsPerExample({784, 400, 400, 10})},
      {"w4_heatmap", "ms", 4.0, 2.0 * 32 * 10000 * macsPerExample({2, 128, 128, 2})},
      {"w5_rotation_sweep", "ms", 10.0, 2.0 * 100 * 37 * macsPerExample({784, 400, 400, 10})},
      // MNF: local reparameterisation's two products per layer and pass; the flows'
      // own products (about 2 x (784 + 400 + 400) x 150 per example) are left out.
      {"w6_mnist_mnf", "steps_per_s", 4.0, 12.0 * 128 * macsPerExample({784, 400, 400, 10})},
      // Inducing weights with one W per step: the network's products as MAP's; the
      // Matheron draw of W (O(d_out d_in (M + N)) per layer) is left out.
      {"w7_mnist_inducing", "steps_per_s", 4.0, 6.0 * 128 * macsPerExample({784, 400, 400, 10})},
      {"w8_mnist_map", "steps_per_s", 4.0, 6.0 * 128 * macsPerExample({784, 400, 400, 10})},
      // Function space never forms W: no weight-space product to set it against.
      {"w9_mnist_inducing_function", "steps_per_s", 0.0, 0.0},
  };
  return list;
}

// The w3 network trained by another method on the w3 data (w6-w9).
SessionConfig mnistSession(const std::string& method, int threads) {
  return benchSession(method, {400, 400}, 128, 400, threads);
}

// The machine's float GEMM rate on `threads` threads: each thread multiplies its
// own 384 x 384 matrices through the engine's gemm() (libxsmm or Eigen,
// single-threaded inside), as the engine's units do.
double measureGemmGflops(int threads) {
  constexpr Index n = 384;
  const double flopsPerProduct = 2.0 * n * n * n;
  std::vector<long long> products(static_cast<size_t>(threads), 0);
  const auto start = Clock::now();
  parallelFor(threads, threads, [&](Index t) {
    Matrix a = Matrix::Random(n, n), b = Matrix::Random(n, n), c(n, n);
    const auto mine = Clock::now();
    while (secondsSince(mine) < 0.6) {
      gemm(a, Op::None, b, Op::None, c);
      a(0, 0) += c(1, 1) * Real(1e-9);  // keep the products live
      ++products[static_cast<size_t>(t)];
    }
  });
  long long total = 0;
  for (long long p : products) total += p;
  return static_cast<double>(total) * flopsPerProduct / secondsSince(start) / 1e9;
}

// Runs the PyTorch reference script and returns its JSON (throws with a reason).
json runReference(const BenchOptions& options) {
  QTemporaryDir dir;
  const QString out = dir.filePath("torch.json");
  QProcess p;
  p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  if (!options.quiet)
    std::fprintf(stderr, "running the PyTorch reference (%s)...\n",
                 qPrintable(options.referencePath));
  p.start(options.python,
          {options.referencePath, "--threads", QString::number(options.threads), "--json", out});
  if (!p.waitForStarted(10000))
    throw std::runtime_error(options.python.toStdString() + ": cannot start the interpreter");
  p.waitForFinished(-1);
  if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
    throw std::runtime_error(options.referencePath.toStdString() +
                             ": the reference failed (is python3-torch installed? "
                             "apt-get install python3-torch libopenblas0-pthread)");
  QFile file(out);
  if (!file.open(QIODevice::ReadOnly))
    throw std::runtime_error(options.referencePath.toStdString() + ": wrote no results");
  return json::parse(file.readAll().toStdString());
}

// BayesLab's speed-up over the reference (> 1: BayesLab faster).
double speedup(const Workload& w, double ours, double reference) {
  if (!(ours > 0) || !(reference > 0)) return std::numeric_limits<double>::quiet_NaN();
  return std::string(w.unit) == "ms" ? reference / ours : ours / reference;
}

}  // namespace

int runBench(const BenchOptions& options) {
  const int threads = options.threads;
  const auto wanted = [&](const char* key) {
    return options.only.isEmpty() || options.only == key;
  };
  json results;
  json reference;
  if (!options.referencePath.isEmpty()) {
    try {
      reference = runReference(options);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bayeslab-cli: error: %s\n", e.what());
      return kExitBadInput;
    }
  }
  std::unique_ptr<Trainer> moons, mnist;

  if (wanted("w1_regression_bbb")) {
    SessionConfig c = benchSession("bbb", {64, 64}, 64, 2000, threads);
    c.dataset.name = "blundell";
    c.dataset.nTrain = 256;
    c.dataset.nTest = 0;
    c.dataset.noise = 0.02;
    c.likelihood.noiseStd = 0.1;
    const double speed = trainSpeed(c, nullptr, 5);
    results["w1_regression_bbb"] = {{"steps_per_s", speed}};
    report(options.quiet, "w1_regression_bbb", "steps/s", speed);
  }
  if (wanted("w2_classification_lrt") || wanted("w4_heatmap")) {
    SessionConfig c = benchSession("bbb_lrt", {128, 128}, 128, 2000, threads);
    c.dataset.name = "moons";
    c.dataset.nTrain = 1024;
    c.dataset.nTest = 0;
    c.dataset.noise = 0.1;
    const double speed = trainSpeed(c, nullptr, 5, &moons);
    if (wanted("w2_classification_lrt")) {
      results["w2_classification_lrt"] = {{"steps_per_s", speed}};
      report(options.quiet, "w2_classification_lrt", "steps/s", speed);
    }
  }
  if (wanted("w3_mnist_lrt") || wanted("w5_rotation_sweep")) {
    SessionConfig c = benchSession("bbb_lrt", {400, 400}, 128, 400, threads);
    const double speed = trainSpeed(c, randomImages(1), 3, &mnist);
    if (wanted("w3_mnist_lrt")) {
      results["w3_mnist_lrt"] = {{"steps_per_s", speed}};
      report(options.quiet, "w3_mnist_lrt", "steps/s", speed);
    }
  }
  // The rich posteriors and the deterministic network they are priced against,
  // on w3's network and data. Each method's own defaults are the workload's
  // settings (flows of 2 steps with 50 / 100 hidden units; M = floor(sqrt(d_out))
  // x N = floor(sqrt(d_in + 1)) inducing matrices, FFG-U, lambda from 1e-3); the
  // sampling of the inducing weights is set per workload.
  const auto mnistWorkload = [&](const char* key, SessionConfig c) {
    if (!wanted(key)) return;
    Index parameters = 0;
    try {
      const double speed = trainSpeed(c, randomImages(1), 3, nullptr, &parameters);
      results[key] = {{"steps_per_s", speed}, {"parameters", parameters}};
      report(options.quiet, key, "steps/s", speed);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%-24s skipped: %s\n", key, e.what());
    }
  };
  {
    // As the reference's MNFLinear: log sigma starts at -9.
    SessionConfig c = mnistSession("mnf", threads);
    c.method.options.set("init_log_sigma", -9.0);
    mnistWorkload("w6_mnist_mnf", c);
  }
  {
    SessionConfig c = mnistSession("inducing", threads);
    c.method.options.set("sampling", "weight");
    mnistWorkload("w7_mnist_inducing", c);
  }
  mnistWorkload("w8_mnist_map", mnistSession("map", threads));
  {
    SessionConfig c = mnistSession("inducing", threads);
    c.method.options.set("sampling", "function");
    mnistWorkload("w9_mnist_inducing_function", c);
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
  const double gflops = measureGemmGflops(threads);
  results["gemm_gflops"] = gflops;
  results["gemm_backend"] = gemmBackend();
  if (!options.quiet)
    std::fprintf(
        stderr,
        "\nfloat GEMM (%s) on %d threads: %.1f GFLOP/s\n\n%-26s %12s %12s %9s %7s %12s %7s\n",
        gemmBackend(), threads, gflops, "workload", "BayesLab", "PyTorch", "speed-up", "target",
        "GEMM limit", "of it");
  json comparison;
  for (const Workload& w : workloads()) {
    if (!results.contains(w.key)) continue;
    const double ours = results[w.key][w.unit].get<double>();
    const bool perSecond = std::string(w.unit) != "ms";
    // The time the matrix products alone would take at the measured GEMM rate.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double limitSeconds = w.gemmFlops / (gflops * 1e9);
    const double limit =
        w.gemmFlops <= 0 ? nan : perSecond ? 1.0 / limitSeconds : 1e3 * limitSeconds;
    const double ofLimit = perSecond ? ours / limit : limit / ours;
    if (std::isfinite(limit)) {
      results[w.key]["gemm_limit"] = limit;
      results[w.key]["fraction_of_gemm_limit"] = ofLimit;
    }
    double ref = std::numeric_limits<double>::quiet_NaN();
    if (reference.contains(w.key)) ref = reference[w.key][w.unit].get<double>();
    const double ratio = speedup(w, ours, ref);
    // The same model as the reference: the learned scalars must agree.
    if (reference.contains(w.key) && reference[w.key].contains("parameters") &&
        results[w.key].contains("parameters")) {
      const auto theirs = reference[w.key]["parameters"].get<long long>();
      const auto mine = results[w.key]["parameters"].get<long long>();
      results[w.key]["parameters_match_reference"] = theirs == mine;
      if (!options.quiet && theirs != mine)
        std::fprintf(stderr, "%s: %lld learned parameters, the reference has %lld\n", w.key, mine,
                     theirs);
    }
    if (reference.contains(w.key) && w.targetSpeedup > 0)
      comparison[w.key] = {{"bayeslab", ours},
                           {"pytorch", ref},
                           {"speedup", ratio},
                           {"target", w.targetSpeedup},
                           {"met", ratio >= w.targetSpeedup},
                           {"unit", w.unit}};
    if (!options.quiet) {
      const auto number = [](double x, const char* suffix = "") {
        return std::isfinite(x) ? QString::number(x, 'f', 1).toStdString() + suffix
                                : std::string("-");
      };
      const std::string target =
          w.targetSpeedup > 0 ? QString::number(w.targetSpeedup, 'f', 0).toStdString() + "x" : "-";
      const std::string ofText =
          std::isfinite(ofLimit) ? QString::number(100.0 * ofLimit, 'f', 0).toStdString() + "%"
                                 : std::string("-");
      std::fprintf(stderr, "%-26s %12.1f %12s %9s %7s %12s %7s  %s\n", w.key, ours,
                   number(ref).c_str(), number(ratio, "x").c_str(), target.c_str(),
                   number(limit).c_str(), ofText.c_str(), perSecond ? "steps/s" : "ms");
    }
  }
  // The cost of being Bayesian, inside this run (BENCHMARKS.md): each Bayesian
  // workload against the deterministic network of w8.
  if (results.contains("w8_mnist_map")) {
    const double mapSpeed = results["w8_mnist_map"]["steps_per_s"].get<double>();
    const double mapParameters = results["w8_mnist_map"]["parameters"].get<double>();
    json cost;
    const auto ratio = [&](const char* key, const char* what, const char* field, double of,
                           double target, bool atLeast) {
      if (!results.contains(key)) return;
      const double value = results[key][field].get<double>() / of;
      const bool met = atLeast ? value >= target : value <= target;
      cost[std::string(key) + "_" + what] = {{"ratio", value}, {"target", target}, {"met", met}};
      if (!options.quiet)
        std::fprintf(stderr, "%-26s %-16s %6.2f  (target %s %.2f) %s\n", key, what, value,
                     atLeast ? ">=" : "<=", target, met ? "met" : "MISSED");
    };
    if (!options.quiet) std::fprintf(stderr, "\ncost of being Bayesian (against w8, MAP):\n");
    ratio("w3_mnist_lrt", "speed_vs_map", "steps_per_s", mapSpeed, 0.5, true);
    ratio("w7_mnist_inducing", "params_vs_map", "parameters", mapParameters, 0.25, false);
    ratio("w9_mnist_inducing_function", "params_vs_map", "parameters", mapParameters, 0.25, false);
    ratio("w9_mnist_inducing_function", "speed_vs_map", "steps_per_s", mapSpeed, 1.0, true);
    ratio("w6_mnist_mnf", "speed_vs_map", "steps_per_s", mapSpeed, 0.0, true);
    ratio("w7_mnist_inducing", "speed_vs_map", "steps_per_s", mapSpeed, 0.0, true);
    results["cost_of_being_bayesian"] = cost;
  }
  if (!reference.is_null()) {
    results["pytorch"] = reference;
    results["comparison"] = comparison;
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
