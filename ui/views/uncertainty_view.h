#pragma once
// Uncertainty quality (SPEC.md section 3). Left: the reliability diagram
// (Guo et al. 2017): test points binned by confidence max_k p_k, the accuracy
// of each bin as a bar against the diagonal of perfect calibration, the gap to
// the bin's mean confidence shaded, the number of points over each bar and the
// expected calibration error in the title. Right: histograms of the predictive
// entropy of in-distribution test points and of the held-out classes' images,
// with the AUROC of telling them apart by entropy; without held-out classes it
// says how to get them.
//
// The numbers come from UncertaintyService (live) or from the CLI's RunResults.
#include <QString>
#include <vector>

#include "ui/training/uncertainty_service.h"
#include "ui/views/chart_panel.h"

QT_BEGIN_NAMESPACE
class QAreaSeries;
class QGraphicsSimpleTextItem;
class QLabel;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PlotNote;

class UncertaintyView : public ChartPanel {
  Q_OBJECT

 public:
  static constexpr int kEntropyBins = 30;

  explicit UncertaintyView(QWidget* parent = nullptr);

  void setFrame(UncertaintyFramePtr frame);
  void clear();
  // What to say when the data set holds no classes out (e.g. how to get some).
  void setNoOutOfDistributionHint(const QString& hint);
  // The hint for image data (hold classes out) or for other data (use MNIST).
  static QString noOutOfDistributionHint(bool images);

  const UncertaintyFramePtr& frame() const { return m_frame; }
  bool hasFrame() const { return m_frame != nullptr; }
  QString reliabilityTitle() const;
  QString entropyTitle() const;
  // The hint shown when there is no out-of-distribution set (empty otherwise).
  QString entropyNote() const;
  int countLabelCount() const;

  std::vector<CsvTable> csvTables() const override;

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;

 private:
  struct Area {
    QLineSeries* upper = nullptr;
    QLineSeries* lower = nullptr;
    QAreaSeries* area = nullptr;
  };
  Area addArea(QChart* chart, QValueAxis* x, QValueAxis* y, const QColor& color,
               const QString& name);
  void refresh();
  void placeCountLabels();

  QLabel* m_info = nullptr;

  QChart* m_reliabilityChart = nullptr;
  QChartView* m_reliabilityView = nullptr;
  QValueAxis* m_confidenceAxis = nullptr;
  QValueAxis* m_accuracyAxis = nullptr;
  Area m_accuracyBars;
  Area m_gapBars;
  QLineSeries* m_diagonal = nullptr;
  std::vector<QGraphicsSimpleTextItem*> m_countLabels;  // owned by the chart
  PlotNote* m_reliabilityNote = nullptr;

  QChart* m_entropyChart = nullptr;
  QChartView* m_entropyView = nullptr;
  QValueAxis* m_entropyAxis = nullptr;
  QValueAxis* m_shareAxis = nullptr;
  Area m_inBars;
  Area m_outBars;
  PlotNote* m_entropyNote = nullptr;

  UncertaintyFramePtr m_frame;
  QString m_noOodHint;
  QString m_entropyHint;  // shown under the entropy chart's title
};

}  // namespace bayeslab::ui
