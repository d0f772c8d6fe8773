#pragma once
// Progress of a run on stderr: a refreshed line on a terminal, a line every
// tenth of the run otherwise (logs, CI).
#include <chrono>
#include <string>

#include "engine/training/trainer.h"

namespace bayeslab::app {

class ConsoleProgress {
 public:
  ConsoleProgress(std::string label, Index totalSteps, bool enabled);
  void update(const MetricsRow& row);
  void finish(const Trainer& trainer);

 private:
  std::string m_label;
  Index m_total;
  bool m_enabled;
  bool m_terminal;
  Index m_nextReport = 0;
  std::chrono::steady_clock::time_point m_lastPrint;
  double m_lastTestMetric = MetricsRow::kNaN;
  const char* m_testName = "";
};

}  // namespace bayeslab::app
