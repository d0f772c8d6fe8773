#pragma once
// Keeps a growing line series cheap to draw: at most `maxPoints` points, each
// the mean of `stride` consecutive values. When the buffer fills, neighbouring
// points merge and the stride doubles, so appending stays O(1) amortised and a
// repaint never touches more than `maxPoints` points however long the run.
// Averaging (rather than picking every n-th value) also smooths the minibatch
// noise of the ELBO, which is what a reader wants from a long curve.
#include <QList>
#include <QPointF>
#include <vector>

namespace bayeslab::ui {

class SeriesDecimator {
 public:
  explicit SeriesDecimator(int maxPoints = 2000) : m_maxPoints(maxPoints) {}

  void clear();
  // Non-finite values are skipped (they would break the line).
  void append(double x, double y);
  QList<QPointF> points() const;
  int stride() const { return m_stride; }

 private:
  struct Bucket {
    double sumX = 0.0, sumY = 0.0;
    int count = 0;
  };
  int m_maxPoints;
  int m_stride = 1;
  std::vector<Bucket> m_full;
  Bucket m_partial;
};

}  // namespace bayeslab::ui
