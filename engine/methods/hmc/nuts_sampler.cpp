#include "engine/methods/hmc/nuts_sampler.h"

#include <cmath>
#include <limits>

BAYESLAB_BEGIN_NAMESPACE

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

double logAddExp(double a, double b) {
  if (a == -kInf) return b;
  if (b == -kInf) return a;
  const double m = std::max(a, b);
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

double dot(const Vector& a, const Vector& b) {
  return a.cast<double>().dot(b.cast<double>());
}
}  // namespace

void NutsSampler::Proposal::take(const Point& z) {
  x = z.x;
  g = z.g;
  logDensity = z.logDensity;
}

void NutsSampler::initialise(HmcState& state, const Vector& x) {
  state.position = x;
  state.gradient.resize(x.size());
  state.logDensity = m_logDensity(state.position, state.gradient);
}

double NutsSampler::hamiltonian(const Point& z) const {
  return -z.logDensity + m_metric->kineticEnergy(z.p);
}

void NutsSampler::sharp(const Vector& p, Vector& out) const {
  m_metric->sharp(p, out);
}

void NutsSampler::leapfrog(Point& z, double eps) {
  const auto e = static_cast<Real>(eps);
  z.p += (e / 2) * z.g;
  m_metric->sharp(z.p, m_velocity);
  z.x += e * m_velocity;
  z.logDensity = m_logDensity(z.x, z.g);
  if (!std::isfinite(z.logDensity)) {
    z.logDensity = -kInf;
    return;
  }
  z.p += (e / 2) * z.g;
}

bool NutsSampler::noUturn(const Vector& a, const Vector& b, const Vector& rho) {
  return dot(a, rho) > 0 && dot(b, rho) > 0;
}

bool NutsSampler::buildTree(int depth, Point& z, Ends& ends, Vector& rho, double& logSumWeight,
                            double h0, double eps, Counters& counters, Proposal& proposal,
                            RandomStream& rng) {
  if (depth == 0) {
    leapfrog(z, eps);
    ++counters.leapfrogSteps;
    double h = hamiltonian(z);
    if (!std::isfinite(h)) h = kInf;
    const double logWeight = h0 - h;
    if (-logWeight > m_maxEnergyError) {
      counters.divergent = true;
      return false;
    }
    logSumWeight = logAddExp(logSumWeight, logWeight);
    counters.sumAccept += logWeight > 0 ? 1.0 : std::exp(logWeight);
    proposal.take(z);
    ends.pBegin = z.p;
    sharp(z.p, ends.pSharpBegin);
    ends.pEnd = ends.pBegin;
    ends.pSharpEnd = ends.pSharpBegin;
    rho += z.p;
    return true;
  }

  Level& level = m_levels[static_cast<size_t>(depth)];
  // The first half, its proposal directly in `proposal`.
  double logWeightFirst = -kInf;
  level.rhoFirst.setZero();
  if (!buildTree(depth - 1, z, level.first, level.rhoFirst, logWeightFirst, h0, eps, counters,
                 proposal, rng))
    return false;
  // The second half, continuing from where the first ended.
  double logWeightSecond = -kInf;
  level.rhoSecond.setZero();
  if (!buildTree(depth - 1, z, level.second, level.rhoSecond, logWeightSecond, h0, eps, counters,
                 level.proposalSecond, rng))
    return false;

  // Multinomial sampling within the subtree: the second half's proposal with
  // probability w_second / (w_first + w_second).
  const double logWeightSubtree = logAddExp(logWeightFirst, logWeightSecond);
  logSumWeight = logAddExp(logSumWeight, logWeightSubtree);
  if (rng.uniform() < std::exp(logWeightSecond - logWeightSubtree)) {
    proposal.x.swap(level.proposalSecond.x);
    proposal.g.swap(level.proposalSecond.g);
    proposal.logDensity = level.proposalSecond.logDensity;
  }

  ends.pBegin = level.first.pBegin;
  ends.pSharpBegin = level.first.pSharpBegin;
  ends.pEnd = level.second.pEnd;
  ends.pSharpEnd = level.second.pSharpEnd;
  // The whole subtree, then each half extended by the neighbouring point of the
  // other half (Stan's checks across the join).
  level.extended = level.rhoFirst + level.rhoSecond;
  rho += level.extended;
  bool persist = noUturn(ends.pSharpBegin, ends.pSharpEnd, level.extended);
  level.extended = level.rhoFirst + level.second.pBegin;
  persist = persist && noUturn(ends.pSharpBegin, level.second.pSharpBegin, level.extended);
  level.extended = level.rhoSecond + level.first.pEnd;
  persist = persist && noUturn(level.first.pSharpEnd, ends.pSharpEnd, level.extended);
  return persist;
}

