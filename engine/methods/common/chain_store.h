#pragma once
// The kept draws of a sampling method (SGLD, HMC): one sequence per Markov
// chain, each holding at most `capacity` draws. When a chain is full its
// oldest draw is dropped (a ring buffer), so the posterior always describes
// the most recent `capacity` draws of every chain and memory stays bounded:
// capacity x parameters per chain, and the capacity is lowered if needed so
// that all chains together hold at most kMaxStoredValues numbers (a large
// network keeps fewer draws rather than exhausting memory).
//
// Draws are recorded with the training step at which they were kept, for the
// trace plot's x axis. The store turns into a SamplePosterior with the chain
// structure attached (trace(), split R-hat, ESS).
#include <limits>
#include <memory>
#include <vector>

#include "engine/core/options.h"
#include "engine/diagnostics/mcmc_diagnostics.h"
#include "engine/methods/common/sample_posterior.h"

BAYESLAB_BEGIN_NAMESPACE

// The option of every sampling method: the weight whose trace, R-hat and ESS
// are reported.
OptionSpec monitorWeightOption();

class ChainStore {
 public:
  static constexpr Index kMaxStoredValues = Index(1) << 24;  // 64 MB in single precision

  ChainStore() = default;
  ChainStore(Index chains, Index parameters, Index capacity);

  Index chainCount() const { return static_cast<Index>(m_chains.size()); }
  Index capacity() const { return m_capacity; }
  Index keptInChain(Index chain) const { return m_chains[static_cast<size_t>(chain)].count; }
  Index totalKept() const;
  // Memory held by the kept draws and their steps (storage grows with the draws).
  std::size_t bytes() const;

  // Records draw w (P values) of `chain`, kept at training step `step`.
  void keep(Index chain, const Real* w, Index step);

  // The kept values of flat parameter i, per chain, oldest first.
  ChainDraws values(Index parameter) const;
  // Split R-hat and ESS of parameter i over the chains (NaN with too few draws).
  double rhat(Index parameter) const { return splitRhat(values(parameter)); }
  double ess(Index parameter) const { return effectiveSampleSize(values(parameter)); }

  // The same for a monitored parameter, recomputed only once at least 5% new draws
  // have been kept since the last time (they cost O(draws x lags)): cheap to call
  // every step. NaN until enough draws.
  void refreshDiagnostics(Index parameter);
  double monitoredRhat() const { return m_rhat; }
  double monitoredEss() const { return m_ess; }

  // A posterior snapshot of every kept draw (chain after chain, oldest first).
  // Needs at least one kept draw.
  std::shared_ptr<SamplePosterior> posterior(const MlpKernel& kernel,
                                             const Vector& likelihoodParameters) const;

 private:
  struct Chain {
    Matrix draws;  // P x capacity, a ring buffer
    std::vector<Index> steps;
    Index next = 0;             // slot of the next draw
    Index count = 0;            // draws held (<= capacity)
    Index slot(Index j) const;  // slot of the j-th oldest held draw
  };
  std::vector<Chain> m_chains;
  Index m_parameters = 0, m_capacity = 0;
  Index m_keptEver = 0, m_keptAtDiagnostics = 0;
  double m_rhat = std::numeric_limits<double>::quiet_NaN();
  double m_ess = std::numeric_limits<double>::quiet_NaN();
};

BAYESLAB_END_NAMESPACE
