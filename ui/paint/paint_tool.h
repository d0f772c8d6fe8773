#pragma once
// Mouse painting on a predictive chart (issue 12, TF Playground's and Orange's
// Paint Data): in paint mode a left click adds a point (classification: of the
// palette's class), a left drag on a point moves it, a right click removes the
// nearest point, and the brush sprays `count` points uniformly over a disc of
// `radius` pixels at each press and every half radius of a drag. Off paint mode
// the chart behaves as before (its context menu exports).
//
// The tool filters the chart view's viewport events and maps pixels to data
// through the plot area and the two linear value axes; edits go to PaintData
// (undoable), which the PaintController sends to the trainer.
#include <QObject>
#include <QPoint>
#include <QPointF>
#include <QRandomGenerator>
#include <QRectF>

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PaintData;

enum class PaintMode { Point, Brush };

struct PaintSettings {
  bool enabled = false;  // paint mode: off by default so clicks never add points by accident
  PaintMode mode = PaintMode::Point;
  int label = 0;           // classification: the class painted
  double radius = 30.0;    // brush radius in pixels
  int count = 8;           // points per brush dab
};

class PaintTool : public QObject {
  Q_OBJECT

 public:
  PaintTool(QChartView* view, QChart* chart, QValueAxis* x, QValueAxis* y, PaintData* data,
            QObject* parent = nullptr);

  void setSettings(const PaintSettings& settings);
  const PaintSettings& settings() const { return m_settings; }

  // Pixel (viewport) <-> data coordinates.
  QPointF toValue(const QPointF& pixel) const;
  QPointF toPixel(const QPointF& value) const;
  // The plot area in viewport pixels, and a pixel moved into it: points are
  // painted inside the plot (the predictive grid), never beyond it.
  QRectF plotRect() const;
  QPointF clampToPlot(const QPointF& pixel) const;
  // The point nearest to `pixel` within `tolerance` pixels, or -1.
  int pointAt(const QPointF& pixel, double tolerance) const;

  static constexpr double kPickPixels = 8.0;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void spray(const QPointF& pixel);

  QChartView* m_view;
  QChart* m_chart;
  QValueAxis* m_x;
  QValueAxis* m_y;
  PaintData* m_data;
  PaintSettings m_settings;
  int m_dragIndex = -1;
  bool m_brushing = false;
  QPointF m_lastDab;
  QRandomGenerator m_random{12};  // fixed seed: a brush dab is reproducible in tests
};

}  // namespace bayeslab::ui
