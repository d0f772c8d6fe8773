#include "ui/views/chart_panel.h"

#include <QApplication>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QLayout>
#include <QMenu>
#include <QPainter>

#include "ui/export/export_dialogs.h"

namespace bayeslab::ui {

namespace {
constexpr double kPresentationScale = 1.45;
}

ChartPanel::ChartPanel(QString fileStem, QString title, QWidget* parent)
    : QWidget(parent), m_fileStem(std::move(fileStem)), m_title(std::move(title)) {}

QSize ChartPanel::figureSize() const {
  QRect bounds;
  for (QChartView* view : chartViews())
    if (view->isVisibleTo(this)) bounds |= QRect(view->mapTo(this, QPoint(0, 0)), view->size());
  return bounds.size();
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

void ChartPanel::renderFigure(QPainter& painter, const QRectF& target) {
  QRect bounds;
  const QList<QChartView*> views = chartViews();
  for (QChartView* view : views)
    if (view->isVisibleTo(this)) bounds |= QRect(view->mapTo(this, QPoint(0, 0)), view->size());
  if (bounds.isEmpty()) return;
  const double sx = target.width() / bounds.width();
  const double sy = target.height() / bounds.height();
  painter.fillRect(target, Qt::white);
  for (QChartView* view : views) {
    if (!view->isVisibleTo(this)) continue;
    const QRect r(view->mapTo(this, QPoint(0, 0)) - bounds.topLeft(), view->size());
    const QRectF t(target.left() + r.left() * sx, target.top() + r.top() * sy, r.width() * sx,
                   r.height() * sy);
    view->render(&painter, t, view->viewport()->rect(), Qt::IgnoreAspectRatio);
  }
}

void ChartPanel::setPresentationMode(bool on) {
  m_style.fontScale = on ? kPresentationScale : 1.0;
  applyStyle();
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
