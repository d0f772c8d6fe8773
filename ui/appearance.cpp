#include "ui/appearance.h"

#include <QApplication>
#include <QLabel>
#include <QMainWindow>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <algorithm>
#include <cstdlib>

#include "ui/panels/control_panel.h"
#include "ui/views/views_area.h"

namespace bayeslab::ui {

namespace {

const char* kZoomKey = "view/zoom";
const char* kThemeKey = "view/theme";
const char* kLightPaletteProperty = "bayeslabLightPalette";
constexpr double kPresentationControlsScale = 1.35;

QPalette darkPalette() {
  QPalette p;
  const QColor window(45, 47, 52), base(30, 32, 36), text(230, 230, 230), muted(150, 150, 150);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, window);
  p.setColor(QPalette::ToolTipBase, QColor(60, 63, 70));
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, muted);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, QColor(55, 58, 64));
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, QColor(255, 120, 120));
  p.setColor(QPalette::Link, palette::kSky);
  p.setColor(QPalette::Highlight, palette::kBlue);
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Light, QColor(75, 78, 85));
  p.setColor(QPalette::Midlight, QColor(65, 68, 74));
  p.setColor(QPalette::Mid, QColor(40, 42, 46));
  p.setColor(QPalette::Dark, QColor(25, 26, 29));
  p.setColor(QPalette::Shadow, Qt::black);
  for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
    p.setColor(QPalette::Disabled, role, QColor(120, 120, 120));
  return p;
}

}  // namespace

Appearance::Appearance(QMainWindow* window, ViewsArea* views, ControlPanel* controls)
    : QObject(window),
      m_window(window),
      m_views(views),
      m_controls(controls),
      m_basePointSize(QApplication::font().pointSizeF()) {
  QSettings settings;
  m_theme = settings.value(kThemeKey).toString() == QLatin1String("dark") ? Theme::Dark
                                                                         : Theme::Light;
  setZoomPercent(settings.value(kZoomKey, 100).toInt());
  applyZoom();
  if (m_theme == Theme::Dark) applyTheme();
}

void Appearance::setZoomPercent(int percent) {
  const int* nearest = std::min_element(
      std::begin(kZoomSteps), std::end(kZoomSteps),
      [percent](int a, int b) { return std::abs(a - percent) < std::abs(b - percent); });
  if (*nearest == m_zoom) return;
  m_zoom = *nearest;
  QSettings().setValue(kZoomKey, m_zoom);
  applyZoom();
  emit zoomChanged(m_zoom);
}

void Appearance::zoomIn() {
  const int* next = std::upper_bound(std::begin(kZoomSteps), std::end(kZoomSteps), m_zoom);
  if (next != std::end(kZoomSteps)) setZoomPercent(*next);
}

void Appearance::zoomOut() {
  const int* at = std::lower_bound(std::begin(kZoomSteps), std::end(kZoomSteps), m_zoom);
  if (at != std::begin(kZoomSteps)) setZoomPercent(*(at - 1));
}

void Appearance::resetZoom() {
  setZoomPercent(100);
}

void Appearance::setTheme(Theme theme) {
  if (theme == m_theme) return;
  m_theme = theme;
  QSettings().setValue(kThemeKey, theme == Theme::Dark ? "dark" : "light");
  applyTheme();
  emit themeChanged(theme);
}

void Appearance::setPresentationMode(bool on) {
  m_presentation = on;
  applyZoom();
}

void Appearance::applyZoom() {
  const double zoom = m_zoom / 100.0;
  QFont font = m_window->font();
  font.setPointSizeF(m_basePointSize * zoom);
  m_window->setFont(font);
  m_views->setZoom(zoom);
  m_controls->setFontScale(zoom * (m_presentation ? kPresentationControlsScale : 1.0));
}

void Appearance::applyTheme() {
  const bool dark = m_theme == Theme::Dark;
  QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
  // Labels that paint their own light background (the formula panel, notes)
  // get a dark one, and their own palette back in the light theme.
  for (QLabel* label : m_window->findChildren<QLabel*>()) {
    if (!label->autoFillBackground()) continue;
    if (!label->property(kLightPaletteProperty).isValid())
      label->setProperty(kLightPaletteProperty, label->palette());
    QPalette p = label->property(kLightPaletteProperty).value<QPalette>();
    if (dark) {
      p.setColor(QPalette::Window, QColor(38, 41, 46));
      p.setColor(QPalette::WindowText, QColor(230, 230, 230));
      p.setColor(QPalette::Text, QColor(230, 230, 230));
    }
    label->setPalette(p);
  }
  m_views->setTheme(m_theme);
}

}  // namespace bayeslab::ui
