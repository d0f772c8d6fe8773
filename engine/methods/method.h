#pragma once
// The contract every inference method implements.
//
// A method owns its trainable state and advances it one step at a time on a
// minibatch; everything else (the training loop, metrics, views, the CLI, the
// session files) talks to it only through this interface, its descriptor's
// option specs and the immutable Posterior snapshots it hands out. Nothing
// outside a method's own folder looks at its name.
//
// Objective conventions (N = data set size, B = batch size, beta = KL weight):
//   expected_log_likelihood = (N / B) * sum_{i in batch} E_q[log p(y_i | x_i, w)]  (MC estimate)
//   kl                      = KL(q || p)   (closed form or MC; for point methods -log p(w))
//   elbo                    = expected_log_likelihood - kl
//   objective (minimised)   = -(expected_log_likelihood - beta * kl)
// i.e. the minibatch log-likelihood is scaled up to the full data set and the
// whole KL is added once per step (the same as adding KL / M per minibatch with
// M = N / B minibatches per epoch, as in Blundell et al. 2015).

#include <array>
#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <string>

#include "engine/core/options.h"
#include "engine/core/random.h"
#include "engine/data/dataset.h"
#include "engine/likelihood/likelihood.h"
#include "engine/methods/posterior.h"
#include "engine/model/mlp_kernel.h"
#include "engine/prior/prior.h"

BAYESLAB_BEGIN_NAMESPACE

// Everything a method is built from.
struct Problem {
  std::shared_ptr<const Dataset> train;
  MlpLayout layout;
  Activation activation = Activation::Relu;
  std::shared_ptr<const Likelihood> likelihood;
  std::shared_ptr<const Prior> prior;
  OptionValues options;  // the method's own options, completed with defaults
  std::string optimizer = "adam";
  double learningRate = 1e-2;
  RandomStream initRng;  // initialisation stream (derived from the training seed)
};

// One step's minibatch and knobs.
struct StepInput {
  const Batch* batch = nullptr;
  Index datasetSize = 0;
  Index step = 0;
  double klWeight = 1.0;
  int mcSamples = 1;
  int threads = 1;
  RandomStream rng;  // this step's noise; units derive sub-streams from it
  // The training set the batch is drawn from (with sequential learning: the current
  // part), for methods that need all of it (HMC, the Laplace curvature). May be null
  // outside the trainer: such methods then use Problem::train.
  const Dataset* data = nullptr;
};

struct StepStats {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  static constexpr int kMaxExtras = 12;

  double elbo = kNaN;
  double expectedLogLikelihood = kNaN;
  double kl = kNaN;
  double objective = kNaN;
  bool finite = true;  // false: the step produced a non-finite value and was not applied
  // Method-specific scalars (acceptance rate, learned prior scale, ...).
  std::array<std::pair<const char*, double>, kMaxExtras> extras{};
  int extraCount = 0;
  void addExtra(const char* name, double value) {
    if (extraCount < kMaxExtras) extras[static_cast<size_t>(extraCount++)] = {name, value};
  }
};

class InferenceMethod {
 public:
  virtual ~InferenceMethod() = default;

  virtual StepStats step(StepInput& input) = 0;
  virtual std::shared_ptr<const Posterior> posterior() const = 0;
  // Number of learned scalars (the "parameters" of summary.json and the cost view).
  virtual Index parameterCount() const = 0;
  // Bytes of memory that training keeps for this method: the learned scalars and
  // what the method holds beside them (optimiser moments, kept samples, ...), not
  // the data and not per-step scratch. The cost view sets it beside parameterCount().
  virtual std::size_t stateBytes() const {
    return static_cast<std::size_t>(parameterCount()) * sizeof(Real);
  }

  // Knobs that may change while training (applied at once, no reset).
  virtual void setLearningRate(double /*lr*/) {}
  virtual void setPrior(std::shared_ptr<const Prior> /*prior*/) {}
  // The method's options whose specs are marked live (OptionSpec::live), with
  // new values; called between steps. Other options never change after creation.
  virtual void setLiveOptions(const OptionValues& /*options*/) {}
};

// Static description of a method for the registry, the UI and the session files.
struct MethodTraits {
  bool variational = true;    // has an ELBO and a KL term
  bool usesMcSamples = true;  // "mc_samples" matters
  bool usesKlWeight = true;   // "kl_weight" matters
  bool usesOptimizer = true;  // "optimizer" / "learning_rate" matter
  // Can learn sequentially: takes a per-weight Gaussian prior (the previous part's
  // posterior, DiagonalGaussianPrior) through setPrior().
  bool sequential = true;
};

struct MethodDescriptor {
  std::string id;
  std::string displayName;
  std::string summary;      // one line
  std::string explanation;  // a paragraph for the method panel (rich text allowed)
  std::string objective;    // the objective as a formula (HTML with Unicode maths)
  std::string reference;    // the paper
  std::string klLabel;      // what the "kl" column holds for this method
  MethodTraits traits;
  OptionSpecs options;
  std::function<std::unique_ptr<InferenceMethod>(const Problem&)> create;
  // The lecture's count of the network's learned scalars (likelihood and prior
  // hyperparameters not included), as a formula for the cost view, e.g.
  // "2 Σ (d_in d_out + d_out)", and evaluated for a layout and the method's
  // options (completed with defaults). Tests check it against parameterCount().
  std::string parameterFormula;
  std::function<Index(const MlpLayout&, const OptionValues&)> formulaParameterCount;
};

BAYESLAB_END_NAMESPACE
