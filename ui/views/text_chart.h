#pragma once
// A block of rich text laid out as a chart (a QChart with no axes): numbers and
// their meaning that belong in the exported figure beside the plots, since a
// figure is made of the panel's chart views only.
#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QChart;
class QFont;
class QGraphicsTextItem;
QT_END_NAMESPACE

namespace bayeslab::ui {

class TextChart : public QObject {
  Q_OBJECT

 public:
  TextChart();
  QChart* chart() const { return m_chart; }
  void setHtml(const QString& html);
  void setFont(const QFont& font);
  QString plainText() const;

 private:
  void place();

  QChart* m_chart;
  QGraphicsTextItem* m_item;  // owned by the chart
  QString m_html;
};

}  // namespace bayeslab::ui
