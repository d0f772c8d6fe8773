#include "engine/methods/common/chain_store.h"

#include <algorithm>

BAYESLAB_BEGIN_NAMESPACE

OptionSpec monitorWeightOption() {
  return OptionSpec::integer("monitor_weight", "Monitored weight",
                             "Flat index of the weight whose trace, R-hat and effective sample "
                             "size are reported.",
                             0, 0, 100000000);
}

ChainStore::ChainStore(Index chains, Index parameters, Index capacity)
    : m_parameters(parameters),
      m_capacity(std::clamp<Index>(
          capacity, 1,
          std::max<Index>(1, kMaxStoredValues / std::max<Index>(1, chains * parameters)))) {
  m_chains.resize(static_cast<size_t>(chains));
  for (Chain& c : m_chains) c.steps.assign(static_cast<size_t>(m_capacity), 0);
}

Index ChainStore::Chain::slot(Index j) const {
  const Index capacity = static_cast<Index>(steps.size());
  const Index oldest = count < capacity ? 0 : next;
  return (oldest + j) % capacity;
}

Index ChainStore::totalKept() const {
  Index total = 0;
  for (const Chain& c : m_chains) total += c.count;
  return total;
}

std::size_t ChainStore::bytes() const {
  std::size_t total = 0;
  for (const Chain& c : m_chains)
    total += static_cast<std::size_t>(c.draws.size()) * sizeof(Real) +
             c.steps.capacity() * sizeof(Index);
  return total;
}

void ChainStore::keep(Index chain, const Real* w, Index step) {
  Chain& c = m_chains[static_cast<size_t>(chain)];
  // Storage grows with the draws, up to the capacity.
  if (c.draws.cols() <= c.next) {
    const Index grown = std::min(m_capacity, std::max<Index>(16, 2 * c.draws.cols()));
    Matrix bigger(m_parameters, grown);
    if (c.draws.cols() > 0) bigger.leftCols(c.draws.cols()) = c.draws;
    c.draws.swap(bigger);
  }
  c.draws.col(c.next) = ConstVectorMap(w, m_parameters);
  c.steps[static_cast<size_t>(c.next)] = step;
  c.next = (c.next + 1) % m_capacity;
  c.count = std::min(c.count + 1, m_capacity);
  ++m_keptEver;
}

void ChainStore::refreshDiagnostics(Index parameter) {
  const Index fresh = m_keptEver - m_keptAtDiagnostics;
  if (fresh == 0 || fresh < totalKept() / 20) return;
  m_keptAtDiagnostics = m_keptEver;
  const ChainDraws draws = values(parameter);
  m_rhat = splitRhat(draws);
  m_ess = effectiveSampleSize(draws);
}

ChainDraws ChainStore::values(Index parameter) const {
  ChainDraws out;
  for (const Chain& c : m_chains) {
    std::vector<double> v(static_cast<size_t>(c.count));
    for (Index j = 0; j < c.count; ++j)
      v[static_cast<size_t>(j)] = static_cast<double>(c.draws(parameter, c.slot(j)));
    out.push_back(std::move(v));
  }
  return out;
}

std::shared_ptr<SamplePosterior> ChainStore::posterior(const MlpKernel& kernel,
                                                       const Vector& likelihoodParameters) const {
  std::vector<Vector> samples;
  std::vector<Index> lengths, steps;
  samples.reserve(static_cast<size_t>(totalKept()));
  for (const Chain& c : m_chains) {
    lengths.push_back(c.count);
    for (Index j = 0; j < c.count; ++j) {
      samples.emplace_back(c.draws.col(c.slot(j)));
      steps.push_back(c.steps[static_cast<size_t>(c.slot(j))]);
    }
  }
  return std::make_shared<SamplePosterior>(kernel, likelihoodParameters, std::move(samples),
                                           std::move(lengths), std::move(steps));
}

BAYESLAB_END_NAMESPACE
