#include "ui/views/plot_note.h"

#include <QBrush>
#include <QChart>

namespace bayeslab::ui {

PlotNote::PlotNote(QChart* chart)
    : QObject(chart), m_chart(chart), m_item(new QGraphicsSimpleTextItem(chart)) {
  m_item->setZValue(100);  // above the series
  m_item->setBrush(QColor(90, 90, 90));
  m_item->setVisible(false);
  connect(chart, &QChart::plotAreaChanged, this, &PlotNote::place);
}

void PlotNote::setText(const QString& text) {
  m_item->setText(text);
  m_item->setVisible(!text.isEmpty());
  place();
}

void PlotNote::setFont(const QFont& font) {
  m_item->setFont(font);
  place();
}

void PlotNote::place() {
  const QRectF area = m_chart->plotArea();
  const QRectF box = m_item->boundingRect();
  m_item->setPos(area.center() - QPointF(box.width() / 2, box.height() / 2));
}

}  // namespace bayeslab::ui
