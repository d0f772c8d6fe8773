#include "engine/diagnostics/mcmc_diagnostics.h"

#include <algorithm>
#include <cmath>
#include <limits>

BAYESLAB_BEGIN_NAMESPACE

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// Means, the within-chain variance W and var+ of split chains (n >= 2, M' >= 2).
struct ChainMoments {
  std::vector<double> means;
  double within = 0.0;  // W
  double varPlus = 0.0;
};

ChainMoments moments(const ChainDraws& split) {
  ChainMoments m;
  const auto chains = static_cast<double>(split.size());
  const auto n = static_cast<double>(split.front().size());
  double grand = 0.0;
  for (const auto& chain : split) {
    double mean = 0.0;
    for (double x : chain) mean += x;
    mean /= n;
    double ss = 0.0;
    for (double x : chain) ss += (x - mean) * (x - mean);
    m.within += ss / (n - 1.0);
    m.means.push_back(mean);
    grand += mean;
  }
  m.within /= chains;
  grand /= chains;
  double between = 0.0;  // B / n
  for (double mean : m.means) between += (mean - grand) * (mean - grand);
  between /= chains - 1.0;
  m.varPlus = (n - 1.0) / n * m.within + between;
  return m;
}

// rho_t of eq. (10): 1 - (W - (1/M') sum_m n/(n-1) gamma_m(t)) / var+.
double combinedRho(const ChainDraws& split, const ChainMoments& m, size_t lag) {
  const size_t n = split.front().size();
  double sum = 0.0;
  for (size_t c = 0; c < split.size(); ++c) {
    const auto& x = split[c];
    const double mean = m.means[c];
    double acov = 0.0;
    for (size_t i = 0; i + lag < n; ++i) acov += (x[i] - mean) * (x[i + lag] - mean);
    sum += acov / static_cast<double>(n - 1);  // n/(n-1) * (1/n) sum
  }
  sum /= static_cast<double>(split.size());
  return 1.0 - (m.within - sum) / m.varPlus;
}

bool usable(const ChainDraws& split, const ChainMoments& m) {
  return !split.empty() && m.within > 0.0 && std::isfinite(m.varPlus);
}

}  // namespace

ChainDraws splitChains(const ChainDraws& chains) {
  if (chains.empty()) return {};
  size_t length = chains.front().size();
  for (const auto& c : chains) length = std::min(length, c.size());
  const size_t n = length / 2;
  if (n < 2) return {};
  ChainDraws split;
  for (const auto& c : chains) {
    split.emplace_back(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n));
    // The second half ends at the last kept draw; an odd middle draw is dropped.
    split.emplace_back(c.begin() + static_cast<std::ptrdiff_t>(length - n),
                       c.begin() + static_cast<std::ptrdiff_t>(length));
  }
  return split;
}

double splitRhat(const ChainDraws& chains) {
  const ChainDraws split = splitChains(chains);
  if (split.empty()) return kMissing;
  const ChainMoments m = moments(split);
  if (!usable(split, m)) return kMissing;
  return std::sqrt(m.varPlus / m.within);
}

std::vector<double> combinedAutocorrelation(const ChainDraws& chains) {
  const ChainDraws split = splitChains(chains);
  if (split.empty()) return {};
  const ChainMoments m = moments(split);
  if (!usable(split, m)) return {};
  std::vector<double> rho(split.front().size());
  for (size_t t = 0; t < rho.size(); ++t) rho[t] = combinedRho(split, m, t);
  return rho;
}

double effectiveSampleSize(const ChainDraws& chains) {
  const ChainDraws split = splitChains(chains);
  if (split.empty()) return kMissing;
  const ChainMoments m = moments(split);
  if (!usable(split, m)) return kMissing;
  const size_t n = split.front().size();
  const double total = static_cast<double>(n * split.size());
  // Geyer's initial monotone sequence over pair sums P_k = rho_{2k} + rho_{2k+1}.
  double sum = 0.0, previous = std::numeric_limits<double>::infinity();
  for (size_t k = 0; 2 * k + 1 < n; ++k) {
    const double rhoEven = k == 0 ? 1.0 : combinedRho(split, m, 2 * k);
    double pair = rhoEven + combinedRho(split, m, 2 * k + 1);
    if (!(pair > 0.0)) break;
    pair = std::min(pair, previous);
    sum += pair;
    previous = pair;
  }
  // tau >= 1 / log10(M' n): ESS at most M' n log10(M' n) (Stan's bound for antithetic chains).
  const double tau = std::max(-1.0 + 2.0 * sum, 1.0 / std::log10(total));
  return total / tau;
}

BAYESLAB_END_NAMESPACE
