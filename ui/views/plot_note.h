#pragma once
// A line of text centred in a chart's plot area ("point estimate: no spread",
// "no data yet"), kept centred when the chart is resized.
#include <QGraphicsSimpleTextItem>
#include <QObject>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PlotNote : public QObject {
  Q_OBJECT

 public:
  explicit PlotNote(QChart* chart);

  void setText(const QString& text);  // empty hides it
  void setFont(const QFont& font);
  QString text() const { return m_item->text(); }

 private:
  void place();

  QChart* m_chart;
  QGraphicsSimpleTextItem* m_item;  // owned by the chart
};

}  // namespace bayeslab::ui
