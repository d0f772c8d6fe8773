#include "ui/views/weight_posterior_view.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QTextStream>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

#include "ui/views/histogram.h"
#include "ui/views/plot_note.h"

namespace bayeslab::ui {

namespace {

constexpr int kBins = 40;
constexpr int kPriorPoints = 200;
// Quantiles the axes span: a handful of extreme weights should not squash the rest.
constexpr double kLowQuantile = 0.002, kHighQuantile = 0.998;
constexpr double kSnrHalfSpanDecibels = 40.0;

double snrDecibels(double mean, double std) {
  return 10.0 * std::log10(std::max(std::abs(mean), 1e-12) / std);
}

}  // namespace

WeightPosteriorView::WeightPosteriorView(QWidget* parent)
    : ChartPanel("weights", tr("Weight posterior"), parent) {
  m_layerBox = new QComboBox(this);
  m_layerBox->setToolTip(tr("Which layer's weights the histograms show."));
  m_biasBox = new QCheckBox(tr("include biases"), this);
  m_biasBox->setToolTip(
      tr("Add the layer's biases to the histograms (they carry the same "
         "prior as the weights)."));
  connect(m_layerBox, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
  connect(m_biasBox, &QCheckBox::toggled, this, [this] { refresh(); });

  m_means = makeHistogramChart(palette::kBlue);
  m_stds = makeHistogramChart(palette::kGreen);
  m_snr = makeHistogramChart(palette::kPurple);
  m_means.area->setName(tr("posterior"));
  m_prior = new QLineSeries;
  m_prior->setName(tr("prior"));
  QPen priorPen(palette::kVermillion, 2.0);
  priorPen.setStyle(Qt::DashLine);
  m_prior->setPen(priorPen);
  m_means.chart->addSeries(m_prior);
  m_prior->attachAxis(m_means.x);
  m_prior->attachAxis(m_means.y);
  for (HistogramChart* h : {&m_means, &m_stds, &m_snr})
    connect(h->chart, &QChart::plotAreaChanged, this, [this] { fitLegend(); });
  m_stds.chart->legend()->hide();
  m_snr.chart->legend()->hide();
  m_means.view->setToolTip(
      tr("Where the weights sit. The dashed line is the prior density "
         "scaled to the histogram's area."));
  m_stds.view->setToolTip(tr("How unsure the posterior is about each weight."));
  m_snr.view->setToolTip(
      tr("10 log10(|\u03bc| / \u03c3): weights with a low signal-to-noise ratio "
         "can be pruned with little loss (Blundell et al. 2015). The extreme 1% at either "
         "end is gathered in the edge bins."));

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 0);
  auto* label = new QLabel(tr("Layer:"), this);
  label->setBuddy(m_layerBox);
  bar->addWidget(label);
  bar->addWidget(m_layerBox);
  bar->addWidget(m_biasBox);
  bar->addStretch(1);
  auto* charts = new QHBoxLayout;
  charts->setSpacing(0);
  charts->addWidget(m_means.view, 1);
  charts->addWidget(m_stds.view, 1);
  charts->addWidget(m_snr.view, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  layout->addLayout(charts, 1);
  applyStyle();
  clear();
}

WeightPosteriorView::HistogramChart WeightPosteriorView::makeHistogramChart(const QColor& color) {
  HistogramChart h;
  h.chart = new QChart;
  h.outline = new QLineSeries(this);
  h.area = new QAreaSeries(h.outline);
  QColor fill = color;
  fill.setAlpha(150);
  h.area->setBrush(fill);
  h.area->setPen(QPen(color.darker(130), 1.0));
  h.chart->addSeries(h.area);
  h.x = new QValueAxis;
  h.y = new QValueAxis;
  h.chart->addAxis(h.x, Qt::AlignBottom);
  h.chart->addAxis(h.y, Qt::AlignLeft);
  h.area->attachAxis(h.x);
  h.area->attachAxis(h.y);
  h.note = new PlotNote(h.chart);
  h.view = makeChartView(h.chart);
  return h;
}

void WeightPosteriorView::applyStyle() {
  const ChartStyle& s = style();
  for (HistogramChart* h : {&m_means, &m_stds, &m_snr}) {
    s.apply(h->chart);
    h->note->setFont(s.axisTitleFont());
  }
  s.apply(m_means.x, tr("\u03bc"));
  s.apply(m_stds.x, tr("\u03c3"));
  s.apply(m_snr.x, tr("|\u03bc| / \u03c3  [dB]"));
  fitLegend();
  for (HistogramChart* h : {&m_means, &m_stds, &m_snr}) s.apply(h->y, tr("count"));
  QFont font = m_layerBox->font();
  font.setPointSizeF(9.0 * s.fontScale);
  m_layerBox->setFont(font);
  m_biasBox->setFont(font);
}

void WeightPosteriorView::fitLegend() {
  const QString density =
      m_priorDensity ? QString::fromStdString(m_priorDensity->describe()) : QString();
  const QStringList full{tr("posterior"), density.isEmpty() ? tr("prior") : tr("prior %1").arg(density)};
  const QStringList medium{tr("q(w)"), density.isEmpty() ? tr("p(w)") : tr("p(w) = %1").arg(density)};
  const QStringList brief{tr("q(w)"), tr("p(w)")};
  // One legend row at the bottom: each entry is its label, a marker and some spacing.
  const QFontMetricsF metrics(m_means.chart->legend()->font());
  const double room = m_means.chart->size().width() - 16.0;
  const auto width = [&](const QStringList& names) {
    double w = 0.0;
    for (const QString& name : names) w += metrics.horizontalAdvance(name) + metrics.height() + 12.0;
    return w;
  };
  const QStringList& names =
      width(full) <= room ? full : width(medium) <= room ? medium : brief;
  if (m_means.area->name() != names[0]) m_means.area->setName(names[0]);
  fitTitle(m_means.chart, {tr("Means \u03bc"), tr("\u03bc")});
  fitTitle(m_stds.chart, {tr("Std devs \u03c3"), tr("\u03c3")});
  fitTitle(m_snr.chart, {tr("Signal / noise"), tr("SNR")});
  fitAxisTitle(m_snr.chart, m_snr.x,
               {tr("|\u03bc| / \u03c3  [dB]"), tr("|\u03bc|/\u03c3 [dB]"), tr("dB")});
  if (m_prior->name() != names[1]) m_prior->setName(names[1]);
}

void WeightPosteriorView::setPrior(std::shared_ptr<const Prior> prior) {
  m_priorDensity = std::move(prior);
  fitLegend();
  refresh();
}

void WeightPosteriorView::setSummary(const PosteriorSummary& summary) {
  m_summary = summary;
  syncLayerBox();
  refresh();
}

void WeightPosteriorView::clear() {
  m_summary = PosteriorSummary();
  syncLayerBox();
  refresh();
}

void WeightPosteriorView::selectLayer(int layer) {
  const int index = m_layerBox->findData(layer);
  if (index >= 0) m_layerBox->setCurrentIndex(index);
}

int WeightPosteriorView::selectedLayer() const {
  return m_layerBox->currentIndex() >= 0 ? m_layerBox->currentData().toInt() : -1;
}

QString WeightPosteriorView::stdNote() const {
  return m_stds.note ? m_stds.note->text() : QString();
}

void WeightPosteriorView::syncLayerBox() {
  QStringList labels{tr("All layers")};
  QList<int> ids{-1};
  for (size_t l = 0; l < m_summary.layers.size(); ++l) {
    const Matrix& w = m_summary.layers[l].weightMean;
    labels << tr("Layer %1 (%2 \u2192 %3)").arg(l + 1).arg(w.cols()).arg(w.rows());
    ids << static_cast<int>(l);
  }
  bool same = m_layerBox->count() == labels.size();
  for (int i = 0; same && i < labels.size(); ++i) same = m_layerBox->itemText(i) == labels[i];
  if (same) return;
  const int previous = selectedLayer();
  const QSignalBlocker block(m_layerBox);
  m_layerBox->clear();
  for (int i = 0; i < labels.size(); ++i) m_layerBox->addItem(labels[i], ids[i]);
  const int index = m_layerBox->findData(previous);
  m_layerBox->setCurrentIndex(index >= 0 ? index : 0);
}

void WeightPosteriorView::refresh() {
  std::vector<double> means, stds;
  const int chosen = selectedLayer();
  const bool biases = m_biasBox->isChecked();
  for (size_t l = 0; l < m_summary.layers.size(); ++l) {
    if (chosen >= 0 && static_cast<int>(l) != chosen) continue;
    const LayerPosterior& layer = m_summary.layers[l];
    for (Index i = 0; i < layer.weightMean.size(); ++i) {
      means.push_back(layer.weightMean.data()[i]);
      stds.push_back(layer.weightStd.size() == layer.weightMean.size() ? layer.weightStd.data()[i]
                                                                       : 0.0);
    }
    if (biases)
      for (Index i = 0; i < layer.biasMean.size(); ++i) {
        means.push_back(layer.biasMean(i));
        stds.push_back(layer.biasStd.size() == layer.biasMean.size() ? layer.biasStd(i) : 0.0);
      }
  }

  // The bins follow the (sticky) axis, so the bars stay put while training.
  auto show = [](HistogramChart& h, const std::vector<double>& values, double lo, double hi) {
    // Narrow charts (small windows, large fonts) get fewer ticks: labels like
    // "0.0075" would otherwise overlap and be elided.
    const double labelWidth = QFontMetricsF(h.x->labelsFont()).horizontalAdvance("0.0075");
    const int ticks = h.chart->plotArea().width() < 4.5 * labelWidth ? 3 : 4;
    setStickyRange(h.x, lo, hi, ticks, 1.5);
    const Histogram hist = makeHistogram(values, kBins, h.x->min(), h.x->max());
    h.outline->replace(stepOutline(hist));
    setStickyRange(h.y, 0.0, std::max(1.0, hist.maxCount()), 5, 1.5);
    h.note->setText(QString());
    return hist;
  };
  auto blank = [](HistogramChart& h, const QString& why) {
    h.outline->clear();
    setNiceRange(h.x, 0.0, 1.0, 5);
    setNiceRange(h.y, 0.0, 1.0, 5);
    h.note->setText(why);
  };

  if (means.empty()) {
    for (HistogramChart* h : {&m_means, &m_stds, &m_snr}) blank(*h, tr("no posterior yet"));
    m_prior->clear();
    return;
  }
  auto [lo, hi] = quantileRange(means, kLowQuantile, kHighQuantile);
  const Histogram meanHist = show(m_means, means, lo, hi);
  if (m_priorDensity) {
    // Density times (count x bin width): the counts the prior alone would give.
    const double scale = meanHist.total() * meanHist.binWidth();
    QList<QPointF> prior;
    prior.reserve(kPriorPoints);
    for (int i = 0; i < kPriorPoints; ++i) {
      const double w = meanHist.lower + (meanHist.upper - meanHist.lower) * i / (kPriorPoints - 1);
      prior.append({w, scale * m_priorDensity->density(w)});
    }
    m_prior->replace(prior);
  } else {
    m_prior->clear();
  }

  const bool spread = m_summary.kind != PosteriorKind::Point &&
                      std::any_of(stds.begin(), stds.end(), [](double s) { return s > 0.0; });
  if (!spread) {
    blank(m_stds, tr("point estimate:\nno spread"));
    blank(m_snr, tr("point estimate:\nno spread"));
    return;
  }
  show(m_stds, stds, 0.0, quantileRange(stds, 0.0, kHighQuantile).second);
  std::vector<double> snr;
  snr.reserve(means.size());
  for (size_t i = 0; i < means.size(); ++i)
    if (stds[i] > 0.0) snr.push_back(snrDecibels(means[i], stds[i]));
  // Weights the prior has switched off sit far below (-100 dB), weights every
  // ensemble member agrees on far above; the axis spans the bulk around the
  // median and the extremes gather in the edge bins.
  auto [nLo, nHi] = quantileRange(snr, 0.01, 0.99);
  const double median = quantileRange(snr, 0.5, 0.5).first;
  nLo = std::max(nLo, median - kSnrHalfSpanDecibels);
  nHi = std::min(nHi, median + kSnrHalfSpanDecibels);
  if (!(nHi > nLo)) nLo = nHi - 1.0;
  show(m_snr, snr, nLo, nHi);
}

std::vector<CsvTable> WeightPosteriorView::csvTables() const {
  if (m_summary.layers.empty()) return {};
  QString text;
  QTextStream out(&text);
  out.setRealNumberPrecision(8);
  out << "layer,kind,out,in,mean,std,snr\n";
  // Biases have no input index (i = -1 leaves the cell empty).
  auto row = [&](size_t l, const char* kind, Index o, Index i, double mean, double std) {
    out << l + 1 << "," << kind << "," << o << ",";
    if (i >= 0) out << i;
    out << "," << mean << "," << std << ",";
    if (std > 0.0) out << std::abs(mean) / std;
    out << "\n";
  };
  for (size_t l = 0; l < m_summary.layers.size(); ++l) {
    const LayerPosterior& layer = m_summary.layers[l];
    const bool hasStd = layer.weightStd.size() == layer.weightMean.size();
    for (Index i = 0; i < layer.weightMean.cols(); ++i)
      for (Index o = 0; o < layer.weightMean.rows(); ++o)
        row(l, "weight", o, i, layer.weightMean(o, i), hasStd ? layer.weightStd(o, i) : 0.0);
    const bool hasBiasStd = layer.biasStd.size() == layer.biasMean.size();
    for (Index o = 0; o < layer.biasMean.size(); ++o)
      row(l, "bias", o, -1, layer.biasMean(o), hasBiasStd ? layer.biasStd(o) : 0.0);
  }
  return {{QString(), text}};
}

QList<QChartView*> WeightPosteriorView::chartViews() const {
  return {m_means.view, m_stds.view, m_snr.view};
}

}  // namespace bayeslab::ui
