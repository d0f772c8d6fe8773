#pragma once
// A record of a sequence that grows with the number of steps, held in bounded
// memory: at most `capacity` + 1 items however long the run.
//
// Item i of the sequence (0-based, in push order) is kept while i is a multiple
// of the current stride s. The stride starts at 1; when `capacity` items are
// kept and the next multiple of s arrives, every second kept item is dropped
// (items 0, 2s, 4s, ... remain) and s doubles. The latest item is always held
// as well (as the last element, until the next push replaces it), so the record
// always starts at the first item, ends at the latest one and covers the whole
// run at a uniform spacing of s: a chart of an overnight run still shows the
// whole curve, from at least capacity / 2 points. Order is preserved; pushing
// is O(1) amortised (each item is moved at most once per doubling).
//
// A run of at most `capacity` items is kept whole (stride 1).
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

template <class T>
class DownsampledSeries {
 public:
  // `capacity` is rounded up to an even number, at least 2.
  explicit DownsampledSeries(std::size_t capacity = 4096)
      : m_capacity(std::max<std::size_t>(2, capacity + (capacity & 1))) {}

  void push(T item) {
    const std::uint64_t i = m_pushed++;
    if (m_hasLatest) {
      m_items.pop_back();
      m_hasLatest = false;
    }
    if (i % m_stride == 0) {
      if (m_items.size() >= m_capacity) halve();
      // i = capacity * old stride, an even multiple of it: still on the grid.
      assert(i % m_stride == 0);
      m_items.push_back(std::move(item));
    } else {
      m_items.push_back(std::move(item));
      m_hasLatest = true;
    }
  }

  void clear() {
    m_items.clear();
    m_stride = 1;
    m_pushed = 0;
    m_hasLatest = false;
  }

  // The kept items, oldest first; the last one is the latest pushed.
  const std::vector<T>& items() const { return m_items; }
  bool empty() const { return m_items.empty(); }
  std::size_t size() const { return m_items.size(); }
  const T& back() const { return m_items.back(); }
  // Items pushed since construction or clear().
  std::uint64_t pushed() const { return m_pushed; }
  std::uint64_t stride() const { return m_stride; }
  std::size_t capacity() const { return m_capacity; }
  // Push number of kept item j.
  std::uint64_t indexOf(std::size_t j) const {
    return (m_hasLatest && j + 1 == m_items.size()) ? m_pushed - 1 : j * m_stride;
  }

 private:
  void halve() {
    const std::size_t kept = (m_items.size() + 1) / 2;
    for (std::size_t j = 1; j < kept; ++j) m_items[j] = std::move(m_items[2 * j]);
    m_items.resize(kept);
    m_stride *= 2;
  }

  std::size_t m_capacity;
  std::vector<T> m_items;
  std::uint64_t m_stride = 1;
  std::uint64_t m_pushed = 0;
  bool m_hasLatest = false;  // the last element is the latest item, off the grid
};

BAYESLAB_END_NAMESPACE
