#pragma once
// The weight posterior, one layer (or all) at a time: histograms of the
// posterior means with the prior density overlaid (scaled to the histogram's
// area, so both read as counts), of the posterior standard deviations, and of
// the signal-to-noise ratio |mu| / sigma in decibels (Blundell et al. 2015,
// who prune the low-SNR weights). Point posteriors (MAP) have no spread: the
// std and SNR panels say so instead of dividing by zero.
#include <memory>

#include "engine/methods/posterior.h"
#include "engine/prior/prior.h"
#include "ui/views/chart_panel.h"

QT_BEGIN_NAMESPACE
class QAreaSeries;
class QCheckBox;
class QComboBox;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PlotNote;

class WeightPosteriorView : public ChartPanel {
  Q_OBJECT

 public:
  explicit WeightPosteriorView(QWidget* parent = nullptr);

  void setPrior(std::shared_ptr<const Prior> prior);
  void setSummary(const PosteriorSummary& summary);
  void clear();

  // -1: every layer.
  void selectLayer(int layer);
  int selectedLayer() const;
  bool hasSummary() const { return !m_summary.layers.empty(); }

  const QLineSeries* meanHistogramSeries() const { return m_means.outline; }
  const QLineSeries* stdHistogramSeries() const { return m_stds.outline; }
  const QLineSeries* priorSeries() const { return m_prior; }
  QString stdNote() const;

  std::vector<CsvTable> csvTables() const override;

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;

 private:
  struct HistogramChart {
    QChart* chart = nullptr;
    QChartView* view = nullptr;
    QAreaSeries* area = nullptr;
    QLineSeries* outline = nullptr;
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
    PlotNote* note = nullptr;
  };
  HistogramChart makeHistogramChart(const QColor& color);
  void syncLayerBox();
  void refresh();
  // The legend's names in the room the means chart has: "posterior" and "prior
  // N(0, 1²)" when they fit, else "q(w)" and "p(w)".
  void fitLegend();

  QComboBox* m_layerBox = nullptr;
  QCheckBox* m_biasBox = nullptr;
  HistogramChart m_means, m_stds, m_snr;
  QLineSeries* m_prior = nullptr;
  QLineSeries* m_zeroLine = nullptr;

  PosteriorSummary m_summary;
  std::shared_ptr<const Prior> m_priorDensity;
};

}  // namespace bayeslab::ui
