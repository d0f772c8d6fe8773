#include "engine/methods/laplace/curvature.h"

#include "engine/core/errors.h"
#include "engine/core/parallel.h"
#include "engine/core/stop_request.h"
#include "engine/methods/laplace/jacobian_factors.h"
#include "engine/methods/laplace/output_curvature.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

constexpr Index kChunkExamples = 64;
constexpr Index kGroups = 4;  // fixed partial sums: memory 4 x the structure, any thread count

bool isDense(HessianStructure s) {
  return s == HessianStructure::LastLayerFull || s == HessianStructure::Full;
}

DataCurvature emptyCurvature(HessianStructure structure, const MlpLayout& layout) {
  DataCurvature c;
  c.structure = structure;
  c.parameters = layout.parameterCount();
  if (structure == HessianStructure::LastLayerFull)
    c.coveredOffset = layout.layer(layout.layerCount() - 1).weightOffset;
  if (isDiagonal(structure)) c.diagonal.setZero(c.parameters);
  if (structure == HessianStructure::Kfac)
    for (const LayerShape& s : layout.layers())
      c.kronecker.push_back({Eigen::MatrixXd::Zero(s.inputs + 1, s.inputs + 1),
                             Eigen::MatrixXd::Zero(s.outputs, s.outputs),
                             {},
                             {},
                             {},
                             {}});
  if (isDense(structure)) c.dense.setZero(c.coveredCount(), c.coveredCount());
  return c;
}

void accumulate(DataCurvature& c, const MlpLayout& layout, const std::vector<LayerFactors>& f,
                Index perExample) {
  switch (c.structure) {
    case HessianStructure::DiagonalGgn:
    case HessianStructure::DiagonalEf:
      for (Index l = 0; l < layout.layerCount(); ++l) {
        const LayerShape& s = layout.layer(l);
        const LayerFactors& lf = f[static_cast<size_t>(l)];
        // sum_c delta_c^2 abar_c^2^T, with each example's seeds summed first.
        Eigen::Map<Eigen::MatrixXd>(c.diagonal.data() + s.weightOffset, s.outputs, s.inputs + 1)
            .noalias() +=
            sumColumnGroups(lf.delta.cwiseAbs2(), perExample) * lf.input.cwiseAbs2().transpose();
      }
      break;
    case HessianStructure::Kfac:
      for (Index l = 0; l < layout.layerCount(); ++l) {
        const LayerFactors& lf = f[static_cast<size_t>(l)];
        KroneckerFactor& k = c.kronecker[static_cast<size_t>(l)];
        k.A.selfadjointView<Eigen::Lower>().rankUpdate(lf.input);
        k.G.selfadjointView<Eigen::Lower>().rankUpdate(lf.delta);
      }
      break;
    case HessianStructure::LastLayerFull:
    case HessianStructure::Full: {
      Eigen::MatrixXd J;
      stackFactors(layout, f, layout.layerOf(c.coveredOffset), J);
      c.dense.selfadjointView<Eigen::Lower>().rankUpdate(J);
      break;
    }
  }
}

void add(DataCurvature& total, const DataCurvature& part) {
  total.logLikelihood += part.logLikelihood;
  total.examples += part.examples;
  if (total.diagonal.size() > 0) total.diagonal += part.diagonal;
  for (size_t l = 0; l < total.kronecker.size(); ++l) {
    total.kronecker[l].A += part.kronecker[l].A;
    total.kronecker[l].G += part.kronecker[l].G;
  }
  if (total.dense.size() > 0) total.dense += part.dense;
}

