#include "engine/io/run_writer.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/data/csv_dataset.h"
#include "engine/io/atomic_file.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

// JSON with single-precision floats: posterior files stay compact and exact for float data.
using FloatJson = nlohmann::basic_json<std::map, std::vector, std::string, bool, std::int64_t,
                                       std::uint64_t, float>;

void cell(std::ostream& os, double x) {
  if (std::isfinite(x)) os << x;
}

template <class J>
J matrixJson(const Matrix& m) {
  J rows = J::array();
  for (Index r = 0; r < m.rows(); ++r) {
    J row = J::array();
    for (Index c = 0; c < m.cols(); ++c) row.push_back(static_cast<float>(m(r, c)));
    rows.push_back(std::move(row));
  }
  return rows;
}

template <class J>
J vectorJson(const Vector& v) {
  J a = J::array();
  for (Index i = 0; i < v.size(); ++i) a.push_back(static_cast<float>(v(i)));
  return a;
}

const char* kindName(PosteriorKind kind) {
  switch (kind) {
    case PosteriorKind::Point:
      return "point";
    case PosteriorKind::Gaussian:
      return "gaussian";
    case PosteriorKind::Samples:
      return "samples";
  }
  return "gaussian";
}

}  // namespace

RunResults computeRunResults(const Trainer& trainer, const RunOutputOptions& options) {
  RunResults r;
  const auto posterior = trainer.posterior();
  const int threads = trainer.config().training.threads;
  const RandomStream rng = RandomStream(trainer.config().training.seed).derive("outputs");
  r.test = trainer.evaluateTest(trainer.config().training.evalSamples);
  r.finalElbo = trainer.finalElbo();
  r.posterior = posterior->summary();
  const Dataset& train = trainer.data().train;
  if (train.task == Task::Regression && train.inputDim() == 1) {
    r.regressionGrid = regressionGrid(train, options.regressionGridPoints);
    r.regression = predictRegression(*posterior, trainer.likelihood(), r.regressionGrid->points,
                                     options.predictiveSamples, rng.derive("grid"), threads, 12);
  } else if (train.task == Task::Classification && train.inputDim() == 2) {
    r.classificationGrid = classificationGrid(train, options.classificationGridResolution);
    r.classification =
        predictClassification(*posterior, trainer.likelihood(), r.classificationGrid->points,
                              options.predictiveSamples, rng.derive("grid"), threads);
  }
  const Dataset& test = trainer.data().test;
  if (train.task == Task::Classification && test.size() > 0) {
    const int samples = trainer.config().training.evalSamples;
    const ClassificationPredictive p = predictClassification(
        *posterior, trainer.likelihood(), test.inputs, samples, rng.derive("test"), threads);
    r.reliability = reliabilityDiagram(p.probabilities, test.labels);
    const Dataset& ood = trainer.data().outOfDistribution;
    if (ood.size() > 0) {
      const ClassificationPredictive q = predictClassification(
          *posterior, trainer.likelihood(), ood.inputs, samples, rng.derive("ood"), threads);
      OutOfDistributionResult o;
      o.inDistributionEntropy.assign(p.entropy.data(), p.entropy.data() + p.entropy.size());
      o.outOfDistributionEntropy.assign(q.entropy.data(), q.entropy.data() + q.entropy.size());
      o.auroc = areaUnderRoc(o.inDistributionEntropy, o.outOfDistributionEntropy);
      r.outOfDistribution = std::move(o);
    }
  }
  if (train.isImage() && test.size() > 0) {
    r.rotationIndex = defaultRotationDigit(test);
    r.rotation = rotationOf(trainer, *posterior, r.rotationIndex, options.predictiveSamples,
                            options.rotationStep);
  }
  return r;
}

Index defaultRotationDigit(const Dataset& test) {
  const Index one = firstOfClass(test.labels, 1);
  return one >= 0 ? one : 0;
}

