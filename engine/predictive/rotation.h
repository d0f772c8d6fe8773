#pragma once
// Rotated-MNIST: how the predictive changes as a digit turns (Gal & Ghahramani
// 2016, Fig. 4). A well-calibrated Bayesian network grows uncertain as the
// digit leaves the training distribution; the mutual information separates
// that epistemic uncertainty from the class overlap.
//
// rotateImage turns a row-major image about its centre by bilinear
// interpolation (pixels sampled from outside the image are 0). A rotation by a
// multiple of 90 degrees maps pixel centres onto pixel centres and is exact.
#include <vector>

#include "engine/likelihood/likelihood.h"
#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

// Counter-clockwise by `degrees`.
void rotateImage(const Real* image, int width, int height, double degrees, Real* out);

struct RotationSweep {
  std::vector<double> angles;  // degrees
  Matrix images;               // pixels x angles (the rotated digit, one per column)
  Matrix probabilities;        // K x angles, MC mean
  Matrix probabilityStd;       // K x angles, across draws
  Vector entropy;              // per angle
  Vector mutualInformation;    // per angle
};

// The predictive of `posterior` for `image` rotated through 0, step, .., maxAngle degrees.
RotationSweep rotationSweep(const Posterior& posterior, const Likelihood& likelihood,
                            const Real* image, int width, int height, int samples,
                            const RandomStream& rng, int threads, double maxAngle = 180.0,
                            double step = 10.0);

// Index of the first example with the given label, or -1.
Index firstOfClass(const IndexVector& labels, int label);

BAYESLAB_END_NAMESPACE
