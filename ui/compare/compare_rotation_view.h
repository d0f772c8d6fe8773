#pragma once
// Rotated MNIST for a comparison (SPEC.md section 3; Gal & Ghahramani 2016,
// Fig. 4), one colour per run: the same test digit (the first "1") turned from
// 0 to 180 degrees; left, each run's predictive probability of the digit's
// true class against the angle; right, each run's predictive entropy (solid)
// and mutual information (dashed, the epistemic part). A method that knows what
// it does not know loses confidence, and gains mutual information, as the digit
// turns into something it has never seen.
#include <QColor>
#include <vector>

#include "engine/predictive/rotation.h"
#include "ui/views/chart_panel.h"

QT_BEGIN_NAMESPACE
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

class CompareRotationView : public ChartPanel {
  Q_OBJECT

 public:
  explicit CompareRotationView(QWidget* parent = nullptr);

  // The label of the rotated digit (whose probability the left chart shows).
  void setDigitLabel(int label);
  int addRun(const QString& name, const QColor& color);
  void removeRun(int index);
  void setRunName(int index, const QString& name);
  void clearRun(int index);
  void setSweep(int index, const RotationSweep& sweep);

  int runCount() const { return static_cast<int>(m_runs.size()); }
  const QLineSeries* probabilitySeries(int index) const;

  std::vector<CsvTable> csvTables() const override;

 protected:
  QList<QChartView*> chartViews() const override;
  void applyStyle() override;

 private:
  struct Run {
    QString name;
    QLineSeries* probability = nullptr;
    QLineSeries* entropy = nullptr;
    QLineSeries* mutualInformation = nullptr;
    std::vector<double> angles, p, h, mi;
  };
  void fitAxes();

  int m_label = 1;
  QChart* m_charts[2] = {nullptr, nullptr};
  QChartView* m_views[2] = {nullptr, nullptr};
  QValueAxis* m_xAxes[2] = {nullptr, nullptr};
  QValueAxis* m_yAxes[2] = {nullptr, nullptr};
  std::vector<Run> m_runs;
};

}  // namespace bayeslab::ui
