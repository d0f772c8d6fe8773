#include "engine/methods/posterior.h"

#include "engine/core/parallel.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {
// Weight draws are made once per draw and shared by its column chunks when they
// fit in this many values; otherwise each unit draws its own.
constexpr Index kMaxSharedWeights = Index(1) << 24;
}  // namespace

void Posterior::sampleWeightFunctions(const Eigen::Ref<const Matrix>& x, int samples,
                                      int threads, const WeightDraw& drawWeights,
                                      std::vector<Matrix>& out) const {
  const Index P = layout().parameterCount(), M = x.cols(), S = samples;
  const Index chunks = unitCount(M, kSweepColumns, 64);
  out.resize(static_cast<size_t>(S));
  for (Matrix& o : out) o.resize(layout().outputDim(), M);
  const bool shared = chunks > 1 && S * P <= kMaxSharedWeights;
  Matrix weights;
  if (shared) {
    weights.resize(P, S);
    parallelFor(threads, S, [&](Index s) { drawWeights(s, weights.col(s).data()); });
  }
  parallelFor(threads, S * chunks, [&](Index u) {
    const Index s = u / chunks;
    const Range cols = partRange(M, chunks, u % chunks);
    Vector own;
    const Real* w = nullptr;
    if (shared) {
      w = weights.col(s).data();
    } else {
      own.resize(P);
      drawWeights(s, own.data());
      w = own.data();
    }
    MlpWorkspace workspace;
    out[static_cast<size_t>(s)].middleCols(cols.begin, cols.size) =
        kernel().forward(w, x.middleCols(cols.begin, cols.size), workspace);
  });
}

PosteriorSummary summaryFromFlat(const MlpLayout& layout, PosteriorKind kind, const Vector& mean,
                                 const Vector& std, const std::vector<Vector>* samples) {
  PosteriorSummary summary;
  summary.kind = kind;
  for (const LayerShape& s : layout.layers()) {
    LayerPosterior layer;
    layer.weightMean = ConstMatrixMap(mean.data() + s.weightOffset, s.outputs, s.inputs);
    layer.weightStd = ConstMatrixMap(std.data() + s.weightOffset, s.outputs, s.inputs);
    layer.biasMean = mean.segment(s.biasOffset, s.outputs);
    layer.biasStd = std.segment(s.biasOffset, s.outputs);
    if (samples) {
      for (const Vector& w : *samples) {
        layer.weightSamples.emplace_back(
            ConstMatrixMap(w.data() + s.weightOffset, s.outputs, s.inputs));
        layer.biasSamples.emplace_back(w.segment(s.biasOffset, s.outputs));
      }
    }
    summary.layers.push_back(std::move(layer));
  }
  return summary;
}

BAYESLAB_END_NAMESPACE
