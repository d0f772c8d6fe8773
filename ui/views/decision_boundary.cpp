#include "ui/views/decision_boundary.h"

#include <vector>

namespace bayeslab::ui {

namespace {

// Where the zero crossing lies between two corners (a and b of opposite sign).
double crossing(double a, double b) {
  return a / (a - b);
}

}  // namespace

QPainterPath zeroContour(const Real* values, int rows, int columns) {
  QPainterPath path;
  auto v = [&](int r, int c) { return static_cast<double>(values[r * columns + c]); };
  for (int r = 0; r + 1 < rows; ++r) {
    for (int c = 0; c + 1 < columns; ++c) {
      // Corners counter-clockwise from bottom-left: (r,c) (r,c+1) (r+1,c+1) (r+1,c).
      const double a = v(r, c), b = v(r, c + 1), d = v(r + 1, c + 1), e = v(r + 1, c);
      std::vector<QPointF> hits;
      auto edge = [&](double p, double q, QPointF from, QPointF to) {
        if ((p > 0) == (q > 0)) return;
        const double t = crossing(p, q);
        hits.push_back(from + (to - from) * t);
      };
      const QPointF p00(c, r), p01(c + 1, r), p11(c + 1, r + 1), p10(c, r + 1);
      edge(a, b, p00, p01);
      edge(b, d, p01, p11);
      edge(d, e, p11, p10);
      edge(e, a, p10, p00);
      if (hits.size() == 2) {
        path.moveTo(hits[0]);
        path.lineTo(hits[1]);
      } else if (hits.size() == 4) {
        // Saddle: the cell centre's sign decides which corners connect.
        const bool centre = (a + b + d + e) > 0;
        const bool aPositive = a > 0;
        if (centre == aPositive) {
          path.moveTo(hits[0]);
          path.lineTo(hits[1]);
          path.moveTo(hits[2]);
          path.lineTo(hits[3]);
        } else {
          path.moveTo(hits[0]);
          path.lineTo(hits[3]);
          path.moveTo(hits[1]);
          path.lineTo(hits[2]);
        }
      }
    }
  }
  return path;
}

QPainterPath decisionBoundary(const Matrix& probabilities, int rows, int columns) {
  const Index K = probabilities.rows();
  const Index M = probabilities.cols();
  if (K < 2 || M != static_cast<Index>(rows) * columns) return {};
  std::vector<Real> margin(static_cast<size_t>(M));
  QPainterPath path;
  // Two classes: one contour (p1 - p0) suffices; K classes: each class against the rest.
  const Index passes = K == 2 ? 1 : K;
  for (Index k = 0; k < passes; ++k) {
    const Index cls = K == 2 ? 1 : k;
    for (Index i = 0; i < M; ++i) {
      Real best = -1;
      for (Index j = 0; j < K; ++j)
        if (j != cls) best = std::max(best, probabilities(j, i));
      margin[static_cast<size_t>(i)] = probabilities(cls, i) - best;
    }
    path.addPath(zeroContour(margin.data(), rows, columns));
  }
  return path;
}

}  // namespace bayeslab::ui
