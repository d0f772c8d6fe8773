#pragma once
// The interactive side of export: file / folder choosers, the DPI question and
// error reporting. The writing itself is figure_export.h.
#include <QList>

#include "ui/export/figure_export.h"

QT_BEGIN_NAMESPACE
class QWidget;
QT_END_NAMESPACE

namespace bayeslab::ui {

class ChartPanel;

// Asks for a file (and a DPI for PNG), writes it, reports errors in a message box.
void exportPanelInteractively(ChartPanel& panel, ExportFormat format, QWidget* parent);
// Asks for a folder and a DPI, writes every panel as PNG, SVG, PDF and CSV.
// Returns the number of files written.
int exportAllInteractively(const QList<ChartPanel*>& panels, QWidget* parent);

}  // namespace bayeslab::ui
