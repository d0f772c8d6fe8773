#pragma once
// How the window looks, for a lecture hall as much as a desk: zoom (the fonts
// of the whole window, charts included, in steps from 80 % to 200 %;
// Ctrl + / - / 0) and the light or dark theme (the widgets' palette and the
// charts' colours). Both are remembered (QSettings "view/zoom", "view/theme").
// Presentation mode's larger fonts multiply the zoom.
#include <QObject>

#include "ui/views/chart_style.h"

QT_BEGIN_NAMESPACE
class QMainWindow;
QT_END_NAMESPACE

namespace bayeslab::ui {

class ControlPanel;
class ViewsArea;

class Appearance : public QObject {
  Q_OBJECT

 public:
  static constexpr int kZoomSteps[] = {80, 90, 100, 110, 125, 150, 175, 200};

  // Reads the remembered zoom and theme and applies them.
  Appearance(QMainWindow* window, ViewsArea* views, ControlPanel* controls);

  int zoomPercent() const { return m_zoom; }
  // Snaps to the nearest step.
  void setZoomPercent(int percent);
  void zoomIn();
  void zoomOut();
  void resetZoom();

  Theme theme() const { return m_theme; }
  void setTheme(Theme theme);

  // Presentation mode's control-panel font factor, combined with the zoom.
  void setPresentationMode(bool on);

 signals:
  void zoomChanged(int percent);
  void themeChanged(bayeslab::ui::Theme theme);

 private:
  void applyZoom();
  void applyTheme();

  QMainWindow* m_window;
  ViewsArea* m_views;
  ControlPanel* m_controls;
  double m_basePointSize;
  int m_zoom = 100;
  Theme m_theme = Theme::Light;
  bool m_presentation = false;
};

}  // namespace bayeslab::ui
