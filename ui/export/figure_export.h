#pragma once
// Writing a view as a figure (PNG at a chosen DPI, SVG, vector PDF) or as the
// data behind it (CSV). Every file is written atomically through QSaveFile: a
// temporary file in the same folder renamed over the target, so an earlier
// file is never replaced by a partial one. Failures throw std::runtime_error
// naming the file.
#include <QByteArray>
#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>

namespace bayeslab::ui {

class ChartPanel;

enum class ExportFormat { Png, Svg, Pdf, Csv };

QString formatExtension(ExportFormat format);  // "png", ...
inline constexpr int kDefaultExportDpi = 150;
// At this DPI a PNG has the figure's size in pixels.
inline constexpr int kNativeFigureDpi = 96;
inline constexpr int kExportDpiChoices[] = {96, 150, 300, 600};

// Writes one file (CSV may add "<stem>_<suffix>.csv" beside it). Returns the paths written.
// `transparent` applies to PNG: no background, alpha 0 where nothing is drawn.
QStringList exportPanel(ChartPanel& panel, ExportFormat format, const QString& path,
                        int dpi = kDefaultExportDpi, bool transparent = false);
// Every panel in every format into `dir`, named by the panels' file stems.
QStringList exportPanels(const QList<ChartPanel*>& panels, const QString& dir,
                         const QList<ExportFormat>& formats, int dpi = kDefaultExportDpi,
                         bool transparent = false);

// The figure as an image of figureSize() x dpi / 96 pixels, its DPI in the
// image's metadata (dots per meter), for PNG files and the clipboard.
QImage figureImage(ChartPanel& panel, int dpi, bool transparent);
void writePng(ChartPanel& panel, const QString& path, int dpi, bool transparent = false);
void writeSvg(ChartPanel& panel, const QString& path);
void writePdf(ChartPanel& panel, const QString& path);
QStringList writeCsv(const ChartPanel& panel, const QString& path);

// The one place files are committed: QSaveFile, error naming the path.
void writeFileAtomically(const QString& path, const QByteArray& content);

}  // namespace bayeslab::ui
