#pragma once
// Rotated MNIST (SPEC.md section 3; Gal & Ghahramani 2016, Fig. 4): one test
// digit turned from 0 to 180 degrees. Left: the predictive probability of each
// leading class (MC mean, with a +-1 sd band across the posterior's draws) and,
// below it, the rotated digits, each under its angle. Right: the predictive
// entropy (total uncertainty) and the mutual information (epistemic part).
//
// Earlier runs with other methods are drawn dashed (one overlay per method,
// named in the legend) until "Clear overlays". The digit (any test image, or
// a held-out class's image) and the angle step are chosen in the bar above;
// the sweep itself is computed by RotationService.
#include <vector>

#include "ui/training/rotation_service.h"
#include "ui/views/chart_panel.h"

QT_BEGIN_NAMESPACE
class QAbstractSeries;
class QAreaSeries;
class QComboBox;
class QGraphicsSimpleTextItem;
class QLabel;
class QLineSeries;
class QPushButton;
class QSpinBox;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

class ImageStrip;
class PlotNote;

class RotatedMnistView : public ChartPanel {
  Q_OBJECT

 public:
  static constexpr int kMaxLeadingClasses = 4;
  static constexpr int kMaxOverlays = 4;

  explicit RotatedMnistView(QWidget* parent = nullptr);

  // The candidate digits' labels (test images first, then `labels.size() -
  // inDistribution` held-out images) and the one shown.
  void setCandidates(const std::vector<int>& labels, Index inDistribution, Index chosen);
  void setMethodName(const QString& name);
  void setFrame(RotationFramePtr frame);
  void clearFrame();

  Index digit() const;
  double angleStep() const;
  void setAngleStep(double degrees);
  void selectDigit(Index candidate);

  const RotationFramePtr& frame() const { return m_frame; }
  bool hasFrame() const { return m_frame && m_frame->sweep; }
  int angleCount() const;
  // Labels of the digit shown, and of the leading classes drawn.
  int shownLabel() const;
  std::vector<int> leadingClasses() const { return m_leading; }
  int overlayCurveCount() const;
  QStringList legendNames() const;
  // Rotated images in the strip, and how many of them are drawn (at a readable size).
  int stripImageCount() const;
  int stripShownCount() const;
  const QLineSeries* entropySeries() const { return m_entropy; }
  QPushButton* clearOverlaysButton() const { return m_clearOverlays; }

  std::vector<CsvTable> csvTables() const override;

 signals:
  void digitChanged(Index candidate);
  void angleStepChanged(double degrees);
  void clearOverlaysRequested();

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct ClassCurve {
    QLineSeries* mean = nullptr;
    QLineSeries* upper = nullptr;
    QLineSeries* lower = nullptr;
    QAreaSeries* band = nullptr;
  };
  struct OverlayCurves {
    QLineSeries* legendProbability = nullptr;  // the method's name in the legend, no points
    std::vector<QLineSeries*> classes;         // one per leading class
    QLineSeries* entropy = nullptr;
    QLineSeries* mutualInformation = nullptr;
  };

  void refresh();
  void refreshLabel();
  void alignStrip();
  void placeMaxEntropyLabel();
  QLineSeries* addLine(QChart* chart, QValueAxis* y, const QPen& pen);
  void showInLegend(QChart* chart, QAbstractSeries* series, bool shown);

  QSpinBox* m_digitBox = nullptr;
  QLabel* m_digitLabel = nullptr;
  QComboBox* m_classJump = nullptr;
  QSpinBox* m_stepBox = nullptr;
  QPushButton* m_clearOverlays = nullptr;
  QLabel* m_info = nullptr;

  QChart* m_probabilityChart = nullptr;
  QChartView* m_probabilityView = nullptr;
  QValueAxis* m_probabilityAngle = nullptr;
  QValueAxis* m_probabilityAxis = nullptr;
  std::vector<ClassCurve> m_classCurves;
  PlotNote* m_note = nullptr;

  QChart* m_uncertaintyChart = nullptr;
  QChartView* m_uncertaintyView = nullptr;
  QValueAxis* m_uncertaintyAngle = nullptr;
  QValueAxis* m_natsAxis = nullptr;
  QLineSeries* m_entropy = nullptr;
  QLineSeries* m_mutualInformation = nullptr;
  QLineSeries* m_maxEntropy = nullptr;
  QGraphicsSimpleTextItem* m_maxEntropyLabel = nullptr;  // owned by the chart
  std::vector<OverlayCurves> m_overlayCurves;

  QChart* m_stripChart = nullptr;
  QChartView* m_stripView = nullptr;
  ImageStrip* m_strip = nullptr;

  std::vector<int> m_labels;
  Index m_inDistribution = 0;
  QString m_methodName;
  RotationFramePtr m_frame;
  std::vector<int> m_leading;
};

}  // namespace bayeslab::ui
