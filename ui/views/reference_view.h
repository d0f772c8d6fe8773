#pragma once
// "Exact reference" (SPEC.md section 3): the method's posterior drawn beside
// the exact one, for the sessions that have it (Bayesian linear regression:
// a linear model, fixed Gaussian noise, Gaussian prior), or beside a pinned
// reference run (a long HMC run stands in for the truth of a small network).
//
// For a chosen pair of parameters: both marginals (exact Gaussian density
// against the method's Gaussian or a histogram of its draws) and the joint
// (exact 1- and 2-sigma ellipses against the method's ellipses or draws); for
// 1-D inputs the predictive bands; and a readout: the exact log evidence
// log p(D) against the ELBO, whose gap is KL(q || p(w | D)) for a variational
// method, and how far the means and sds are from the reference's over all
// parameters. The numbers come from ReferenceService (off the UI thread); the
// ELBO is the mean of the recent training rows.
#include <deque>

#include "ui/training/reference_service.h"
#include "ui/views/chart_panel.h"
#include "ui/views/reference_charts.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
QT_END_NAMESPACE

namespace bayeslab::ui {

class TextChart;

class ReferenceView : public ChartPanel {
  Q_OBJECT

 public:
  static constexpr int kElboWindow = 100;  // training rows averaged for the ELBO

  explicit ReferenceView(QWidget* parent = nullptr);

  // A new run: parameter names, the data, what the method is; clears the frame.
  void setRun(const RunInfo& run);
  void setPinned(PinnedReferencePtr pinned);
  void appendRows(const std::vector<MetricsRow>& rows);
  void setFrame(ReferenceFramePtr frame);
  void clear();

  // The parameters compared (flat indices); emits pairChanged.
  void setPair(Index a, Index b);
  Index pairA() const;
  Index pairB() const;

  const ReferenceFramePtr& frame() const { return m_frame; }
  bool hasFrame() const { return m_frame != nullptr; }
  // Mean and standard error of the ELBO over the last kElboWindow rows (NaN if none).
  double elboMean() const;
  double elboStandardError() const;
  // log p(D) - ELBO (NaN when the run has no exact evidence or no ELBO).
  double evidenceGap() const;
  QString readoutText() const;

  const MarginalChart& marginalChart(int k) const { return k == 0 ? m_marginalA : m_marginalB; }
  const PairChart& pairChart() const { return m_pair; }
  const BandChart& bandChart() const { return m_band; }

  std::vector<CsvTable> csvTables() const override;

 signals:
  void pairChanged(Index a, Index b);

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;

 private:
  void refresh();
  void updateReadout();
  QString readoutHtml() const;

  QComboBox* m_aBox = nullptr;
  QComboBox* m_bBox = nullptr;
  MarginalChart m_marginalA, m_marginalB;
  PairChart m_pair;
  BandChart m_band;
  TextChart* m_readout = nullptr;
  QChartView *m_aView, *m_bView, *m_pairView, *m_bandView, *m_readoutView;

  ReferenceNames m_names;
  QStringList m_parameterNames;
  bool m_variational = false;
  QString m_methodName;
  PinnedReferencePtr m_pinned;
  ReferenceFramePtr m_frame;
  std::deque<double> m_elbo;
  std::deque<double> m_upperBound;  // a method's upper bound on the ELBO (elbo_upper), if any
  double m_methodEvidence = ReferenceFrame::kNaN;  // a method's own log p(D) estimate
  Index m_lastStep = 0;
};

}  // namespace bayeslab::ui
