#include "ui/export/export_dialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QStringList>
#include <exception>

#include "ui/views/chart_panel.h"

namespace bayeslab::ui {

namespace {

const char* kFolderKey = "export/folder";
const char* kDpiKey = "export/dpi";
const char* kTransparentKey = "export/transparent";

struct PngOptions {
  int dpi = 0;  // 0: cancelled
  bool transparent = false;
};

// The PNG question: resolution and background, remembered for next time.
PngOptions askPngOptions(QWidget* parent) {
  QSettings settings;
  QDialog dialog(parent);
  dialog.setObjectName("pngOptionsDialog");
  dialog.setWindowTitle(QObject::tr("PNG options"));
  auto* dpi = new QComboBox(&dialog);
  dpi->setObjectName("dpiBox");
  for (int choice : kExportDpiChoices) dpi->addItem(QString::number(choice), choice);
  const int last = settings.value(kDpiKey, kDefaultExportDpi).toInt();
  dpi->setCurrentIndex(std::max(0, dpi->findData(last)));
  dpi->setToolTip(QObject::tr("Dots per inch: 96 or 150 for slides and screens, 300 or 600 for "
                              "print. The figure keeps its layout; only the pixel count grows, "
                              "and the file records the DPI so that documents size it right."));
  auto* transparent = new QCheckBox(QObject::tr("Transparent background"), &dialog);
  transparent->setObjectName("transparentBox");
  transparent->setChecked(settings.value(kTransparentKey, false).toBool());
  transparent->setToolTip(QObject::tr("Leave the background out (alpha 0), so the figure sits on "
                                      "a coloured slide; the lines and labels keep their colours."));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
  QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  auto* form = new QFormLayout(&dialog);
  form->addRow(QObject::tr("Resolution (DPI):"), dpi);
  form->addRow(transparent);
  form->addRow(buttons);
  if (dialog.exec() != QDialog::Accepted) return {};
  PngOptions options{dpi->currentData().toInt(), transparent->isChecked()};
  settings.setValue(kDpiKey, options.dpi);
  settings.setValue(kTransparentKey, options.transparent);
  return options;
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
  PngOptions png{kDefaultExportDpi, false};
  if (format == ExportFormat::Png && (png = askPngOptions(parent)).dpi == 0) return;
  try {
    exportPanel(panel, format, path, png.dpi, png.transparent);
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
  const PngOptions png = askPngOptions(parent);
  if (png.dpi == 0) return 0;
  try {
    const QStringList written = exportPanels(
        panels, dir, {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf, ExportFormat::Csv},
        png.dpi, png.transparent);
    return static_cast<int>(written.size());
  } catch (const std::exception& e) {
    QMessageBox::critical(parent, QObject::tr("Export failed"), QString::fromStdString(e.what()));
  }
  return 0;
}

}  // namespace bayeslab::ui