RotationSweep rotationOf(const Trainer& trainer, const Posterior& posterior, Index testIndex,
                         int samples, double step) {
  const Dataset& test = trainer.data().test;
  const RandomStream rng = RandomStream(trainer.config().training.seed).derive("rotation");
  return rotationSweep(posterior, trainer.likelihood(), test.inputs.col(testIndex).data(),
                       test.imageWidth, test.imageHeight, samples, rng,
                       trainer.config().training.threads, 180.0, step);
}

std::string rotationCsv(const RotationSweep& sweep) {
  std::ostringstream os;
  os.precision(7);
  os << "angle";
  for (Index k = 0; k < sweep.probabilities.rows(); ++k) os << ",p" << k;
  os << ",entropy,mutual_information\n";
  for (size_t a = 0; a < sweep.angles.size(); ++a) {
    const auto i = static_cast<Index>(a);
    os << sweep.angles[a];
    for (Index k = 0; k < sweep.probabilities.rows(); ++k) os << "," << sweep.probabilities(k, i);
    os << "," << sweep.entropy(i) << "," << sweep.mutualInformation(i) << "\n";
  }
  return os.str();
}

std::string metricsCsv(const std::vector<MetricsRow>& history, Task task) {
  std::ostringstream os;
  os.precision(8);
  os << "step,elbo,expected_log_likelihood,kl,objective,seconds,test_log_likelihood,"
     << (task == Task::Regression ? "test_rmse" : "test_accuracy");
  const int extras = history.empty() ? 0 : history.front().extraCount;
  for (int e = 0; e < extras; ++e)
    os << "," << history.front().extras[static_cast<size_t>(e)].first;
  os << "\n";
  for (const MetricsRow& row : history) {
    os << row.step << ",";
    cell(os, row.elbo);
    os << ",";
    cell(os, row.expectedLogLikelihood);
    os << ",";
    cell(os, row.kl);
    os << ",";
    cell(os, row.objective);
    os << ",";
    cell(os, row.seconds);
    os << ",";
    cell(os, row.testLogLikelihood);
    os << ",";
    cell(os, task == Task::Regression ? row.testRmse : row.testAccuracy);
    for (int e = 0; e < extras; ++e) {
      os << ",";
      if (e < row.extraCount) cell(os, row.extras[static_cast<size_t>(e)].second);
    }
    os << "\n";
  }
  return os.str();
}

std::string summaryJson(const Trainer& trainer, const RunResults& results) {
  using nlohmann::json;
  const auto num = [](double x) { return std::isfinite(x) ? json(x) : json(nullptr); };
  const SessionConfig& c = trainer.config();
  json j;
  j["method"] = c.method.name;
  j["dataset"] = c.dataset.name;
  j["task"] = taskName(trainer.data().train.task);
  j["model"] = trainer.layout().describe();
  j["prior"] = trainer.prior().describe();
  j["status"] = trainer.status() == TrainerStatus::Diverged ? "diverged" : "finished";
  if (!trainer.message().empty()) j["message"] = trainer.message();
  j["steps"] = trainer.step();
  j["final_elbo"] = num(results.finalElbo);
  j["test_log_likelihood"] = num(results.test.logLikelihood);
  if (trainer.data().train.task == Task::Regression)
    j["test_rmse"] = num(results.test.rmse);
  else
    j["test_accuracy"] = num(results.test.accuracy);
  j["test_ece"] = num(results.test.ece);
  if (results.outOfDistribution) {
    const auto mean = [](const std::vector<double>& v) {
      double sum = 0;
      for (double x : v) sum += x;
      return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
    };
    j["ood_auroc"] = num(results.outOfDistribution->auroc);
    j["test_mean_entropy"] = mean(results.outOfDistribution->inDistributionEntropy);
    j["ood_mean_entropy"] = mean(results.outOfDistribution->outOfDistributionEntropy);
  }
  j["train_seconds"] = trainer.trainingSeconds();
  j["steps_per_second"] =
      trainer.trainingSeconds() > 0 ? trainer.step() / trainer.trainingSeconds() : 0.0;
  j["parameters"] = trainer.parameterCount();
  j["n_train"] = trainer.data().train.size();
  j["n_test"] = trainer.data().test.size();
  j["seed"] = c.training.seed;
  j["threads"] = c.training.threads;
  return j.dump(2) + "\n";
}

