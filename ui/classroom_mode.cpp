#include "ui/classroom_mode.h"

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include "ui/views/elbo_view.h"
#include "ui/views/views_area.h"
#include "ui/views/weight_posterior_view.h"

namespace bayeslab::ui {

namespace {
const char* kHiddenKey = "view/classroomHidden";
}

const QList<ClassroomMode::Part>& ClassroomMode::parts() {
  static const QList<Part> list{
      {"controls", QObject::tr("Settings (control dock)"),
       QObject::tr("The data, model, method, prior and training settings on the left.")},
      {"training_curves", QObject::tr("Training curves"),
       QObject::tr("ELBO, expected log-likelihood, KL and the test metrics below the views.")},
      {"weight_posterior", QObject::tr("Weight posterior"),
       QObject::tr("The histograms of the weights' means, std devs and signal-to-noise.")},
      {"tool_bar", QObject::tr("Tool bar"),
       QObject::tr("Play, step, reset and speed (the shortcuts still work: Space, S, R).")},
      {"status_bar", QObject::tr("Status bar"),
       QObject::tr("Step, speed and messages at the bottom of the window.")},
      {"menu_bar", QObject::tr("Menu bar"),
       QObject::tr("The menus (F11 still ends classroom mode, and every shortcut works).")},
  };
  return list;
}

QStringList ClassroomMode::defaultHidden() {
  return {"controls", "tool_bar", "status_bar"};
}

ClassroomMode::ClassroomMode(QMainWindow* window, QDockWidget* controls, ViewsArea* views)
    : QObject(window), m_window(window), m_controls(controls), m_views(views) {
  const QVariant stored = QSettings().value(kHiddenKey);
  m_hidden = stored.isValid() ? stored.toStringList() : defaultHidden();
}

QList<QWidget*> ClassroomMode::widgetsOf(const QString& key) const {
  if (key == "controls") return {m_controls};
  if (key == "training_curves") return {m_views->elboView()};
  if (key == "weight_posterior") return {m_views->weightView()};
  if (key == "tool_bar") {
    QList<QWidget*> bars;
    for (QToolBar* bar : m_window->findChildren<QToolBar*>(Qt::FindDirectChildrenOnly))
      bars << bar;
    return bars;
  }
  if (key == "status_bar") return {m_window->statusBar()};
  if (key == "menu_bar") return {m_window->menuBar()};
  return {};
}

void ClassroomMode::hide() {
  for (const QString& key : m_hidden)
    for (QWidget* widget : widgetsOf(key)) {
      if (!widget || m_wasVisible.contains(widget)) continue;
      m_wasVisible.insert(widget, widget->isVisibleTo(m_window));
      m_touched << widget;
      widget->hide();
    }
  // The curves and the weights share a row: with both gone the views get its room.
  QWidget* row = m_views->elboView()->parentWidget();
  if (row && row != m_views && !m_views->elboView()->isVisibleTo(m_window) &&
      !m_views->weightView()->isVisibleTo(m_window) && !m_wasVisible.contains(row)) {
    m_wasVisible.insert(row, row->isVisibleTo(m_window));
    m_touched << row;
    row->hide();
  }
}

void ClassroomMode::restore() {
  for (const QPointer<QWidget>& widget : m_touched)
    if (widget && m_wasVisible.value(widget.data(), false)) widget->show();
  m_touched.clear();
  m_wasVisible.clear();
}

void ClassroomMode::setActive(bool on) {
  if (on == m_active) return;
  m_active = on;
  if (on)
    hide();
  else
    restore();
  emit activeChanged(on);
}

void ClassroomMode::setHiddenParts(const QStringList& keys) {
  m_hidden = keys;
  QSettings().setValue(kHiddenKey, keys);
  if (m_active) {
    restore();
    hide();
  }
}

bool ClassroomMode::choose(QWidget* parent) {
  QDialog dialog(parent);
  dialog.setObjectName("classroomDialog");
  dialog.setWindowTitle(tr("Classroom mode"));
  auto* layout = new QVBoxLayout(&dialog);
  auto* intro = new QLabel(tr("Hide these parts of the window in classroom mode (F11):"), &dialog);
  intro->setWordWrap(true);
  layout->addWidget(intro);
  QList<QCheckBox*> boxes;
  for (const Part& part : parts()) {
    auto* box = new QCheckBox(part.label, &dialog);
    box->setObjectName("classroom_" + part.key);
    box->setToolTip(part.tip);
    box->setChecked(m_hidden.contains(part.key));
    layout->addWidget(box);
    boxes << box;
  }
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  layout->addWidget(buttons);
  if (dialog.exec() != QDialog::Accepted) return false;
  QStringList keys;
  for (int i = 0; i < boxes.size(); ++i)
    if (boxes[i]->isChecked()) keys << parts()[i].key;
  setHiddenParts(keys);
  return true;
}

}  // namespace bayeslab::ui
