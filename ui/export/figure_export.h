#pragma once
// Writing a view as a figure (PNG at a chosen DPI, SVG, vector PDF) or as the
// data behind it (CSV). Every file is written atomically through QSaveFile: a
// temporary file in the same folder renamed over the target, so an earlier
// file is never replaced by a partial one. Failures throw std::runtime_error
// naming the file.
#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace bayeslab::ui {

class ChartPanel;

enum class ExportFormat { Png, Svg, Pdf, Csv };

QString formatExtension(ExportFormat format);  // "png", ...
inline constexpr int kDefaultExportDpi = 150;
inline constexpr int kExportDpiChoices[] = {96, 150, 300, 600};

// Writes one file (CSV may add "<stem>_<suffix>.csv" beside it). Returns the paths written.
QStringList exportPanel(ChartPanel& panel, ExportFormat format, const QString& path,
                        int dpi = kDefaultExportDpi);
// Every panel in every format into `dir`, named by the panels' file stems.
QStringList exportPanels(const QList<ChartPanel*>& panels, const QString& dir,
                         const QList<ExportFormat>& formats, int dpi = kDefaultExportDpi);

void writePng(ChartPanel& panel, const QString& path, int dpi);
void writeSvg(ChartPanel& panel, const QString& path);
void writePdf(ChartPanel& panel, const QString& path);
QStringList writeCsv(const ChartPanel& panel, const QString& path);

// The one place files are committed: QSaveFile, error naming the path.
void writeFileAtomically(const QString& path, const QByteArray& content);

}  // namespace bayeslab::ui
