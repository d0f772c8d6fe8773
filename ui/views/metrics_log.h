#pragma once
// Every training row of a run, kept for the CSV export, in fixed chunks.
//
// A run in the window produces up to ~20,000 rows a second (272 bytes each).
// In one std::vector, each doubling copied the whole history on the UI thread
// and faulted in a fresh block twice its size: at 65,000 rows (17 MB) one frame
// of the training chart took 50-90 ms. Chunks of kChunkRows rows are allocated
// once and never move, so appending costs the same at any length.
#include <memory>
#include <vector>

#include "engine/training/trainer.h"

namespace bayeslab::ui {

class MetricsLog {
 public:
  static constexpr size_t kChunkRows = 4096;  // ~1.1 MB per chunk

  void append(const std::vector<MetricsRow>& rows);
  void clear();
  size_t size() const { return m_size; }
  bool empty() const { return m_size == 0; }
  const MetricsRow& back() const;
  // A contiguous copy (for metricsCsv; an export, not a frame).
  std::vector<MetricsRow> toVector() const;

 private:
  std::vector<std::unique_ptr<std::vector<MetricsRow>>> m_chunks;
  size_t m_size = 0;
};

}  // namespace bayeslab::ui
