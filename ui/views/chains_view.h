#pragma once
// "Chains": the Markov chains of a sampling method (SGLD, HMC, any posterior
// with traces). For a chosen parameter: its trace, one line per chain, against
// the training step, with the warm-up / burn-in (whose draws are discarded)
// shaded and, when the session has an exact posterior, its mean +- 2 sd; split
// R-hat and the effective sample size as the draws accumulate (R-hat near 1:
// the chains agree); and the autocorrelation of the draws against the lag (how
// many steps until a draw forgets the last). The header holds the kept-draw
// count and the sampler's current acceptance rate and step size (from the
// per-step extras). The numbers come from ChainService, off the UI thread.
#include <map>
#include <string>

#include "engine/diagnostics/bayesian_linear_regression.h"
#include "ui/training/chain_service.h"
#include "ui/views/chart_panel.h"
#include "ui/views/chart_series.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PlotNote;

class ChainsView : public ChartPanel {
  Q_OBJECT

 public:
  static constexpr int kMaxChains = 32;
  static constexpr int kMaxPointsPerChain = 1500;

  explicit ChainsView(QWidget* parent = nullptr);

  // A new run: parameter names and the parameter first shown; clears.
  void setRun(const RunInfo& run, Index parameter);
  void setExact(std::shared_ptr<const LinearRegressionPosterior> exact);
  void appendRows(const std::vector<MetricsRow>& rows);
  void setFrame(ChainFramePtr frame);
  void clear();

  void setParameter(Index parameter);  // emits parameterChanged
  Index parameter() const;

  const ChainFramePtr& frame() const { return m_frame; }
  bool hasFrame() const { return m_frame != nullptr; }
  // Lines drawn in the trace plot (one per chain) and the points of chain k.
  int chainLineCount() const;
  const QLineSeries* chainSeries(int k) const;
  // The step from which draws are kept (0 when unknown); -1 while still warming up.
  Index warmupEnd() const;
  QString headerText() const;
  QString traceTitle() const;

  std::vector<CsvTable> csvTables() const override;

 signals:
  void parameterChanged(Index parameter);

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;

 private:
  void refresh();
  void updateHeader();
  void updateWarmup();

  QComboBox* m_parameterBox = nullptr;
  QLabel* m_header = nullptr;

  QChart* m_traceChart = nullptr;
  QChartView* m_traceView = nullptr;
  QValueAxis* m_traceStep = nullptr;
  QValueAxis* m_traceValue = nullptr;
  AreaSeries m_warmup;
  std::vector<QLineSeries*> m_chains;
  QLineSeries* m_exactMean = nullptr;
  QLineSeries* m_exactUpper = nullptr;
  QLineSeries* m_exactLower = nullptr;
  PlotNote* m_traceNote = nullptr;

  QChart* m_acfChart = nullptr;
  QChartView* m_acfView = nullptr;
  QValueAxis* m_lagAxis = nullptr;
  QValueAxis* m_rhoAxis = nullptr;
  QLineSeries* m_acf = nullptr;
  QLineSeries* m_acfZero = nullptr;

  QChart* m_runningChart = nullptr;
  QChartView* m_runningView = nullptr;
  QValueAxis* m_runningStep = nullptr;
  QValueAxis* m_rhatAxis = nullptr;
  QValueAxis* m_essAxis = nullptr;
  QLineSeries* m_rhat = nullptr;
  QLineSeries* m_rhatTarget = nullptr;
  QLineSeries* m_ess = nullptr;

  QStringList m_parameterNames;
  std::shared_ptr<const LinearRegressionPosterior> m_exact;
  ChainFramePtr m_frame;
  std::vector<std::pair<std::string, double>> m_extras;  // the latest row's, in order
  Index m_lastStep = 0;
  Index m_firstKept = 0;     // the step of the first kept draw, 0 before / unknown
  bool m_keptKnown = false;  // the method reports kept_samples
  Index m_totalSteps = 0;
};

}  // namespace bayeslab::ui
