#pragma once
// The approximate posterior a method has reached: an immutable snapshot.
//
// Views, evaluation and the predictive sweeps only ever see a Posterior; it is
// shared by pointer-to-const across threads, so its member functions are const
// and thread-safe. Each method returns whichever form fits it: a mean-field
// Gaussian, a point estimate, a set of weight samples.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/random.h"
#include "engine/core/real.h"
#include "engine/model/mlp_kernel.h"
#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

// Per-layer marginal summaries for the weight views and posterior.json.
struct LayerPosterior {
  Matrix weightMean;  // d_out x d_in
  Matrix weightStd;
  Vector biasMean;
  Vector biasStd;
  std::vector<Matrix> weightSamples;  // sampling methods and ensembles (may be empty)
  std::vector<Vector> biasSamples;
};

enum class PosteriorKind { Point, Gaussian, Samples };

struct PosteriorSummary {
  PosteriorKind kind = PosteriorKind::Gaussian;
  std::vector<LayerPosterior> layers;
};

// The kept draws of one parameter, per Markov chain, oldest first: what a trace
// plot shows and what split R-hat / ESS (diagnostics/mcmc_diagnostics.h) take.
struct SampleTrace {
  std::vector<std::vector<double>> values;  // chain x draw
  std::vector<std::vector<Index>> steps;    // the training step at which each draw was kept
  bool empty() const { return values.empty(); }
};

class Likelihood;

class Posterior {
 public:
  // Inputs per unit of a predictive sweep: activations of a few thousand columns
  // stay in cache, and large grids give both threads work even for a few draws.
  static constexpr Index kSweepColumns = 2048;

  Posterior(MlpKernel kernel, Vector likelihoodParameters)
      : m_kernel(std::move(kernel)), m_likelihoodParameters(std::move(likelihoodParameters)) {}
  virtual ~Posterior() = default;

  const MlpKernel& kernel() const { return m_kernel; }
  const MlpLayout& layout() const { return m_kernel.layout(); }
  const Vector& likelihoodParameters() const { return m_likelihoodParameters; }

  // True when every draw gives the same function (MAP): one sample suffices.
  virtual bool isDeterministic() const { return false; }

  // Network outputs of `samples` functions drawn from the posterior, evaluated
  // at the inputs x (d_in x M): out[s] is d_out x M. Draw s uses rng.derive(s)
  // so the result does not depend on `threads`.
  virtual void sampleOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                             const RandomStream& rng, int threads,
                             std::vector<Matrix>& out) const = 0;

  // Draws for per-input summaries only (predictive mean, entropy, mutual
  // information, test metrics): out[s] has, at every single input, the
  // distribution of a posterior function's output there, but draws need not be
  // one function across inputs. A posterior may use that freedom to draw
  // faster (the mean-field Gaussian samples pre-activations by local
  // reparameterisation, exact per input); by default these are sampleOutputs().
  virtual void sampleMarginalOutputs(const Eigen::Ref<const Matrix>& x, int samples,
                                     const RandomStream& rng, int threads,
                                     std::vector<Matrix>& out) const {
    sampleOutputs(x, samples, rng, threads, out);
  }

  virtual PosteriorSummary summary() const = 0;

  // Flat mean and standard deviation of every weight and bias (layout order).
  virtual Vector flatMean() const = 0;
  virtual Vector flatStd() const = 0;

  // Sampling methods (SGLD, HMC): the chains' kept draws of flat parameter i.
  // Empty for every other posterior.
  virtual SampleTrace trace(Index /*parameter*/) const { return {}; }

  // Classification only: predictive class probabilities (K x M) in closed form,
  // when the posterior has one that is better than averaging the likelihood over
  // sampleOutputs() draws (the probit approximation of the linearised Laplace
  // posterior). Returns false otherwise; callers then use the draws.
  virtual bool classProbabilities(const Eigen::Ref<const Matrix>& /*x*/,
                                  const Likelihood& /*likelihood*/, int /*threads*/,
                                  Matrix& /*out*/) const {
    return false;
  }

  // The prior the method used, with any learned hyperparameters filled in
  // (empirical Bayes); null when it is the session's prior unchanged.
  const std::shared_ptr<const Prior>& learnedPrior() const { return m_learnedPrior; }
  void setLearnedPrior(std::shared_ptr<const Prior> prior) { m_learnedPrior = std::move(prior); }

 protected:
  // sampleOutputs() for a posterior whose function draw s is a weight vector:
  // drawWeights(s, w) writes draw s's flat weights (deterministic in s, thread-safe),
  // and the network runs on column chunks of x in parallel. The draws are made once
  // and shared by their chunks while they fit in 2^24 values, else per unit.
  using WeightDraw = std::function<void(Index, Real*)>;
  void sampleWeightFunctions(const Eigen::Ref<const Matrix>& x, int samples, int threads,
                             const WeightDraw& drawWeights, std::vector<Matrix>& out) const;

 private:
  MlpKernel m_kernel;
  Vector m_likelihoodParameters;
  std::shared_ptr<const Prior> m_learnedPrior;
};

// Builds the per-layer summary from flat mean / std vectors (and optional samples).
PosteriorSummary summaryFromFlat(const MlpLayout& layout, PosteriorKind kind, const Vector& mean,
                                 const Vector& std, const std::vector<Vector>* samples = nullptr);

BAYESLAB_END_NAMESPACE
