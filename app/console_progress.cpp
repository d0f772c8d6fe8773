#include "app/console_progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace bayeslab::app {

ConsoleProgress::ConsoleProgress(std::string label, Index totalSteps, bool enabled)
    : m_label(std::move(label)),
      m_total(std::max<Index>(1, totalSteps)),
      m_enabled(enabled),
      m_terminal(::isatty(STDERR_FILENO) == 1),
      m_lastPrint(std::chrono::steady_clock::now()) {}

void ConsoleProgress::update(const MetricsRow& row) {
  if (!m_enabled) return;
  if (std::isfinite(row.testRmse)) {
    m_lastTestMetric = row.testRmse;
    m_testName = "test_rmse";
  } else if (std::isfinite(row.testAccuracy)) {
    m_lastTestMetric = row.testAccuracy;
    m_testName = "test_accuracy";
  }
  const auto now = std::chrono::steady_clock::now();
  const bool due =
      m_terminal ? now - m_lastPrint > std::chrono::milliseconds(200) : row.step >= m_nextReport;
  if (!due && row.step != m_total) return;
  m_lastPrint = now;
  m_nextReport = row.step + m_total / 10;
  const double rate = row.seconds > 0 ? static_cast<double>(row.step) / row.seconds : 0.0;
  std::fprintf(stderr, "%s%s: step %lld/%lld (%3.0f%%)  elbo %.4g", m_terminal ? "\r" : "",
               m_label.c_str(), static_cast<long long>(row.step), static_cast<long long>(m_total),
               100.0 * static_cast<double>(row.step) / static_cast<double>(m_total), row.elbo);
  if (std::isfinite(m_lastTestMetric))
    std::fprintf(stderr, "  %s %.4g", m_testName, m_lastTestMetric);
  std::fprintf(stderr, "  %.0f steps/s%s", rate, m_terminal ? "   " : "\n");
  std::fflush(stderr);
}

void ConsoleProgress::finish(const Trainer& trainer) {
  if (!m_enabled) return;
  if (m_terminal) std::fprintf(stderr, "\n");
  if (!trainer.message().empty())
    std::fprintf(stderr, "%s: %s\n", m_label.c_str(), trainer.message().c_str());
  std::fflush(stderr);
}

}  // namespace bayeslab::app
