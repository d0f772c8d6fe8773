#include "ui/views/text_chart.h"

#include <QChart>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QTextDocument>
#include <algorithm>

#include "ui/views/chart_style.h"

namespace bayeslab::ui {

TextChart::TextChart() : m_chart(new QChart), m_item(new QGraphicsTextItem(m_chart)) {
  m_chart->legend()->hide();
  m_chart->setBackgroundRoundness(0);
  m_chart->setBackgroundBrush(Qt::white);
  m_chart->setMargins(QMargins(4, 4, 4, 4));
  m_item->setDefaultTextColor(palette::kInk);
  m_item->setZValue(100);
  connect(m_chart, &QGraphicsWidget::geometryChanged, this, &TextChart::place);
  setParent(m_chart);
}

void TextChart::setHtml(const QString& html) {
  if (m_html == html) return;
  m_html = html;
  m_item->setHtml(html);
  place();
}

void TextChart::setFont(const QFont& font) {
  m_item->setFont(font);
  place();
}

QString TextChart::plainText() const {
  return m_item->toPlainText();
}

void TextChart::place() {
  // The whole chart is the page: the text starts at the top left and wraps at its width.
  const QRectF area = m_chart->rect();
  m_item->setTextWidth(std::max(40.0, area.width() - 16.0));
  m_item->setPos(area.left() + 8.0, area.top() + 6.0);
}

}  // namespace bayeslab::ui