void finalise(DataCurvature& c) {
  if (isDiagonal(c.structure)) {
    c.spectrum = c.diagonal;
  } else if (c.structure == HessianStructure::Kfac) {
    const double n = static_cast<double>(std::max<Index>(c.examples, 1));
    Index total = 0;
    for (KroneckerFactor& k : c.kronecker) {
      k.A = k.A.selfadjointView<Eigen::Lower>();
      k.G = Eigen::MatrixXd(k.G.selfadjointView<Eigen::Lower>()) / n;
      const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ea(k.A), eg(k.G);
      k.UA = ea.eigenvectors();
      k.UG = eg.eigenvectors();
      k.a = ea.eigenvalues().cwiseMax(0.0);
      k.g = eg.eigenvalues().cwiseMax(0.0);
      total += k.a.size() * k.g.size();
    }
    c.spectrum.resize(total);
    Index next = 0;
    for (const KroneckerFactor& k : c.kronecker)
      for (Index i = 0; i < k.a.size(); ++i)
        for (Index j = 0; j < k.g.size(); ++j) c.spectrum(next++) = k.a(i) * k.g(j);
  } else {
    c.dense = c.dense.selfadjointView<Eigen::Lower>();
    c.spectrum = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(c.dense, Eigen::EigenvaluesOnly)
                     .eigenvalues()
                     .cwiseMax(0.0);
  }
}

}  // namespace

const std::vector<std::string>& hessianStructureIds() {
  static const std::vector<std::string> ids = {"diag_ggn", "diag_ef", "kfac", "last_layer_full",
                                               "full"};
  return ids;
}

HessianStructure hessianStructureFromId(const std::string& id) {
  const auto& ids = hessianStructureIds();
  for (size_t i = 0; i < ids.size(); ++i)
    if (ids[i] == id) return static_cast<HessianStructure>(i);
  throw InputError("", "method.hessian", "unknown Hessian structure '" + id + "'");
}

DataCurvature computeCurvature(HessianStructure structure, const MlpKernel& kernel,
                               const Likelihood& likelihood, const Real* likelihoodParams,
                               const Real* w, const Dataset& data, int threads) {
  const MlpLayout& layout = kernel.layout();
  const OutputCurvature kind = structure == HessianStructure::DiagonalEf
                                   ? OutputCurvature::EmpiricalFisher
                                   : OutputCurvature::Ggn;
  const Index perExample = seedsPerExample(kind, likelihood, layout.outputDim());
  const Index N = data.size();
  const Index chunks = std::max<Index>(1, (N + kChunkExamples - 1) / kChunkExamples);
  const Index groups = std::min(kGroups, chunks);
  std::vector<DataCurvature> parts(static_cast<size_t>(groups));
  // A trainer being thrown away stops between chunks (engine/core/stop_request.h);
  // the partial sums still finalise into a well-formed result, which is discarded.
  const std::atomic<bool>* stop = currentStopFlag();
  parallelFor(threads, groups, [&](Index g) {
    DataCurvature& part = parts[static_cast<size_t>(g)];
    part = emptyCurvature(structure, layout);
    MlpWorkspace ws;
    Eigen::MatrixXd seeds;
    std::vector<LayerFactors> factors;
    for (Index chunk = g; chunk < chunks && !stopRequested(stop); chunk += groups) {
      const Range r = partRange(N, chunks, chunk);
      const auto x = data.inputs.middleCols(r.begin, r.size);
      const TargetView y = TargetView::of(data, r.begin, r.size);
      const Matrix& f = kernel.forward(w, x, ws);
      part.logLikelihood += likelihood.logLikelihood(f, y, likelihoodParams, 0, nullptr, nullptr);
      part.examples += r.size;
      outputSeeds(kind, likelihood, likelihoodParams, f, y, seeds);
      pullBackSeeds(kernel, w, x, ws, seeds, perExample, factors);
      accumulate(part, layout, factors, perExample);
    }
  });
  DataCurvature total = emptyCurvature(structure, layout);
  for (const DataCurvature& part : parts) add(total, part);
  finalise(total);
  return total;
}

std::size_t DataCurvature::bytes() const {
  Index values = diagonal.size() + dense.size() + spectrum.size();
  for (const KroneckerFactor& k : kronecker)
    values += k.A.size() + k.G.size() + k.UA.size() + k.UG.size() + k.a.size() + k.g.size();
  return static_cast<std::size_t>(values) * sizeof(double);
}

BAYESLAB_END_NAMESPACE
