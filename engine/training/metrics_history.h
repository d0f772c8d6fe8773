#pragma once
// The per-step metrics of a run (MetricsRow) in bounded memory.
//
// A run of an overnight's steps would otherwise keep one row (about 290 bytes)
// per step: 10^6 steps are 290 MB. The history keeps two DownsampledSeries:
// every step's row, at most `rows` + 1 of them (all of a short run; of a long
// one the first, the latest and a uniform spacing of doubling stride in between),
// and the evaluated rows (test metrics), at most `evaluations` + 1, so that the
// sparse test curve never thins out to nothing when the step rows thin. rows()
// merges the two in step order. finalElbo() stays exact: the last 100 ELBOs are
// kept in a ring.
//
// Defaults: 4096 step rows (a chart is at most a few thousand pixels wide, and
// 4096 rows are 1.2 MB) and 1024 evaluated rows (about 100 are taken per run
// by default).
#include <array>
#include <limits>
#include <utility>
#include <vector>

#include "engine/methods/method.h"
#include "engine/training/downsampled_series.h"

BAYESLAB_BEGIN_NAMESPACE

struct MetricsRow {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  Index step = 0;  // 1-based: the number of steps taken
  double elbo = kNaN;
  double expectedLogLikelihood = kNaN;
  double kl = kNaN;
  double objective = kNaN;
  double seconds = 0.0;  // training time so far
  // Filled on evaluation steps, NaN otherwise.
  double testLogLikelihood = kNaN;
  double testRmse = kNaN;
  double testAccuracy = kNaN;
  std::array<std::pair<const char*, double>, StepStats::kMaxExtras> extras{};
  int extraCount = 0;
  bool evaluated() const { return testLogLikelihood == testLogLikelihood; }
};

class MetricsHistory {
 public:
  static constexpr std::size_t kDefaultRows = 4096;
  static constexpr std::size_t kDefaultEvaluations = 1024;
  static constexpr std::size_t kElboWindow = 100;

  explicit MetricsHistory(std::size_t rows = kDefaultRows,
                          std::size_t evaluations = kDefaultEvaluations);

  // Rows must come in increasing step order.
  void push(const MetricsRow& row);
  void clear();

  // The kept rows in step order: every row of a run of at most `rows` steps.
  // Not safe to call from two threads at once (it merges lazily).
  const std::vector<MetricsRow>& rows() const;
  bool empty() const { return m_steps.empty(); }
  const MetricsRow& latest() const { return m_steps.back(); }
  // Rows pushed (steps recorded) so far.
  std::uint64_t pushed() const { return m_steps.pushed(); }
  // Spacing of the kept step rows (1 until the store first fills).
  std::uint64_t stride() const { return m_steps.stride(); }
  // Rows held (step rows + evaluated rows), for tests and memory accounting.
  std::size_t held() const { return m_steps.size() + m_evaluations.size(); }

  // Mean ELBO over the last 10% of the rows pushed (at most 100): exact.
  double finalElbo() const;

 private:
  DownsampledSeries<MetricsRow> m_steps, m_evaluations;
  std::array<double, kElboWindow> m_lastElbos{};
  mutable std::vector<MetricsRow> m_merged;
  mutable bool m_dirty = false;
};

BAYESLAB_END_NAMESPACE
