#pragma once
// The base of every live view: a widget holding one or more Qt Charts views
// that can be drawn as a figure (PNG / SVG / PDF) and exported as the data
// behind it (CSV), from its context menu or the main menu.
//
// The figure is the charts only (selectors and other controls are left out),
// drawn through QGraphicsView::render, so vector outputs stay vector.
#include <QString>
#include <QWidget>
#include <vector>

#include "ui/views/chart_style.h"

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QPainter;
QT_END_NAMESPACE

namespace bayeslab::ui {

// One CSV file of a view; `suffix` is appended to the file name ("" = the main one).
struct CsvTable {
  QString suffix;
  QString text;
};

class ChartPanel : public QWidget {
  Q_OBJECT

 public:
  // `fileStem` names the exported files ("elbo"), `title` the figure.
  ChartPanel(QString fileStem, QString title, QWidget* parent = nullptr);

  const QString& fileStem() const { return m_fileStem; }
  const QString& title() const { return m_title; }

  // Size of the figure in logical pixels: the area the charts cover, and the
  // caption line below them when there is a caption.
  QSize figureSize() const;
  // Resizes the widget so that its figure is `size` (for offscreen rendering).
  void resizeFigure(const QSize& size);
  // Draws the charts, laid out as on screen, and the caption, scaled into
  // `target`; transparent: no background (the charts' backgrounds are left out).
  void renderFigure(QPainter& painter, const QRectF& target, bool transparent = false);
  // The line under exported figures naming method, prior and data
  // ("Bayes by Backprop · Gaussian prior s=1 · gap data, 64 points"); "" = none.
  void setCaption(const QString& caption);
  const QString& caption() const { return m_caption; }
  // Copies the figure (with its caption) to the clipboard as an image.
  void copyToClipboard();
  // The data behind the figure.
  virtual std::vector<CsvTable> csvTables() const = 0;

  // The chart fonts scale with zoom x presentation mode; the theme sets the colours.
  void setPresentationMode(bool on);
  void setZoom(double zoom);
  void setTheme(Theme theme);
  const ChartStyle& style() const { return m_style; }

 signals:
  // The user clicked into the view (it becomes "current" for File > Export).
  void activated(bayeslab::ui::ChartPanel* panel);

 protected:
  virtual QList<QChartView*> chartViews() const = 0;
  // Re-applies fonts after a presentation-mode change.
  virtual void applyStyle() = 0;
  // A chart view wired for the panel: antialiasing, export context menu, activation.
  QChartView* makeChartView(QChart* chart);
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void showExportMenu(const QPoint& globalPos);
  void restyle();
  QRect chartBounds() const;
  int captionHeight() const;

  QString m_fileStem;
  QString m_title;
  QString m_caption;
  ChartStyle m_style;
  bool m_presentation = false;
  double m_zoom = 1.0;
};

}  // namespace bayeslab::ui
