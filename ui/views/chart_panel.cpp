#include "ui/views/chart_panel.h"

#include <QApplication>
#include <QChartView>
#include <QClipboard>
#include <QCursor>
#include <QEvent>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QLayout>
#include <QMenu>
#include <QPainter>
#include <cmath>

#include "ui/export/export_dialogs.h"

namespace bayeslab::ui {

namespace {}

ChartPanel::ChartPanel(QString fileStem, QString title, QWidget* parent)
    : QWidget(parent), m_fileStem(std::move(fileStem)), m_title(std::move(title)) {}

QRect ChartPanel::chartBounds() const {
  QRect bounds;
  for (QChartView* view : chartViews())
    if (view->isVisibleTo(this)) bounds |= QRect(view->mapTo(this, QPoint(0, 0)), view->size());
  return bounds;
}

int ChartPanel::captionHeight() const {
  if (m_caption.isEmpty()) return 0;
  return static_cast<int>(std::ceil(QFontMetricsF(m_style.labelFont()).height() * 1.6));
}

QSize ChartPanel::figureSize() const {
  const QRect bounds = chartBounds();
  if (bounds.isEmpty()) return {};
  return bounds.size() + QSize(0, captionHeight());
}

void ChartPanel::setCaption(const QString& caption) {
  m_caption = caption;
}

void ChartPanel::copyToClipboard() {
  const QImage image = figureImage(*this, kDefaultExportDpi, false);
  if (!image.isNull()) QGuiApplication::clipboard()->setImage(image);
}

void ChartPanel::resizeFigure(const QSize& size) {
  // The controls around the charts keep their size; two passes settle the layout.
  for (int pass = 0; pass < 2; ++pass) {
    if (layout()) layout()->activate();
    const QSize figure = figureSize();
    const QSize extra = figure.isEmpty() ? QSize() : this->size() - figure;
    resize(size + extra);
    if (layout()) layout()->activate();
    QApplication::sendPostedEvents();
  }
}

void ChartPanel::renderFigure(QPainter& painter, const QRectF& target, bool transparent) {
  const QRect bounds = chartBounds();
  if (bounds.isEmpty()) return;
  const int caption = captionHeight();
  const double sx = target.width() / bounds.width();
  const double sy = target.height() / (bounds.height() + caption);
  if (!transparent) painter.fillRect(target, m_style.background());
  const QList<QChartView*> views = chartViews();
  for (QChartView* view : views) {
    if (!view->isVisibleTo(this)) continue;
    const QRect r(view->mapTo(this, QPoint(0, 0)) - bounds.topLeft(), view->size());
    const QRectF t(target.left() + r.left() * sx, target.top() + r.top() * sy, r.width() * sx,
                   r.height() * sy);
    QChart* chart = view->chart();
    const bool background = chart && chart->isBackgroundVisible();
    if (transparent && chart) chart->setBackgroundVisible(false);
    view->render(&painter, t, view->viewport()->rect(), Qt::IgnoreAspectRatio);
    if (transparent && chart) chart->setBackgroundVisible(background);
  }
  if (caption > 0) {
    // In logical pixels, scaled like the charts.
    painter.save();
    painter.translate(target.topLeft());
    painter.scale(sx, sy);
    const QFont font = m_style.labelFont();
    painter.setFont(font);
    painter.setPen(m_style.theme == Theme::Dark ? QColor(190, 190, 190) : QColor(70, 70, 70));
    const QRectF line(8.0, bounds.height(), bounds.width() - 16.0, caption);
    const QString text = QFontMetricsF(font).elidedText(m_caption, Qt::ElideMiddle, line.width());
    painter.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, text);
    painter.restore();
  }
}

void ChartPanel::restyle() {
  m_style.fontScale = m_zoom * (m_presentation ? kPresentationScale : 1.0);
  applyStyle();
  for (QChartView* view : chartViews()) {
    if (QChart* chart = view->chart()) m_style.applyTheme(chart);
  }
}

void ChartPanel::setPresentationMode(bool on) {
  m_presentation = on;
  restyle();
}

void ChartPanel::setZoom(double zoom) {
  m_zoom = zoom;
  restyle();
}

void ChartPanel::setTheme(Theme theme) {
  m_style.theme = theme;
  restyle();
}

QChartView* ChartPanel::makeChartView(QChart* chart) {
  auto* view = new QChartView(chart, this);
  view->setRenderHint(QPainter::Antialiasing);
  view->setRenderHint(QPainter::SmoothPixmapTransform);
  view->setFrameShape(QFrame::NoFrame);
  view->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(view, &QWidget::customContextMenuRequested, this,
          [this] { showExportMenu(QCursor::pos()); });
  view->viewport()->installEventFilter(this);
  return view;
}

bool ChartPanel::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::MouseButtonPress) emit activated(this);
  return QWidget::eventFilter(watched, event);
}

void ChartPanel::showExportMenu(const QPoint& globalPos) {
  emit activated(this);
  QMenu menu(this);
  menu.setToolTipsVisible(true);
  const struct {
    ExportFormat format;
    const char* text;
    const char* tip;
  } entries[] = {
      {ExportFormat::Png, "Export as PNG...", "A bitmap at a chosen resolution (96-600 DPI)."},
      {ExportFormat::Svg, "Export as SVG...", "Vector graphics for slides and web pages."},
      {ExportFormat::Pdf, "Export as PDF...", "Vector graphics for papers (LaTeX)."},
      {ExportFormat::Csv, "Export data as CSV...", "The numbers behind this chart."},
  };
  QAction* copy = menu.addAction(tr("Copy as image"));
  copy->setObjectName("actionCopyChartImage");
  copy->setToolTip(
      tr("Put this chart (with its caption) on the clipboard as an image, to paste "
         "into slides or notes."));
  connect(copy, &QAction::triggered, this, &ChartPanel::copyToClipboard);
  menu.addSeparator();
  for (const auto& e : entries) {
    QAction* action = menu.addAction(tr(e.text));
    action->setToolTip(tr(e.tip));
    const ExportFormat format = e.format;
    connect(action, &QAction::triggered, this,
            [this, format] { exportPanelInteractively(*this, format, this); });
  }
  menu.exec(globalPos);
}

}  // namespace bayeslab::ui
