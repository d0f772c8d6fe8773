#pragma once
// Classroom mode (View > Classroom mode, F11): the panels the lecturer chose
// fold away so that the room sees the charts that matter, and come back as
// they were when the mode ends. The choice (View > Classroom panels...) is a
// checklist of the window's parts, remembered in QSettings
// ("view/classroomHidden"). Presentation mode (F5, large fonts) combines
// with it: F5 for the fonts, F11 for the room.
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QDockWidget;
class QMainWindow;
class QWidget;
QT_END_NAMESPACE

namespace bayeslab::ui {

class ViewsArea;

class ClassroomMode : public QObject {
  Q_OBJECT

 public:
  struct Part {
    QString key;    // "controls", "training_curves", ...
    QString label;  // for the checklist
    QString tip;
  };
  // The parts that can be hidden, in checklist order.
  static const QList<Part>& parts();
  // Hidden by default: the settings, the tool bar and the status bar.
  static QStringList defaultHidden();

  ClassroomMode(QMainWindow* window, QDockWidget* controls, ViewsArea* views);

  bool isActive() const { return m_active; }
  void setActive(bool on);
  QStringList hiddenParts() const { return m_hidden; }
  // Remembered; applied at once when the mode is on.
  void setHiddenParts(const QStringList& keys);
  // The checklist dialog; returns false when cancelled.
  bool choose(QWidget* parent);

 signals:
  void activeChanged(bool on);

 private:
  QList<QWidget*> widgetsOf(const QString& key) const;
  void hide();
  void restore();

  QMainWindow* m_window;
  QDockWidget* m_controls;
  ViewsArea* m_views;
  QStringList m_hidden;
  bool m_active = false;
  // What each hidden widget's visibility was before the mode hid it.
  QHash<QWidget*, bool> m_wasVisible;
  QList<QPointer<QWidget>> m_touched;
};

}  // namespace bayeslab::ui
