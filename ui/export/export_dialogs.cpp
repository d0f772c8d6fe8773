#include "ui/export/export_dialogs.h"

#include <QDir>
#include <QFileDialog>
#include <QInputDialog>
#include <QMessageBox>
#include <QSettings>
#include <QStringList>
#include <exception>

#include "ui/views/chart_panel.h"

namespace bayeslab::ui {

namespace {

const char* kFolderKey = "export/folder";
const char* kDpiKey = "export/dpi";

// Returns 0 when cancelled.
int askDpi(QWidget* parent) {
  QStringList items;
  for (int dpi : kExportDpiChoices) items << QString::number(dpi);
  QSettings settings;
  const int last = settings.value(kDpiKey, kDefaultExportDpi).toInt();
  bool ok = false;
  const QString choice = QInputDialog::getItem(
      parent, QObject::tr("PNG resolution"),
      QObject::tr("Dots per inch (150 for slides, 300 or 600 for print):"), items,
      std::max<qsizetype>(0, items.indexOf(QString::number(last))), false, &ok);
  if (!ok) return 0;
  settings.setValue(kDpiKey, choice.toInt());
  return choice.toInt();
}

QString filterFor(ExportFormat format) {
  switch (format) {
    case ExportFormat::Png:
      return QObject::tr("PNG image (*.png)");
    case ExportFormat::Svg:
      return QObject::tr("SVG vector image (*.svg)");
    case ExportFormat::Pdf:
      return QObject::tr("PDF document (*.pdf)");
    case ExportFormat::Csv:
      return QObject::tr("CSV table (*.csv)");
  }
  return {};
}

}  // namespace

void exportPanelInteractively(ChartPanel& panel, ExportFormat format, QWidget* parent) {
  QSettings settings;
  const QString folder = settings.value(kFolderKey, QDir::homePath()).toString();
  const QString suggested = QDir(folder).filePath(panel.fileStem() + "." + formatExtension(format));
  QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export %1").arg(panel.title()),
                                              suggested, filterFor(format));
  if (path.isEmpty()) return;
  if (!path.endsWith("." + formatExtension(format), Qt::CaseInsensitive))
    path += "." + formatExtension(format);
  settings.setValue(kFolderKey, QFileInfo(path).absolutePath());
  int dpi = kDefaultExportDpi;
  if (format == ExportFormat::Png && (dpi = askDpi(parent)) == 0) return;
  try {
    exportPanel(panel, format, path, dpi);
  } catch (const std::exception& e) {
    QMessageBox::critical(parent, QObject::tr("Export failed"), QString::fromStdString(e.what()));
  }
}

int exportAllInteractively(const QList<ChartPanel*>& panels, QWidget* parent) {
  QSettings settings;
  const QString dir =
      QFileDialog::getExistingDirectory(parent, QObject::tr("Export every chart into a folder"),
                                        settings.value(kFolderKey, QDir::homePath()).toString());
  if (dir.isEmpty()) return 0;
  settings.setValue(kFolderKey, dir);
  const int dpi = askDpi(parent);
  if (dpi == 0) return 0;
  try {
    const QStringList written = exportPanels(
        panels, dir, {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf, ExportFormat::Csv},
        dpi);
    return static_cast<int>(written.size());
  } catch (const std::exception& e) {
    QMessageBox::critical(parent, QObject::tr("Export failed"), QString::fromStdString(e.what()));
  }
  return 0;
}

}  // namespace bayeslab::ui
