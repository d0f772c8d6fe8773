#include "engine/diagnostics/gradient_variance.h"

#include <chrono>
#include <cmath>

#include "engine/methods/bbb/reparameterisation_estimator.h"
#include "engine/methods/bbb_flipout/flipout_estimator.h"
#include "engine/methods/bbb_lrt/local_reparameterisation_estimator.h"
#include "engine/methods/bbvi/score_function_estimator.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

std::unique_ptr<DataTermEstimator> makeEstimator(GradientEstimatorKind kind,
                                                 const Problem& problem) {
  switch (kind) {
    case GradientEstimatorKind::Reparameterisation:
      return std::make_unique<ReparameterisationEstimator>(problem);
    case GradientEstimatorKind::LocalReparameterisation:
      return std::make_unique<LocalReparameterisationEstimator>(problem);
    case GradientEstimatorKind::Flipout:
      return std::make_unique<FlipoutEstimator>(problem);
    case GradientEstimatorKind::ScoreFunction:
      return std::make_unique<ScoreFunctionEstimator>(problem, true);
  }
  return nullptr;
}

// Welford's running mean and sum of squared deviations, per parameter, in double.
struct RunningMoments {
  Eigen::ArrayXd mean, m2;
  int count = 0;
  explicit RunningMoments(Index n) : mean(Eigen::ArrayXd::Zero(n)), m2(Eigen::ArrayXd::Zero(n)) {}
  void add(const Vector& x) {
    ++count;
    const Eigen::ArrayXd value = x.array().cast<double>();
    const Eigen::ArrayXd before = value - mean;
    mean += before / count;
    m2 += before * (value - mean);
  }
  Eigen::ArrayXd variance() const { return m2 / std::max(1, count - 1); }
};

}  // namespace

const std::vector<GradientEstimatorKind>& allGradientEstimators() {
  static const std::vector<GradientEstimatorKind> all = {
      GradientEstimatorKind::Reparameterisation, GradientEstimatorKind::LocalReparameterisation,
      GradientEstimatorKind::Flipout, GradientEstimatorKind::ScoreFunction};
  return all;
}

const char* gradientEstimatorId(GradientEstimatorKind kind) {
  switch (kind) {
    case GradientEstimatorKind::Reparameterisation:
      return "reparameterisation";
    case GradientEstimatorKind::LocalReparameterisation:
      return "local_reparameterisation";
    case GradientEstimatorKind::Flipout:
      return "flipout";
    case GradientEstimatorKind::ScoreFunction:
      return "score_function";
  }
  return "";
}

const char* gradientEstimatorName(GradientEstimatorKind kind) {
  switch (kind) {
    case GradientEstimatorKind::Reparameterisation:
      return "Reparameterisation";
    case GradientEstimatorKind::LocalReparameterisation:
      return "Local reparameterisation";
    case GradientEstimatorKind::Flipout:
      return "Flipout";
    case GradientEstimatorKind::ScoreFunction:
      return "Score function";
  }
  return "";
}

std::optional<FieldError> GradientVarianceOptions::validate() const {
  if (repetitions < 2) return FieldError{"repetitions", "needs at least 2 estimates"};
  if (mcSamples < 1) return FieldError{"mc_samples", "must be at least 1"};
  if (threads < 1) return FieldError{"threads", "must be at least 1"};
  if (warmup < 0) return FieldError{"warmup", "must not be negative"};
  if (!(fallbackStd > 0.0) || !std::isfinite(fallbackStd))
    return FieldError{"fallback_std", "must be a positive number"};
  return std::nullopt;
}

std::vector<GradientVariance> measureGradientVariance(
    const MlpLayout& layout, Activation activation, std::shared_ptr<const Likelihood> likelihood,
    const Vector& mu, const Vector& sigma, const Vector& likelihoodParameters, const Batch& batch,
    const GradientVarianceOptions& options, const std::vector<GradientEstimatorKind>& estimators) {
  if (auto error = options.validate()) throw InputError("", error->field, error->message);
  const Index P = layout.parameterCount();
  Problem problem;
  problem.layout = layout;
  problem.activation = activation;
  problem.likelihood = likelihood;

  StepInput input;
  input.batch = &batch;
  input.datasetSize = batch.size();  // N / B = 1: the unscaled minibatch data term
  input.mcSamples = options.mcSamples;
  input.threads = options.threads;
  const RandomStream root(options.seed);
  Vector dMu(P), dSigma(P);

  std::vector<GradientVariance> results;
  for (GradientEstimatorKind kind : estimators) {
    const auto estimator = makeEstimator(kind, problem);
    const RandomStream stream = root.derive(static_cast<std::uint64_t>(kind));
    for (int w = 0; w < options.warmup; ++w) {
      input.rng = stream.derive("warmup").derive(static_cast<std::uint64_t>(w));
      estimator->estimate(input, mu.data(), sigma.data(), likelihoodParameters.data(), Real(1),
                          dMu.data(), dSigma.data(), nullptr);
    }
    RunningMoments momentsMu(P), momentsSigma(P);
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < options.repetitions; ++r) {
      input.rng = stream.derive(static_cast<std::uint64_t>(r));
      estimator->estimate(input, mu.data(), sigma.data(), likelihoodParameters.data(), Real(1),
                          dMu.data(), dSigma.data(), nullptr);
      momentsMu.add(dMu);
      momentsSigma.add(dSigma);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    GradientVariance v;
    v.estimator = kind;
    v.repetitions = options.repetitions;
    v.secondsPerEstimate = seconds / options.repetitions;
    v.meanMu = momentsMu.mean.matrix();
    v.meanSigma = momentsSigma.mean.matrix();
    v.parameterVarianceMu = momentsMu.variance().matrix();
    v.parameterVarianceSigma = momentsSigma.variance().matrix();
    v.varianceMu = v.parameterVarianceMu.mean();
    v.varianceSigma = v.parameterVarianceSigma.mean();
    for (const LayerShape& s : layout.layers()) {
      const Index n = s.parameterCount();  // weights then biases, contiguous
      v.layerVarianceMu.push_back(v.parameterVarianceMu.segment(s.weightOffset, n).mean());
      v.layerVarianceSigma.push_back(v.parameterVarianceSigma.segment(s.weightOffset, n).mean());
    }
    results.push_back(std::move(v));
  }
  return results;
}

std::vector<GradientVariance> measureGradientVariance(
    const Posterior& posterior, std::shared_ptr<const Likelihood> likelihood, const Batch& batch,
    const GradientVarianceOptions& options, const std::vector<GradientEstimatorKind>& estimators) {
  Vector sigma = posterior.flatStd();
  const Real fallback = static_cast<Real>(options.fallbackStd);
  for (Index j = 0; j < sigma.size(); ++j)
    if (!(sigma(j) > Real(0)) || !std::isfinite(static_cast<double>(sigma(j)))) sigma(j) = fallback;
  return measureGradientVariance(posterior.layout(), posterior.kernel().activation(),
                                 std::move(likelihood), posterior.flatMean(), sigma,
                                 posterior.likelihoodParameters(), batch, options, estimators);
}

BAYESLAB_END_NAMESPACE