std::string posteriorJson(const PosteriorSummary& summary, const Trainer& trainer) {
  FloatJson j;
  j["kind"] = kindName(summary.kind);
  j["model"] = trainer.layout().describe();
  j["activation"] = trainer.config().model.activation;
  FloatJson layers = FloatJson::array();
  for (const LayerPosterior& l : summary.layers) {
    FloatJson layer;
    layer["weight_mean"] = matrixJson<FloatJson>(l.weightMean);
    layer["weight_std"] = matrixJson<FloatJson>(l.weightStd);
    layer["bias_mean"] = vectorJson<FloatJson>(l.biasMean);
    layer["bias_std"] = vectorJson<FloatJson>(l.biasStd);
    if (!l.weightSamples.empty()) {
      FloatJson ws = FloatJson::array(), bs = FloatJson::array();
      for (const Matrix& w : l.weightSamples) ws.push_back(matrixJson<FloatJson>(w));
      for (const Vector& b : l.biasSamples) bs.push_back(vectorJson<FloatJson>(b));
      layer["weight_samples"] = std::move(ws);
      layer["bias_samples"] = std::move(bs);
    }
    layers.push_back(std::move(layer));
  }
  j["layers"] = std::move(layers);
  const auto posterior = trainer.posterior();
  const double noiseVar =
      trainer.likelihood().noiseVariance(posterior->likelihoodParameters().data());
  if (noiseVar > 0) j["likelihood"] = {{"noise_std", static_cast<float>(std::sqrt(noiseVar))}};
  return j.dump() + "\n";
}

std::string predictiveCsv(const RunResults& r) {
  std::ostringstream os;
  os.precision(7);
  if (r.regression) {
    os << "x0,mean,std_epistemic,std_total\n";
    const auto& p = *r.regression;
    for (Index i = 0; i < p.mean.size(); ++i)
      os << r.regressionGrid->points(0, i) << "," << p.mean(i) << "," << p.stdEpistemic(i) << ","
         << p.stdTotal(i) << "\n";
  } else if (r.classification) {
    const auto& p = *r.classification;
    os << "x0,x1";
    for (Index k = 0; k < p.probabilities.rows(); ++k) os << ",p" << k;
    os << ",entropy,mutual_information\n";
    for (Index i = 0; i < p.probabilities.cols(); ++i) {
      os << r.classificationGrid->points(0, i) << "," << r.classificationGrid->points(1, i);
      for (Index k = 0; k < p.probabilities.rows(); ++k) os << "," << p.probabilities(k, i);
      os << "," << p.entropy(i) << "," << p.mutualInformation(i) << "\n";
    }
  }
  return os.str();
}

void writeRunOutputs(const std::filesystem::path& dir, const Trainer& trainer,
                     const RunResults& results) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw std::runtime_error(dir.string() + ": cannot create the folder (" + ec.message() + ")");
  writeFileAtomically(dir / "metrics.csv",
                      metricsCsv(trainer.history(), trainer.data().train.task));
  writeFileAtomically(dir / "summary.json", summaryJson(trainer, results));
  writeFileAtomically(dir / "posterior.json", posteriorJson(results.posterior, trainer));
  const std::string predictive = predictiveCsv(results);
  if (!predictive.empty()) writeFileAtomically(dir / "predictive.csv", predictive);
  // Streamed: the text of a large image set would be larger than its floats.
  writeFileAtomically(dir / "data.csv",
                      [&](const TextSink& sink) { csvText(trainer.data().train, sink); });
  if (results.rotation) writeFileAtomically(dir / "rotation.csv", rotationCsv(*results.rotation));
}

BAYESLAB_END_NAMESPACE
