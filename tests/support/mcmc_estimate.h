#pragma once
// Monte Carlo checks of Markov chains for the sampler tests: the mean of a
// functional over all draws with its Monte Carlo standard error
// (MCSE = sd / sqrt(ESS), ESS from the chains themselves), and a QTest check
// that it lies within kMcseTolerance MCSEs of the truth.
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "engine/diagnostics/mcmc_diagnostics.h"

namespace bayeslab::test {

constexpr double kMcseTolerance = 4.0;  // accepted deviation in Monte Carlo standard errors

struct Estimate {
  double mean = 0.0, mcse = 0.0, ess = 0.0;
};
inline Estimate estimate(const ChainDraws& chains) {
  double sum = 0.0, sumSq = 0.0, n = 0.0;
  for (const auto& c : chains)
    for (double v : c) sum += v, sumSq += v * v, n += 1.0;
  Estimate e;
  e.mean = sum / n;
  e.ess = effectiveSampleSize(chains);
  e.mcse = std::sqrt(std::max(sumSq / n - e.mean * e.mean, 0.0) / e.ess);
  return e;
}

}  // namespace bayeslab::test

#define VERIFY_WITHIN_MCSE(est, truth, what)                                             \
  qInfo("%s: %.5g vs %.5g, %.2f MCSE (ESS %.0f)", qPrintable(QString(what)), (est).mean, \
        double(truth), std::abs((est).mean - (truth)) / (est).mcse, (est).ess);          \
  QVERIFY2(std::abs((est).mean - (truth)) < bayeslab::test::kMcseTolerance * (est).mcse, \
           qPrintable(QString("%1: %2 vs %3 (MCSE %4, ESS %5)")                          \
                          .arg(what)                                                     \
                          .arg((est).mean)                                               \
                          .arg(truth)                                                    \
                          .arg((est).mcse)                                               \
                          .arg((est).ess)))