NutsTransition NutsSampler::transition(HmcState& state, const NutsSettings& settings,
                                       RandomStream& rng) {
  const Index n = state.position.size();
  static const Metric identity;
  m_metric = settings.metric ? settings.metric : &identity;
  m_maxEnergyError = settings.maxEnergyError;
  const int maxDepth = std::max(1, settings.maxTreeDepth);
  if (static_cast<int>(m_levels.size()) < maxDepth + 1) m_levels.resize(maxDepth + 1);
  for (Level& level : m_levels) {
    level.rhoFirst.resize(n);
    level.rhoSecond.resize(n);
  }

  // Momentum p ~ N(0, M): p_i = z_i / sqrt(m_i).
  Point& start = m_forward;
  start.x = state.position;
  start.g = state.gradient;
  start.logDensity = state.logDensity;
  start.p.resize(n);
  m_metric->drawMomentum(rng, start.p);
  m_backward = m_forward;
  m_sample.take(start);
  const double h0 = hamiltonian(start);

  m_trajectory.pBegin = start.p;
  sharp(start.p, m_trajectory.pSharpBegin);
  m_trajectory.pEnd = m_trajectory.pBegin;
  m_trajectory.pSharpEnd = m_trajectory.pSharpBegin;
  m_rho = start.p;
  double logSumWeight = 0.0;  // the start's weight exp(H0 - H0)
  Counters counters;
  NutsTransition t;

  while (t.treeDepth < maxDepth) {
    const bool forward = rng.uniform() > 0.5;
    double logWeightSubtree = -kInf;
    m_rhoSubtree.setZero(n);
    const double eps = forward ? settings.stepSize : -settings.stepSize;
    const bool valid =
        buildTree(t.treeDepth, forward ? m_forward : m_backward, m_subtree, m_rhoSubtree,
                  logWeightSubtree, h0, eps, counters, m_proposal, rng);
    if (!valid) break;
    ++t.treeDepth;

    // Biased progressive sampling: move to the new subtree's proposal with
    // probability min(1, w_subtree / w_old).
    if (logWeightSubtree > logSumWeight ||
        rng.uniform() < std::exp(logWeightSubtree - logSumWeight)) {
      m_sample.x.swap(m_proposal.x);
      m_sample.g.swap(m_proposal.g);
      m_sample.logDensity = m_proposal.logDensity;
      t.moved = true;
    }
    logSumWeight = logAddExp(logSumWeight, logWeightSubtree);

    // In time order the trajectory is now [earlier part][later part]; `join`
    // are the points where they meet. Check the whole trajectory, and each part
    // extended by the other's neighbouring point.
    const Vector& oldEnd = forward ? m_trajectory.pEnd : m_trajectory.pBegin;
    const Vector& oldSharpEnd = forward ? m_trajectory.pSharpEnd : m_trajectory.pSharpBegin;
    // The earlier part's far end and join point, and the later part's.
    const Vector& earlyFarSharp = forward ? m_trajectory.pSharpBegin : m_subtree.pSharpEnd;
    const Vector& lateFarSharp = forward ? m_subtree.pSharpEnd : m_trajectory.pSharpEnd;
    const Vector& earlyJoin = forward ? oldEnd : m_subtree.pBegin;
    const Vector& earlyJoinSharp = forward ? oldSharpEnd : m_subtree.pSharpBegin;
    const Vector& lateJoin = forward ? m_subtree.pBegin : oldEnd;
    const Vector& lateJoinSharp = forward ? m_subtree.pSharpBegin : oldSharpEnd;
    const Vector& rhoEarly = forward ? m_rho : m_rhoSubtree;
    const Vector& rhoLate = forward ? m_rhoSubtree : m_rho;

    m_extended = rhoEarly + lateJoin;
    bool persist = noUturn(earlyFarSharp, lateJoinSharp, m_extended);
    m_extended = rhoLate + earlyJoin;
    persist = persist && noUturn(earlyJoinSharp, lateFarSharp, m_extended);
    m_rho += m_rhoSubtree;
    persist = persist && noUturn(earlyFarSharp, lateFarSharp, m_rho);

    // The trajectory's new end on the side it grew.
    if (forward) {
      m_trajectory.pEnd = m_subtree.pEnd;
      m_trajectory.pSharpEnd = m_subtree.pSharpEnd;
    } else {
      m_trajectory.pBegin = m_subtree.pEnd;
      m_trajectory.pSharpBegin = m_subtree.pSharpEnd;
    }
    if (!persist) break;
  }

  t.leapfrogSteps = counters.leapfrogSteps;
  t.divergent = counters.divergent;
  t.acceptStatistic =
      counters.leapfrogSteps > 0 ? counters.sumAccept / counters.leapfrogSteps : 0.0;
  state.position.swap(m_sample.x);
  state.gradient.swap(m_sample.g);
  state.logDensity = m_sample.logDensity;
  return t;
}

BAYESLAB_END_NAMESPACE
