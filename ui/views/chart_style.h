#pragma once
// One look for every chart: fonts that read from the back of a lecture hall,
// quiet grids, the legend below the plot (never over the data) and a colour
// set that survives colour-blindness and greyscale printing.
#include <QColor>
#include <QFont>
#include <QString>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QChart;
class QValueAxis;
QT_END_NAMESPACE

namespace bayeslab::ui {

struct ChartStyle {
  double fontScale = 1.0;  // larger in presentation mode

  // Fewer ticks when the labels are larger, so that they do not collide.
  int ticks(int normal) const;

  QFont titleFont() const;
  QFont axisTitleFont() const;
  QFont labelFont() const;
  QFont legendFont() const;

  // Theme, fonts, margins, legend placement; no animation (frames come at 30 Hz).
  void apply(QChart* chart) const;
  void apply(QAbstractAxis* axis, const QString& title) const;
};

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
