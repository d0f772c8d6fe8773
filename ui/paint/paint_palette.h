#pragma once
// The paint bar above the predictive view: the paint-mode switch (off by
// default, shortcut D), the tool (single points or a brush with radius and
// count), the class to paint (classification), undo / redo (Ctrl+Z /
// Ctrl+Shift+Z), clear, export to CSV, and the note saying what trains now.
#include <QWidget>
#include <vector>

#include "ui/paint/paint_tool.h"

QT_BEGIN_NAMESPACE
class QAction;
class QButtonGroup;
class QHBoxLayout;
class QLabel;
class QSpinBox;
class QToolButton;
class QUndoStack;
QT_END_NAMESPACE

namespace bayeslab::ui {

class PaintPalette : public QWidget {
  Q_OBJECT

 public:
  PaintPalette(QUndoStack* undo, QWidget* parent = nullptr);

  PaintSettings settings() const;
  // 0: regression (no class buttons); K >= 2: K class buttons.
  void setClasses(int classes);
  void setNote(const QString& text, bool emphasise);
  QString note() const;

  QAction* paintAction() const { return m_paint; }
  QAction* undoAction() const { return m_undoAction; }
  QAction* redoAction() const { return m_redoAction; }
  QToolButton* brushButton() const { return m_brush; }
  QToolButton* clearButton() const { return m_clear; }
  QToolButton* exportButton() const { return m_export; }
  QSpinBox* radiusBox() const { return m_radius; }
  QSpinBox* countBox() const { return m_count; }
  // Selects the class painted next.
  void setLabel(int label);

 signals:
  void settingsChanged();
  void clearRequested();
  void exportRequested();

 private:
  QAction* m_paint = nullptr;
  QAction* m_undoAction = nullptr;
  QAction* m_redoAction = nullptr;
  QToolButton* m_point = nullptr;
  QToolButton* m_brush = nullptr;
  QToolButton* m_clear = nullptr;
  QToolButton* m_export = nullptr;
  QSpinBox* m_radius = nullptr;
  QSpinBox* m_count = nullptr;
  QLabel* m_classLabel = nullptr;
  QHBoxLayout* m_classLayout = nullptr;
  QButtonGroup* m_classGroup = nullptr;
  std::vector<QToolButton*> m_classButtons;
  std::vector<QWidget*> m_paintOnly;  // shown in paint mode only
  QLabel* m_note = nullptr;
};

}  // namespace bayeslab::ui
