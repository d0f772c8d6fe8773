#include "engine/methods/posterior.h"

BAYESLAB_BEGIN_NAMESPACE

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
