#include "engine/methods/hmc/metric_adaptation.h"

#include <algorithm>

BAYESLAB_BEGIN_NAMESPACE

WarmupWindows::WarmupWindows(Index warmup) : m_warmup(std::max<Index>(0, warmup)) {
  if (m_warmup < 20) return;
  Index initial = 75, terminal = 50, base = 25;
  if (initial + terminal + base > m_warmup) {
    initial = m_warmup * 15 / 100;
    terminal = m_warmup / 10;
    base = m_warmup - initial - terminal;
  }
  m_initial = initial;
  m_terminal = terminal;
  const Index slowEnd = m_warmup - terminal;  // first transition of the terminal buffer
  Index start = initial, size = base;
  while (start < slowEnd) {
    Index end = std::min(start + size, slowEnd);
    // A later window that would leave less than a doubled one before the
    // terminal buffer stretches to it (Stan's rule: not the first).
    if (!m_ends.empty() && end + 2 * size >= slowEnd) end = slowEnd;
    m_ends.push_back(end - 1);
    start = end;
    size *= 2;
  }
}

bool WarmupWindows::collects(Index t) const {
  return !m_ends.empty() && t >= m_initial && t <= m_ends.back();
}

bool WarmupWindows::endsWindow(Index t) const {
  return std::binary_search(m_ends.begin(), m_ends.end(), t);
}

MetricEstimator::MetricEstimator(Index dimension, bool dense)
    : m_dense(dense),
      m_mean(Eigen::VectorXd::Zero(dimension)),
      m_m2(Eigen::VectorXd::Zero(dimension)),
      m_cross(dense ? Eigen::MatrixXd::Zero(dimension, dimension) : Eigen::MatrixXd()) {}

void MetricEstimator::add(const Vector& x) {
  ++m_count;
  const Eigen::VectorXd v = x.cast<double>();
  const Eigen::VectorXd delta = v - m_mean;
  m_mean += delta / static_cast<double>(m_count);
  const Eigen::VectorXd after = v - m_mean;
  m_m2 += delta.cwiseProduct(after);
  if (m_dense) m_cross.noalias() += delta * after.transpose();
}

Metric MetricEstimator::metric() const {
  const double n = static_cast<double>(m_count);
  const double shrink = n / (n + 5.0), ridge = 1e-3 * (5.0 / (n + 5.0));
  if (m_dense) {
    Eigen::MatrixXd sigma = (shrink / std::max(1.0, n - 1.0)) * m_cross;
    sigma = 0.5 * (sigma + sigma.transpose()).eval();
    sigma.diagonal().array() += ridge;
    return Metric::dense(sigma);
  }
  const Eigen::VectorXd variance = m_m2 / std::max(1.0, n - 1.0);
  return Metric::diagonal((shrink * variance.array() + ridge).matrix().cast<Real>());
}

void MetricEstimator::restart() {
  m_count = 0;
  m_mean.setZero();
  m_m2.setZero();
  m_cross.setZero();
}

BAYESLAB_END_NAMESPACE
