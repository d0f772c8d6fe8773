#pragma once
// The three kinds of chart of the "Exact reference" view, each a QChart with
// its series, filled from a ReferenceFrame:
//  - MarginalChart: one parameter's marginal: the exact Gaussian density, the
//    method's (its Gaussian, or a density histogram of its draws) and a pinned
//    reference run's, on one density axis;
//  - PairChart: two parameters: the 1- and 2-sigma ellipses of each
//    distribution (from its covariance, or axis-aligned from its marginal sds)
//    and the draws of sample-based ones as points;
//  - BandChart: the predictive of 1-D regression: the method's +-2 sd bands
//    filled, the exact and the pinned ones as dashed lines over them.
// Colours: exact black, the method blue, the pinned reference vermillion.
#include <QString>
#include <vector>

#include "ui/training/reference_service.h"
#include "ui/views/chart_series.h"
#include "ui/views/chart_style.h"

QT_BEGIN_NAMESPACE
class QChart;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PlotNote;

// Legend names of the three distributions.
struct ReferenceNames {
  QString exact, method, pinned;
};

class MarginalChart {
 public:
  static constexpr int kBins = 30;
  static constexpr int kCurvePoints = 200;

  MarginalChart();
  QChart* chart() const { return m_chart; }
  void applyStyle(const ChartStyle& style);
  void setNames(const ReferenceNames& names);
  // first: parameter a of the frame, else b.
  void update(const ReferenceFrame& frame, bool first, const QString& parameter);
  void clear(const QString& note);

  const QLineSeries* exactSeries() const { return m_exact; }
  const QLineSeries* methodSeries() const { return m_method.upper; }
  const QLineSeries* pinnedSeries() const { return m_pinned; }

 private:
  QChart* m_chart;
  QValueAxis* m_x;
  QValueAxis* m_y;
  AreaSeries m_method;
  QLineSeries* m_exact;
  QLineSeries* m_pinned;
  PlotNote* m_note;
  QString m_parameter;
};

class PairChart {
 public:
  static constexpr int kMaxPoints = 1500;

  PairChart();
  QChart* chart() const { return m_chart; }
  void applyStyle(const ChartStyle& style);
  void setNames(const ReferenceNames& names);
  void update(const ReferenceFrame& frame, const QString& a, const QString& b);
  void clear(const QString& note);

  const QLineSeries* exactEllipse(int sigma) const { return sigma == 1 ? m_exact1 : m_exact2; }
  const QLineSeries* methodEllipse(int sigma) const { return sigma == 1 ? m_method1 : m_method2; }
  const QScatterSeries* methodDraws() const { return m_methodDraws; }
  const QScatterSeries* pinnedDraws() const { return m_pinnedDraws; }

 private:
  QChart* m_chart;
  QValueAxis* m_x;
  QValueAxis* m_y;
  QScatterSeries* m_pinnedDraws;
  QScatterSeries* m_methodDraws;
  QLineSeries *m_exact1, *m_exact2, *m_method1, *m_method2, *m_pinned1, *m_pinned2;
  QScatterSeries* m_means;
  PlotNote* m_note;
};

class BandChart {
 public:
  BandChart();
  QChart* chart() const { return m_chart; }
  void applyStyle(const ChartStyle& style);
  void setNames(const ReferenceNames& names);
  void setData(const Dataset& train);
  void update(const ReferenceFrame& frame, const PinnedReference* pinned);
  void clear(const QString& note);

  const QLineSeries* exactUpper() const { return m_exactUpper; }
  const QLineSeries* methodMean() const { return m_methodMean; }

 private:
  QChart* m_chart;
  QValueAxis* m_x;
  QValueAxis* m_y;
  AreaSeries m_methodTotal, m_methodEpistemic;
  QLineSeries* m_methodMean;
  QLineSeries *m_exactMean, *m_exactUpper, *m_exactLower, *m_exactTotalUpper, *m_exactTotalLower;
  QLineSeries *m_pinnedMean, *m_pinnedUpper, *m_pinnedLower;
  QScatterSeries* m_data;
  PlotNote* m_note;
};

}  // namespace bayeslab::ui
