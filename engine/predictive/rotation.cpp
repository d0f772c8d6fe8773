#include "engine/predictive/rotation.h"

#include <cmath>
#include <numbers>

#include "engine/predictive/predictive.h"

BAYESLAB_BEGIN_NAMESPACE

void rotateImage(const Real* image, int width, int height, double degrees, Real* out) {
  const double theta = degrees * std::numbers::pi / 180.0;
  // Round cos/sin so that quarter turns are exact.
  double c = std::cos(theta), s = std::sin(theta);
  if (std::abs(c) < 1e-12) c = 0.0;
  if (std::abs(s) < 1e-12) s = 0.0;
  const double cx = 0.5 * (width - 1), cy = 0.5 * (height - 1);
  const auto pixel = [&](int x, int y) -> double {
    return (x < 0 || y < 0 || x >= width || y >= height)
               ? 0.0
               : static_cast<double>(image[y * width + x]);
  };
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      // Inverse map: the source of output pixel (x, y). Image y grows downwards,
      // so a counter-clockwise turn on screen uses the transposed rotation.
      const double dx = x - cx, dy = y - cy;
      const double sx = c * dx - s * dy + cx;
      const double sy = s * dx + c * dy + cy;
      const double fx = std::floor(sx), fy = std::floor(sy);
      const double ax = sx - fx, ay = sy - fy;
      const int x0 = static_cast<int>(fx), y0 = static_cast<int>(fy);
      const double v = (1 - ax) * (1 - ay) * pixel(x0, y0) + ax * (1 - ay) * pixel(x0 + 1, y0) +
                       (1 - ax) * ay * pixel(x0, y0 + 1) + ax * ay * pixel(x0 + 1, y0 + 1);
      out[y * width + x] = static_cast<Real>(v);
    }
  }
}

RotationSweep rotationSweep(const Posterior& posterior, const Likelihood& likelihood,
                            const Real* image, int width, int height, int samples,
                            const RandomStream& rng, int threads, double maxAngle, double step) {
  RotationSweep sweep;
  const int count = static_cast<int>(std::floor(maxAngle / step + 1e-9)) + 1;
  sweep.images.resize(static_cast<Index>(width) * height, count);
  for (int a = 0; a < count; ++a) {
    sweep.angles.push_back(a * step);
    rotateImage(image, width, height, a * step, sweep.images.col(a).data());
  }
  const ClassificationPredictive p =
      predictClassification(posterior, likelihood, sweep.images, samples, rng, threads);
  sweep.probabilities = p.probabilities;
  sweep.probabilityStd = p.probabilityStd;
  sweep.entropy = p.entropy;
  sweep.mutualInformation = p.mutualInformation;
  return sweep;
}

Index firstOfClass(const IndexVector& labels, int label) {
  for (Index i = 0; i < labels.size(); ++i)
    if (labels(i) == label) return i;
  return -1;
}

BAYESLAB_END_NAMESPACE
