#pragma once
// Hidden-layer nonlinearities, applied in place; derivatives are taken from the
// activation's output (ReLU: a > 0; tanh: 1 - a^2) so the pre-activations need
// not be stored.

#include <string>
#include <vector>

#include "engine/core/real.h"
#include "engine/core/vector_ops.h"

BAYESLAB_BEGIN_NAMESPACE

enum class Activation { Relu, Tanh };

const std::vector<std::string>& activationNames();  // "relu", "tanh"
bool parseActivation(const std::string& name, Activation& out);
const char* activationName(Activation a);

template <class Derived>
void applyActivation(Activation a, Eigen::MatrixBase<Derived>& z) {
  if (a == Activation::Relu)
    z = z.cwiseMax(Real(0));
  else
    z = z.array().tanh().matrix();
}

// delta <- delta * f'(z), with f'(z) computed from the output a = f(z).
template <class DerivedD, class DerivedA>
void multiplyActivationDerivative(Activation a, Eigen::MatrixBase<DerivedD>& delta,
                                  const Eigen::MatrixBase<DerivedA>& output) {
  if (a == Activation::Relu)
    delta = delta.binaryExpr(output, PositiveMaskOp());
  else
    delta.array() *= Real(1) - output.array().square();
}

BAYESLAB_END_NAMESPACE
