#pragma once
// Small helpers shared by the engine tests.
#include <QString>
#include <QtTest>
#include <cmath>
#include <memory>

#include "engine/diagnostics/gradient_check.h"
#include "engine/methods/common/gradient_method.h"
#include "engine/prior/gaussian_prior.h"
#include "engine/training/trainer.h"

namespace bayeslab::test {

// A small, fast session: `hidden` layers on `dataset` with `method`.
inline SessionConfig smallSession(const std::string& dataset, const std::string& method,
                                  std::vector<int> hidden = {8, 8}) {
  SessionConfig c;
  c.dataset.name = dataset;
  c.dataset.nTrain = 48;
  c.dataset.nTest = 32;
  c.model.hidden = std::move(hidden);
  c.method.name = method;
  c.training.steps = 50;
  c.training.batchSize = 16;
  c.training.evalEvery = 25;
  c.training.evalSamples = 8;
  return c;
}

// One objective evaluation's input for a method's finite-difference checks:
// `samples` Monte Carlo draws from a fixed stream, KL weight 0.7.
inline StepInput stepInput(const Trainer& trainer, const Batch& batch, int samples,
                           int threads = 1) {
  StepInput input;
  input.batch = &batch;
  input.datasetSize = trainer.data().train.size();
  input.mcSamples = samples;
  input.klWeight = 0.7;
  input.rng = RandomStream(123);
  input.threads = threads;
  return input;
}

// A Gaussian prior that hides its closed-form KL, to exercise the Monte Carlo path.
class MonteCarloOnlyGaussian final : public Prior {
 public:
  explicit MonteCarloOnlyGaussian(double s) : m_inner(s) {}
  const char* id() const override { return "gaussian_mc"; }
  std::string describe() const override { return m_inner.describe(); }
  double logDensity(const Real* w, Index n, Real scale, Real* grad,
                    const PriorContext& context) const override {
    return m_inner.logDensity(w, n, scale, grad, context);
  }
  double density(double w) const override { return m_inner.density(w); }

 private:
  GaussianPrior m_inner;
};

// The first `batch` training examples as a minibatch.
inline Batch firstBatch(const Dataset& data, Index batch) {
  std::vector<Index> idx(static_cast<size_t>(batch));
  for (Index i = 0; i < batch; ++i) idx[static_cast<size_t>(i)] = i;
  Batch b;
  b.gather(data, idx.data(), batch);
  return b;
}

// The objective of a gradient-based method as a function of its parameters,
// with the step's noise held fixed (the same rng for every evaluation).
inline Objective methodObjective(GradientMethod& method, const StepInput& input) {
  return [&method, input](const Vector& x, Vector* gradient) {
    StepStats stats;
    return method.evaluate(input, x, gradient, stats);
  };
}

// The field named by the InputError that building a trainer for `c` throws,
// or "(accepted)" when it builds.
inline QString trainerInputErrorField(const SessionConfig& c) {
  try {
    Trainer trainer(c);
  } catch (const InputError& e) {
    return QString::fromStdString(e.field());
  }
  return QStringLiteral("(accepted)");
}

// Asserts `result` passed, printing where it failed.
#define BAYESLAB_VERIFY_GRADIENT(result)                                                       \
  QVERIFY2((result).passed,                                                                    \
           qPrintable(QString("relative error %1 at %2: analytic %3, numeric %4 (%5 checked)") \
                          .arg((result).maxRelativeError)                                      \
                          .arg((result).worstIndex)                                            \
                          .arg((result).analytic)                                              \
                          .arg((result).numeric)                                               \
                          .arg((result).checked)))

}  // namespace bayeslab::test
