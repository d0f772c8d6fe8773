#include "ui/export/figure_export.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <stdexcept>

#include "ui/views/chart_panel.h"

namespace bayeslab::ui {

namespace {

constexpr double kScreenDpi = 96.0;  // figure sizes are logical pixels at 96 DPI
constexpr double kInchesPerMeter = 39.3700787;
// PDF device resolution: fine enough that no coordinate is visibly rounded.
constexpr int kPdfResolution = 1200;

[[noreturn]] void fail(const QString& path, const QString& why) {
  throw std::runtime_error(
      QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), why).toStdString());
}

QSize checkedFigureSize(const ChartPanel& panel, const QString& path) {
  const QSize size = panel.figureSize();
  if (size.isEmpty()) fail(path, QStringLiteral("the chart has no size to draw (is it hidden?)"));
  return size;
}

// Opens a QSaveFile, lets `write` fill it, commits; throws on any failure.
template <class Write>
void commit(const QString& path, Write&& write) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) fail(path, file.errorString());
  write(file);
  if (file.error() != QFileDevice::NoError) fail(path, file.errorString());
  if (!file.commit()) fail(path, file.errorString());
}

}  // namespace

QString formatExtension(ExportFormat format) {
  switch (format) {
    case ExportFormat::Png:
      return QStringLiteral("png");
    case ExportFormat::Svg:
      return QStringLiteral("svg");
    case ExportFormat::Pdf:
      return QStringLiteral("pdf");
    case ExportFormat::Csv:
      return QStringLiteral("csv");
  }
  return {};
}

void writeFileAtomically(const QString& path, const QByteArray& content) {
  commit(path, [&](QSaveFile& file) {
    if (file.write(content) != content.size()) fail(path, file.errorString());
  });
}

QImage figureImage(ChartPanel& panel, int dpi, bool transparent) {
  const QSize logical = panel.figureSize();
  if (logical.isEmpty()) return {};
  const double scale = dpi / kScreenDpi;
  QImage image((QSizeF(logical) * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
  image.fill(transparent ? QColor(Qt::transparent) : panel.style().background());
  {
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                           QPainter::SmoothPixmapTransform);
    panel.renderFigure(painter, QRectF(QPointF(0, 0), QSizeF(image.size())), transparent);
  }
  // After painting: the painter scales logical pixels itself, and fonts in points
  // must not be enlarged a second time by the image's resolution.
  image.setDotsPerMeterX(qRound(dpi * kInchesPerMeter));
  image.setDotsPerMeterY(qRound(dpi * kInchesPerMeter));
  return image;
}

void writePng(ChartPanel& panel, const QString& path, int dpi, bool transparent) {
  checkedFigureSize(panel, path);
  const QImage image = figureImage(panel, dpi, transparent);
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  if (!image.save(&buffer, "PNG")) fail(path, QStringLiteral("could not encode the PNG image"));
  writeFileAtomically(path, bytes);
}

void writeSvg(ChartPanel& panel, const QString& path) {
  const QSize size = checkedFigureSize(panel, path);
  commit(path, [&](QSaveFile& file) {
    QSvgGenerator generator;
    generator.setOutputDevice(&file);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setResolution(static_cast<int>(kScreenDpi));
    generator.setTitle(panel.title());
    generator.setDescription(QStringLiteral("BayesLab figure"));
    QPainter painter;
    if (!painter.begin(&generator)) fail(path, QStringLiteral("could not start the SVG writer"));
    panel.renderFigure(painter, QRectF(QPointF(0, 0), QSizeF(size)));
    painter.end();
  });
}

void writePdf(ChartPanel& panel, const QString& path) {
  const QSize size = checkedFigureSize(panel, path);
  commit(path, [&](QSaveFile& file) {
    QPdfWriter writer(&file);
    writer.setTitle(panel.title());
    writer.setCreator(QStringLiteral("BayesLab"));
    writer.setResolution(kPdfResolution);
    const QSizeF points = QSizeF(size) * (72.0 / kScreenDpi);
    writer.setPageSize(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter;
    if (!painter.begin(&writer)) fail(path, QStringLiteral("could not start the PDF writer"));
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    panel.renderFigure(painter, QRectF(painter.viewport()));
    painter.end();
  });
}

QStringList writeCsv(const ChartPanel& panel, const QString& path) {
  QStringList written;
  const QFileInfo info(path);
  for (const CsvTable& table : panel.csvTables()) {
    const QString target =
        table.suffix.isEmpty()
            ? path
            : info.dir().filePath(info.completeBaseName() + "_" + table.suffix + ".csv");
    writeFileAtomically(target, table.text.toUtf8());
    written << target;
  }
  if (written.isEmpty()) fail(path, QStringLiteral("the chart has no data yet"));
  return written;
}

QStringList exportPanel(ChartPanel& panel, ExportFormat format, const QString& path, int dpi,
                        bool transparent) {
  switch (format) {
    case ExportFormat::Png:
      writePng(panel, path, dpi, transparent);
      break;
    case ExportFormat::Svg:
      writeSvg(panel, path);
      break;
    case ExportFormat::Pdf:
      writePdf(panel, path);
      break;
    case ExportFormat::Csv:
      return writeCsv(panel, path);
  }
  return {path};
}

QStringList exportPanels(const QList<ChartPanel*>& panels, const QString& dir,
                         const QList<ExportFormat>& formats, int dpi, bool transparent) {
  if (!QDir().mkpath(dir)) fail(dir, QStringLiteral("cannot create the folder"));
  QStringList written;
  for (ChartPanel* panel : panels)
    for (ExportFormat format : formats)
      written +=
          exportPanel(*panel, format,
                      QDir(dir).filePath(panel->fileStem() + "." + formatExtension(format)), dpi,
                      transparent);
  return written;
}

}  // namespace bayeslab::ui
