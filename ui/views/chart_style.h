#pragma once
// One look for every chart: fonts that read from the back of a lecture hall,
// quiet grids, the legend below the plot (never over the data) and a colour
// set that survives colour-blindness and greyscale printing.
#include <QColor>
#include <QFont>
#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QChart;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

// Classroom mode's scale of text and lines (ChartPanel, LectureNote).
inline constexpr double kPresentationScale = 1.45;
// Training curves scaled to the later steps leave out this first fraction of them.
inline constexpr double kSkipEarlyFraction = 0.05;

// Light: dark ink on white (print, slides). Dark: light ink on a dark grey, for
// dim lecture halls; the series colours (Okabe & Ito) read on both.
enum class Theme { Light, Dark };

struct ChartStyle {
  double fontScale = 1.0;  // zoom x (larger in presentation mode)
  Theme theme = Theme::Light;

  QColor background() const;
  QColor ink() const;  // titles, labels, legend, series drawn "in ink"
  QColor grid() const;
  QColor axisLine() const;

  // Fewer ticks when the labels are larger, so that they do not collide.
  int ticks(int normal) const;

  QFont titleFont() const;
  QFont axisTitleFont() const;
  QFont labelFont() const;
  QFont legendFont() const;

  // Theme, fonts, margins, legend placement; no animation (frames come at 30 Hz).
  void apply(QChart* chart) const;
  void apply(QAbstractAxis* axis, const QString& title) const;
  // The theme's colours on everything of a chart that is drawn in the other
  // theme's: background, series and text items in ink, scatter borders in the
  // background colour. Idempotent; views need not know the theme.
  void applyTheme(QChart* chart) const;
};

// The first of `titles` (longest first) that fits the chart's width in its title
// font, else the last: narrow charts get a short title instead of an elided one.
void fitTitle(QChart* chart, const QStringList& titles);
// The same for an axis title, along the plot area's width (horizontal axis) or height.
void fitAxisTitle(QChart* chart, QAbstractAxis* axis, const QStringList& titles);

// Okabe & Ito (2008) colour-blind-safe palette, in the order series use it.
namespace palette {
inline const QColor kBlue{0, 114, 178};
inline const QColor kVermillion{213, 94, 0};
inline const QColor kGreen{0, 158, 115};
inline const QColor kPurple{204, 121, 167};
inline const QColor kOrange{230, 159, 0};
inline const QColor kSky{86, 180, 233};
inline const QColor kYellow{240, 228, 66};
inline const QColor kInk{34, 34, 34};
inline const QColor kGrid{225, 225, 225};
// The dark theme's counterparts.
inline const QColor kDarkBackground{30, 32, 36};
inline const QColor kDarkInk{230, 230, 230};
inline const QColor kDarkGrid{70, 72, 78};
// Class k's colour (cycles after 8).
QColor classColor(int k, int classes);
}  // namespace palette

// A "nice" axis range (1, 2, 2.5, 5 x 10^n ticks) covering [lo, hi].
void setNiceRange(QValueAxis* axis, double lo, double hi, int ticks = 6);
// Exactly [lo, hi], with ticks at nice multiples inside it.
void setNiceTicks(QValueAxis* axis, double lo, double hi, int ticks = 6);
// setNiceRange, but only when [lo, hi] leaves the current range or fills less than
// 1 / slack of it: live axes then hold still instead of relaying out (and
// jittering) at every frame.
void setStickyRange(QValueAxis* axis, double lo, double hi, int ticks = 6, double slack = 1.6);

}  // namespace bayeslab::ui
