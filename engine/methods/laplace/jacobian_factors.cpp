#include "engine/methods/laplace/jacobian_factors.h"

BAYESLAB_BEGIN_NAMESPACE

Eigen::MatrixXd repeatColumns(const Eigen::MatrixXd& a, Index times) {
  if (times == 1) return a;
  Eigen::MatrixXd out(a.rows(), a.cols() * times);
  for (Index n = 0; n < a.cols(); ++n) out.middleCols(n * times, times).colwise() = a.col(n);
  return out;
}

Eigen::MatrixXd sumColumnGroups(const Eigen::MatrixXd& a, Index times) {
  if (times == 1) return a;
  Eigen::MatrixXd out(a.rows(), a.cols() / times);
  for (Index n = 0; n < out.cols(); ++n)
    out.col(n) = a.middleCols(n * times, times).rowwise().sum();
  return out;
}

void pullBackSeeds(const MlpKernel& kernel, const Real* w, const Eigen::Ref<const Matrix>& x,
                   const MlpWorkspace& ws, const Eigen::MatrixXd& seeds, Index perExample,
                   std::vector<LayerFactors>& layers) {
  const MlpLayout& layout = kernel.layout();
  const Index L = layout.layerCount();
  layers.resize(static_cast<size_t>(L));
  Eigen::MatrixXd delta = seeds;
  for (Index l = L - 1; l >= 0; --l) {
    const LayerShape& s = layout.layer(l);
    LayerFactors& f = layers[static_cast<size_t>(l)];
    f.input.resize(s.inputs + 1, x.cols());
    if (l == 0)
      f.input.topRows(s.inputs) = x.cast<double>();
    else
      f.input.topRows(s.inputs) = ws.activations[static_cast<size_t>(l - 1)].cast<double>();
    f.input.row(s.inputs).setOnes();
    f.delta = delta;
    f.perExample = perExample;
    if (l == 0) break;
    // f'(z_{l-1}) from the stored activation, with the kernel's own derivative rule.
    const Matrix& a = ws.activations[static_cast<size_t>(l - 1)];
    Matrix derivative = Matrix::Ones(a.rows(), a.cols());
    multiplyActivationDerivative(kernel.activation(), derivative, a);
    const Eigen::MatrixXd W =
        ConstMatrixMap(w + s.weightOffset, s.outputs, s.inputs).cast<double>();
    delta =
        (W.transpose() * delta).cwiseProduct(repeatColumns(derivative.cast<double>(), perExample));
  }
}

void stackFactors(const MlpLayout& layout, const std::vector<LayerFactors>& layers,
                  Index firstLayer, Eigen::MatrixXd& out) {
  const Index offset = layout.layer(firstLayer).weightOffset;
  const Index columns = layers.front().delta.cols();
  out.resize(layout.parameterCount() - offset, columns);
  for (Index l = firstLayer; l < layout.layerCount(); ++l) {
    const LayerShape& s = layout.layer(l);
    const LayerFactors& f = layers[static_cast<size_t>(l)];
    for (Index c = 0; c < columns; ++c)
      Eigen::Map<Eigen::MatrixXd>(out.col(c).data() + s.weightOffset - offset, s.outputs,
                                  s.inputs + 1)
          .noalias() = f.delta.col(c) * f.input.col(c / f.perExample).transpose();
  }
}

BAYESLAB_END_NAMESPACE
