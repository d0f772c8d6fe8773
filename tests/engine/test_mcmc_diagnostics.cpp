// Split R-hat and the effective sample size (engine/diagnostics/mcmc_diagnostics.h)
// against chains worked by hand, then statistically against chains whose answer is
// known: independent draws (R-hat -> 1, ESS -> number of draws) and AR(1) chains
// (ESS -> M n (1 - phi) / (1 + phi)).
#include <QtTest>
#include <cmath>

#include "engine/core/random.h"
#include "engine/diagnostics/mcmc_diagnostics.h"
#include "tests/support/test_main.h"

using namespace bayeslab;

namespace {

constexpr std::uint64_t kSeedIid = 20240601;
constexpr std::uint64_t kSeedAr = 20240602;

ChainDraws arChains(int chains, int length, double phi, std::uint64_t seed) {
  const RandomStream root(seed);
  ChainDraws out;
  for (int c = 0; c < chains; ++c) {
    RandomStream rng = root.derive(static_cast<std::uint64_t>(c));
    std::vector<double> x(static_cast<size_t>(length));
    // Start in the stationary distribution N(0, 1 / (1 - phi^2)).
    double state = rng.normal() / std::sqrt(1.0 - phi * phi);
    for (double& v : x) {
      v = state;
      state = phi * state + rng.normal();
    }
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace

class TestMcmcDiagnostics : public QObject {
  Q_OBJECT
 private slots:
  void splitChainsHalves() {
    // Odd length 5: halves of 2, the middle draw dropped.
    const ChainDraws split = splitChains({{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}});
    QCOMPARE(split.size(), size_t(4));
    QCOMPARE(split[0], (std::vector<double>{1, 2}));
    QCOMPARE(split[1], (std::vector<double>{4, 5}));
    QCOMPARE(split[3], (std::vector<double>{9, 10}));
    // Unequal lengths: truncated to the shortest (4 -> halves of 2).
    const ChainDraws uneven = splitChains({{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10}});
    QCOMPARE(uneven[1], (std::vector<double>{3, 4}));
    QVERIFY(splitChains({{1, 2, 3}}).empty());  // n = 1: too short
  }

  void rhatByHand() {
    // Chains (1 2 3 4) and (2 4 6 8) split into (1 2) (3 4) (2 4) (6 8), n = 2, M' = 4.
    // Means 1.5, 3.5, 3, 7 (grand mean 3.75); variances 0.5, 0.5, 2, 2, so W = 1.25.
    // B/n = [(2.25)^2 + (0.25)^2 + (0.75)^2 + (3.25)^2] / 3 = 16.25 / 3.
    // var+ = (1/2)(1.25) + 16.25/3 = 6.041667;  R-hat = sqrt(6.041667 / 1.25) = 2.198484.
    QVERIFY(std::abs(splitRhat({{1, 2, 3, 4}, {2, 4, 6, 8}}) - 2.19848432637882) < 1e-12);
    // One chain with a trend: its halves disagree. (1..4) and (5..8): W = 5/3, B/n = 8,
    // var+ = (3/4)(5/3) + 8 = 9.25, R-hat = sqrt(9.25 / (5/3)) = 2.355844.
    QVERIFY(std::abs(splitRhat({{1, 2, 3, 4, 5, 6, 7, 8}}) - 2.355843797877949) < 1e-12);
  }

  void essByHand() {
    // Chains (1 3 2 4 5 3 4 6) and (2 2 4 3 3 5 4 4) split into n = 4, M' = 4:
    //   (1 3 2 4) (5 3 4 6) (2 2 4 3) (3 5 4 4), means 2.5, 4.5, 2.75, 4.
    // W = 59/48, B/n = 179/192, var+ = (3/4)(59/48) + 179/192 = 89/48.
    // (1/M') sum_m gamma_m(t) n/(n-1) = -19/64, -17/96, -9/64 for t = 1, 2, 3, so
    //   rho_1 = 1 - (59/48 + 19/64) / (89/48) = 63/356,
    //   rho_2 = 1 - (59/48 + 17/96) / (89/48) = 43/178,  rho_3 = 93/356.
    // Pairs P_0 = 1 + 63/356, P_1 = 86/356 + 93/356 (both positive, decreasing; lag 4 does
    // not exist). tau = -1 + 2 (1 + 242/356) = 210/89, ESS = 16 / tau = 1424/210.
    const ChainDraws chains = {{1, 3, 2, 4, 5, 3, 4, 6}, {2, 2, 4, 3, 3, 5, 4, 4}};
    const std::vector<double> rho = combinedAutocorrelation(chains);
    QCOMPARE(rho.size(), size_t(4));
    QVERIFY(std::abs(rho[0] - 1.0) < 1e-12);
    QVERIFY(std::abs(rho[1] - 63.0 / 356) < 1e-12);
    QVERIFY(std::abs(rho[2] - 43.0 / 178) < 1e-12);
    QVERIFY(std::abs(rho[3] - 93.0 / 356) < 1e-12);
    QVERIFY(std::abs(effectiveSampleSize(chains) - 1424.0 / 210) < 1e-12);
    // R-hat of the same chains: sqrt(var+ / W) = sqrt(89 / 59).
    QVERIFY(std::abs(splitRhat(chains) - std::sqrt(89.0 / 59)) < 1e-12);
  }

  void essMonotoneSequence() {
    // One chain (4 3 4 2 4 3 | 2 3 0 4 0 2): n = 6, M' = 2, W = 97/60, var+ = 89/36.
    // rho_1..rho_5 = -0.165169, 0.658427, 0.207865, 0.364045, 0.338202, giving pairs
    // P_0 = 0.834831, P_1 = 0.866292, P_2 = 0.702247. P_1 > P_0, so the monotone rule
    // lowers P_1 to P_0: tau = -1 + 2 (0.834831 + 0.834831 + 0.702247) = 3.743820 and
    // ESS = 12 / tau = 3.205282 (without the rule tau would be 3.806742, ESS 3.152302).
    const ChainDraws chain = {{4, 3, 4, 2, 4, 3, 2, 3, 0, 4, 0, 2}};
    QVERIFY(std::abs(effectiveSampleSize(chain) - 3.2052821128451354) < 1e-9);
  }

  void degenerateChains() {
    QVERIFY(std::isnan(splitRhat({{1, 1, 1, 1}, {1, 1, 1, 1}})));
    QVERIFY(std::isnan(effectiveSampleSize({{2, 2, 2, 2}})));
    QVERIFY(std::isnan(splitRhat({{1, 2, 3}})));
    QVERIFY(std::isnan(effectiveSampleSize({})));
  }

  void independentDraws() {
    // 4 chains x 1000 i.i.d. normals (phi = 0). R-hat - 1 has standard deviation about
    // 1 / sqrt(M' n) ~ 0.016 here: accept below 1.03 (about 2 sd). ESS estimates the
    // 4000 draws within 10% (the Geyer-truncated tau has a relative sd of about 3%).
    const ChainDraws chains = arChains(4, 1000, 0.0, kSeedIid);
    const double rhat = splitRhat(chains);
    QVERIFY2(rhat < 1.03, qPrintable(QString::number(rhat)));
    const double ess = effectiveSampleSize(chains);
    QVERIFY2(std::abs(ess / 4000.0 - 1.0) < 0.1, qPrintable(QString::number(ess)));
    // Shift one chain by 2 sd: the chains disagree.
    ChainDraws shifted = chains;
    for (double& x : shifted[0]) x += 2.0;
    QVERIFY(splitRhat(shifted) > 1.1);
  }

  void autoregressiveChains() {
    // AR(1) with phi = 0.8: integrated autocorrelation time tau = (1 + phi) / (1 - phi) = 9,
    // so 4 chains x 5000 draws are worth 20000 / 9 = 2222 independent ones. The relative
    // standard error of a Geyer-truncated tau estimate is about sqrt(2 (2 K + 1) / (M n))
    // with a window of K ~ 3 tau lags (Sokal 1997): sqrt(2 * 55 / 20000) = 7.4%. Accept
    // within 3 standard errors (22%).
    const ChainDraws chains = arChains(4, 5000, 0.8, kSeedAr);
    const double ess = effectiveSampleSize(chains);
    QVERIFY2(std::abs(ess / (20000.0 / 9.0) - 1.0) < 0.22, qPrintable(QString::number(ess)));
    QVERIFY(splitRhat(chains) < 1.05);
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestMcmcDiagnostics)
#include "test_mcmc_diagnostics.moc"
