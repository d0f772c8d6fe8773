#include "ui/training/posterior_draws.h"

#include <algorithm>

namespace bayeslab::ui {

namespace {

// Indices of at most `limit` of `count` items, evenly spread (all when they fit).
std::vector<Index> spread(Index count, Index limit) {
  const Index kept = std::min(count, std::max<Index>(limit, 1));
  std::vector<Index> indices(static_cast<size_t>(kept));
  for (Index k = 0; k < kept; ++k) indices[static_cast<size_t>(k)] = k * count / kept;
  return indices;
}

}  // namespace

QString parameterName(const MlpLayout& layout, Index parameter) {
  const Index l = layout.layerOf(parameter);
  if (l < 0 || l >= layout.layerCount()) return QString("#%1").arg(parameter);
  const LayerShape& s = layout.layer(l);
  const bool single = layout.layerCount() == 1 && s.outputs == 1;
  if (parameter >= s.biasOffset) {
    const Index o = parameter - s.biasOffset;
    return single ? QStringLiteral("b") : QString("b%1[%2]").arg(l + 1).arg(o);
  }
  // Column-major d_out x d_in block: index = offset + input * outputs + output.
  const Index k = parameter - s.weightOffset;
  const Index output = k % s.outputs, input = k / s.outputs;
  return single ? QString("w[%1]").arg(input)
                : QString("W%1[%2,%3]").arg(l + 1).arg(output).arg(input);
}

QStringList parameterNames(const MlpLayout& layout) {
  QStringList names;
  names.reserve(layout.parameterCount());
  for (Index i = 0; i < layout.parameterCount(); ++i) names << parameterName(layout, i);
  return names;
}

std::vector<Vector> flatSamples(const Posterior& posterior, Index maxSamples) {
  const PosteriorSummary summary = posterior.summary();
  if (summary.kind != PosteriorKind::Samples || summary.layers.empty()) return {};
  const Index count = static_cast<Index>(summary.layers.front().weightSamples.size());
  const MlpLayout& layout = posterior.layout();
  std::vector<Vector> samples;
  for (Index s : spread(count, maxSamples)) {
    Vector w(layout.parameterCount());
    for (Index l = 0; l < layout.layerCount(); ++l) {
      const LayerShape& shape = layout.layer(l);
      const LayerPosterior& layer = summary.layers[static_cast<size_t>(l)];
      const Matrix& weights = layer.weightSamples[static_cast<size_t>(s)];
      std::copy(weights.data(), weights.data() + weights.size(), w.data() + shape.weightOffset);
      w.segment(shape.biasOffset, shape.outputs) = layer.biasSamples[static_cast<size_t>(s)];
    }
    samples.push_back(std::move(w));
  }
  return samples;
}

PairDraws pairDraws(const Posterior& posterior, Index a, Index b, Index maxDraws) {
  const SampleTrace ta = posterior.trace(a);
  if (!ta.empty()) {
    // A sampler: its chains, one after the other.
    const SampleTrace tb = posterior.trace(b);
    std::vector<double> allA, allB;
    for (const auto& chain : ta.values) allA.insert(allA.end(), chain.begin(), chain.end());
    for (const auto& chain : tb.values) allB.insert(allB.end(), chain.begin(), chain.end());
    PairDraws draws;
    const Index n = static_cast<Index>(std::min(allA.size(), allB.size()));
    for (Index k : spread(n, maxDraws)) {
      draws.a.push_back(allA[static_cast<size_t>(k)]);
      draws.b.push_back(allB[static_cast<size_t>(k)]);
    }
    return draws;
  }
  return pairDraws(flatSamples(posterior, maxDraws), a, b, maxDraws);
}

PairDraws pairDraws(const std::vector<Vector>& samples, Index a, Index b, Index maxDraws) {
  PairDraws draws;
  if (samples.empty() || a >= samples.front().size() || b >= samples.front().size()) return draws;
  for (Index k : spread(static_cast<Index>(samples.size()), maxDraws)) {
    draws.a.push_back(static_cast<double>(samples[static_cast<size_t>(k)](a)));
    draws.b.push_back(static_cast<double>(samples[static_cast<size_t>(k)](b)));
  }
  return draws;
}

PairMoments pairMoments(const PairDraws& draws) {
  PairMoments m;
  const size_t n = std::min(draws.a.size(), draws.b.size());
  if (n == 0) return m;
  for (size_t k = 0; k < n; ++k) m.meanA += draws.a[k], m.meanB += draws.b[k];
  m.meanA /= static_cast<double>(n);
  m.meanB /= static_cast<double>(n);
  for (size_t k = 0; k < n; ++k) {
    const double da = draws.a[k] - m.meanA, db = draws.b[k] - m.meanB;
    m.varA += da * da;
    m.varB += db * db;
    m.cov += da * db;
  }
  m.varA /= static_cast<double>(n);
  m.varB /= static_cast<double>(n);
  m.cov /= static_cast<double>(n);
  return m;
}

}  // namespace bayeslab::ui
