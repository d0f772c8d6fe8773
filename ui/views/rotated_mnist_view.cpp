#include "ui/views/rotated_mnist_view.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <set>

#include "engine/io/run_writer.h"
#include "ui/views/image_strip.h"
#include "ui/views/plot_note.h"

namespace bayeslab::ui {

namespace {

constexpr double kLeadingPeak = 0.15;  // a class "leads" once it reaches this probability
constexpr int kStripHeight = 60;
const Qt::PenStyle kOverlayStyles[] = {Qt::DashLine, Qt::DotLine, Qt::DashDotLine,
                                       Qt::DashDotDotLine};
const QColor kEntropyColor = palette::kInk;
const QColor kMutualInformationColor = palette::kVermillion;

// The classes worth drawing: the most probable one at each angle, and any that
// reaches kLeadingPeak somewhere, strongest first.
std::vector<int> findLeadingClasses(const RotationSweep& sweep, int limit) {
  const Matrix& p = sweep.probabilities;
  std::vector<std::pair<double, int>> peaks;
  std::set<int> winners;
  for (Index a = 0; a < p.cols(); ++a) {
    Index best = 0;
    p.col(a).maxCoeff(&best);
    winners.insert(static_cast<int>(best));
  }
  for (Index k = 0; k < p.rows(); ++k) {
    const double peak = p.row(k).maxCoeff();
    if (peak >= kLeadingPeak || winners.count(static_cast<int>(k)))
      peaks.push_back({peak, static_cast<int>(k)});
  }
  std::sort(peaks.begin(), peaks.end(), [](const auto& a, const auto& b) { return a > b; });
  std::vector<int> classes;
  for (const auto& [peak, k] : peaks)
    if (static_cast<int>(classes.size()) < limit) classes.push_back(k);
  return classes;
}

// Ten distinct colours that all read on white (the classic "tab10" set): a
// digit's curve keeps its colour from frame to frame, whichever classes lead.
QColor digitColor(int k, int classes) {
  static const QColor tab10[] = {{31, 119, 180},  {255, 127, 14}, {44, 160, 44},   {214, 39, 40},
                                 {148, 103, 189}, {140, 86, 75},  {227, 119, 194}, {127, 127, 127},
                                 {188, 189, 34},  {23, 190, 207}};
  return classes <= 10 ? tab10[k % 10] : palette::classColor(k, classes);
}

void setAngleTicks(QValueAxis* axis) {
  axis->setRange(0.0, RotationService::kMaxAngle);
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0.0);
  axis->setTickInterval(30.0);
  axis->setLabelFormat("%.0f");
}

}  // namespace

RotatedMnistView::RotatedMnistView(QWidget* parent)
    : ChartPanel("rotation", tr("Rotated MNIST"), parent) {
  setToolTip(
      tr("One test digit turned from 0 to 180 degrees (Gal & Ghahramani 2016). A Bayesian "
         "network should grow unsure as the digit stops looking like anything it was trained "
         "on: the entropy rises, and the mutual information shows how much of that is "
         "uncertainty about the weights."));
  m_digitBox = new QSpinBox(this);
  m_digitBox->setObjectName("rotationDigit");
  m_digitBox->setPrefix("#");
  m_digitBox->setToolTip(
      tr("Which image to rotate: the test images first, then the images of the held-out "
         "classes (out of distribution). The arrows step to the previous / next image."));
  m_digitLabel = new QLabel(this);
  m_digitLabel->setToolTip(tr("The true label of the digit being rotated."));
  m_classJump = new QComboBox(this);
  m_classJump->setToolTip(tr("Jump to the first image of a class."));
  m_stepBox = new QSpinBox(this);
  m_stepBox->setObjectName("rotationStep");
  m_stepBox->setRange(1, 90);
  m_stepBox->setValue(10);
  m_stepBox->setSuffix(tr("\u00b0 steps"));
  m_stepBox->setToolTip(tr("Angle between two rotations (0..180 degrees in these steps)."));
  m_clearOverlays = new QPushButton(tr("Clear overlays"), this);
  m_clearOverlays->setToolTip(
      tr("Forget the dashed curves of earlier runs. Each time a run is replaced by one with "
         "another method, the old run's last curves stay as a dashed overlay."));
  m_info = new QLabel(this);
  m_info->setForegroundRole(QPalette::PlaceholderText);
  // Long notes must not widen the view (figures are drawn at a fixed size).
  m_info->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  m_info->setToolTip(tr("The training step the curves belong to and what the sweep cost."));

  connect(m_digitBox, &QSpinBox::valueChanged, this, [this](int value) {
    refreshLabel();
    emit digitChanged(value);
  });
  connect(m_classJump, &QComboBox::activated, this, [this](int index) {
    const QVariant target = m_classJump->itemData(index);
    if (target.isValid()) selectDigit(target.value<Index>());
    const QSignalBlocker block(m_classJump);
    m_classJump->setCurrentIndex(0);
  });
  connect(m_stepBox, &QSpinBox::valueChanged, this,
          [this](int value) { emit angleStepChanged(static_cast<double>(value)); });
  connect(m_clearOverlays, &QPushButton::clicked, this, &RotatedMnistView::clearOverlaysRequested);

  // Class probabilities.
  m_probabilityChart = new QChart;
  m_probabilityAngle = new QValueAxis;
  m_probabilityAxis = new QValueAxis;
  m_probabilityChart->addAxis(m_probabilityAngle, Qt::AlignBottom);
  m_probabilityChart->addAxis(m_probabilityAxis, Qt::AlignLeft);
  for (int i = 0; i < kMaxLeadingClasses; ++i) {
    ClassCurve c;
    c.upper = new QLineSeries(this);
    c.lower = new QLineSeries(this);
    c.band = new QAreaSeries(c.upper, c.lower);
    c.band->setPen(Qt::NoPen);
    m_probabilityChart->addSeries(c.band);
    c.band->attachAxis(m_probabilityAngle);
    c.band->attachAxis(m_probabilityAxis);
    c.mean = addLine(m_probabilityChart, m_probabilityAxis, QPen(Qt::black, 2.4));
    m_classCurves.push_back(c);
  }
  m_note = new PlotNote(m_probabilityChart);
  m_probabilityView = makeChartView(m_probabilityChart);

  // Entropy and mutual information.
  m_uncertaintyChart = new QChart;
  m_uncertaintyAngle = new QValueAxis;
  m_natsAxis = new QValueAxis;
  m_uncertaintyChart->addAxis(m_uncertaintyAngle, Qt::AlignBottom);
  m_uncertaintyChart->addAxis(m_natsAxis, Qt::AlignLeft);
  m_entropy = addLine(m_uncertaintyChart, m_natsAxis, QPen(kEntropyColor, 2.4));
  m_entropy->setName(tr("entropy H[p]"));
  m_mutualInformation = addLine(m_uncertaintyChart, m_natsAxis, QPen(kMutualInformationColor, 2.4));
  m_mutualInformation->setName(tr("mutual information"));
  m_maxEntropy =
      addLine(m_uncertaintyChart, m_natsAxis, QPen(QColor(150, 150, 150), 1.0, Qt::DotLine));
  m_uncertaintyView = makeChartView(m_uncertaintyChart);
  m_maxEntropyLabel = new QGraphicsSimpleTextItem(m_uncertaintyChart);
  m_maxEntropyLabel->setBrush(QColor(120, 120, 120));
  m_maxEntropyLabel->setZValue(20);
  connect(m_uncertaintyChart, &QChart::plotAreaChanged, this, [this] { placeMaxEntropyLabel(); });

  // Overlays: dashed copies, and a legend entry per earlier method.
  for (int o = 0; o < kMaxOverlays; ++o) {
    OverlayCurves curves;
    QPen proxy(QColor(90, 90, 90), 1.6, kOverlayStyles[o]);
    curves.legendProbability = addLine(m_probabilityChart, m_probabilityAxis, proxy);
    for (int k = 0; k < kMaxLeadingClasses; ++k)
      curves.classes.push_back(
          addLine(m_probabilityChart, m_probabilityAxis, QPen(Qt::black, 1.6, kOverlayStyles[o])));
    curves.entropy =
        addLine(m_uncertaintyChart, m_natsAxis, QPen(kEntropyColor, 1.6, kOverlayStyles[o]));
    curves.mutualInformation = addLine(m_uncertaintyChart, m_natsAxis,
                                       QPen(kMutualInformationColor, 1.6, kOverlayStyles[o]));
    m_overlayCurves.push_back(curves);
  }

  // The rotated digits, lined up under the angle axis.
  m_stripChart = new QChart;
  m_stripChart->legend()->hide();
  m_strip = new ImageStrip(m_stripChart);
  m_stripView = makeChartView(m_stripChart);
  m_stripView->setFixedHeight(kStripHeight);
  m_stripView->setToolTip(tr("The digit at each angle, as the network sees it."));
  connect(m_probabilityChart, &QChart::plotAreaChanged, this, [this] { alignStrip(); });

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 0);
  auto* digitCaption = new QLabel(tr("Digit:"), this);
  digitCaption->setBuddy(m_digitBox);
  bar->addWidget(digitCaption);
  bar->addWidget(m_digitBox);
  bar->addWidget(m_digitLabel);
  bar->addWidget(m_classJump);
  bar->addSpacing(12);
  bar->addWidget(m_stepBox);
  bar->addWidget(m_clearOverlays);
  bar->addWidget(m_info, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  // Left: the probabilities with the digits under their angles (Gal & Ghahramani's
  // figure); right: entropy and mutual information on the same angles.
  auto* left = new QVBoxLayout;
  left->setSpacing(0);
  left->addWidget(m_probabilityView, 1);
  left->addWidget(m_stripView);
  auto* charts = new QHBoxLayout;
  charts->setSpacing(0);
  charts->addLayout(left, 3);
  charts->addWidget(m_uncertaintyView, 2);
  layout->addLayout(charts, 1);
  applyStyle();
  clearFrame();
}

QLineSeries* RotatedMnistView::addLine(QChart* chart, QValueAxis* y, const QPen& pen) {
  auto* series = new QLineSeries;
  series->setPen(pen);
  chart->addSeries(series);
  series->attachAxis(chart == m_probabilityChart ? m_probabilityAngle : m_uncertaintyAngle);
  series->attachAxis(y);
  return series;
}

void RotatedMnistView::showInLegend(QChart* chart, QAbstractSeries* series, bool shown) {
  for (QLegendMarker* marker : chart->legend()->markers(series)) marker->setVisible(shown);
}

void RotatedMnistView::applyStyle() {
  const ChartStyle& s = style();
  for (QChart* chart : {m_probabilityChart, m_uncertaintyChart}) s.apply(chart);
  // A column of legend entries beside the plot: the classes and the overlays' methods.
  m_probabilityChart->legend()->setAlignment(Qt::AlignRight);
  m_uncertaintyChart->setTitle(tr("Uncertainty"));
  m_stripChart->setBackgroundRoundness(0);
  m_stripChart->setBackgroundBrush(Qt::white);
  m_stripChart->setMargins(QMargins(0, 0, 0, 0));
  s.apply(m_probabilityAngle, tr("rotation angle (degrees)"));
  s.apply(m_probabilityAxis, tr("probability"));
  s.apply(m_uncertaintyAngle, tr("rotation angle (degrees)"));
  s.apply(m_natsAxis, tr("nats"));
  setAngleTicks(m_probabilityAngle);
  setAngleTicks(m_uncertaintyAngle);
  m_probabilityAxis->setRange(0.0, 1.0);
  m_probabilityAxis->setTickCount(6);
  m_probabilityAxis->setLabelFormat("%.1f");
  m_natsAxis->setLabelFormat("%.1f");
  m_note->setFont(s.axisTitleFont());
  QFont font = m_digitBox->font();
  font.setPointSizeF(9.0 * s.fontScale);
  for (QWidget* w : {static_cast<QWidget*>(m_digitBox), static_cast<QWidget*>(m_digitLabel),
                     static_cast<QWidget*>(m_classJump), static_cast<QWidget*>(m_stepBox),
                     static_cast<QWidget*>(m_clearOverlays), static_cast<QWidget*>(m_info)})
    w->setFont(font);
  m_stripView->setFixedHeight(static_cast<int>(kStripHeight * s.fontScale));
  refresh();
}

void RotatedMnistView::setCandidates(const std::vector<int>& labels, Index inDistribution,
                                     Index chosen) {
  m_labels = labels;
  m_inDistribution = inDistribution;
  {
    const QSignalBlocker block(m_digitBox);
    m_digitBox->setRange(0, std::max(0, static_cast<int>(labels.size()) - 1));
    m_digitBox->setValue(static_cast<int>(chosen));
  }
  const QSignalBlocker block(m_classJump);
  m_classJump->clear();
  m_classJump->addItem(tr("jump to class\u2026"));
  std::set<int> seen;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (!seen.insert(labels[i]).second) continue;
    m_classJump->addItem(static_cast<Index>(i) < inDistribution
                             ? tr("first %1").arg(labels[i])
                             : tr("first %1 (held out)").arg(labels[i]),
                         QVariant::fromValue<Index>(static_cast<Index>(i)));
  }
  refreshLabel();
}

void RotatedMnistView::setMethodName(const QString& name) {
  m_methodName = name;
  refresh();
}

Index RotatedMnistView::digit() const {
  return m_digitBox->value();
}

double RotatedMnistView::angleStep() const {
  return m_stepBox->value();
}

void RotatedMnistView::setAngleStep(double degrees) {
  m_stepBox->setValue(static_cast<int>(std::lround(degrees)));
}

void RotatedMnistView::selectDigit(Index candidate) {
  m_digitBox->setValue(static_cast<int>(candidate));
}

int RotatedMnistView::shownLabel() const {
  const auto i = static_cast<size_t>(m_digitBox->value());
  return i < m_labels.size() ? m_labels[i] : -1;
}

int RotatedMnistView::angleCount() const {
  return hasFrame() ? static_cast<int>(m_frame->sweep->angles.size()) : 0;
}

int RotatedMnistView::overlayCurveCount() const {
  return m_frame ? static_cast<int>(m_frame->overlays.size()) : 0;
}

int RotatedMnistView::stripImageCount() const {
  return m_strip->imageCount();
}

int RotatedMnistView::stripShownCount() const {
  return m_strip->shownCount();
}

QStringList RotatedMnistView::legendNames() const {
  QStringList names;
  for (QChart* chart : {m_probabilityChart, m_uncertaintyChart})
    for (QLegendMarker* marker : chart->legend()->markers())
      if (marker->isVisible()) names << marker->label();
  return names;
}

void RotatedMnistView::refreshLabel() {
  const int label = shownLabel();
  const bool held = m_digitBox->value() >= m_inDistribution;
  m_digitLabel->setText(label < 0 ? QString()
                        : held    ? tr("label <b>%1</b> (held-out class)").arg(label)
                                  : tr("label <b>%1</b>").arg(label));
}

void RotatedMnistView::clearFrame() {
  m_frame.reset();
  refresh();
}

void RotatedMnistView::setFrame(RotationFramePtr frame) {
  m_frame = std::move(frame);
  if (m_frame && m_frame->digit != digit()) {
    const QSignalBlocker block(m_digitBox);
    m_digitBox->setValue(static_cast<int>(m_frame->digit));
    refreshLabel();
  }
  refresh();
}

void RotatedMnistView::refresh() {
  const bool has = hasFrame();
  const RotationSweep* sweep = has ? m_frame->sweep.get() : nullptr;
  m_leading = has ? findLeadingClasses(*sweep, kMaxLeadingClasses) : std::vector<int>();
  const int classes = sweep ? static_cast<int>(sweep->probabilities.rows()) : 10;

  const auto curve = [&](const RotationSweep& s, auto value) {
    QList<QPointF> points;
    for (size_t a = 0; a < s.angles.size(); ++a)
      points.append(QPointF(s.angles[a], value(static_cast<Index>(a))));
    return points;
  };
  for (int i = 0; i < kMaxLeadingClasses; ++i) {
    ClassCurve& c = m_classCurves[static_cast<size_t>(i)];
    const bool shown = i < static_cast<int>(m_leading.size());
    c.mean->setVisible(shown);
    c.band->setVisible(shown);
    if (!shown) {
      c.mean->clear();
      continue;
    }
    const int k = m_leading[static_cast<size_t>(i)];
    const QColor color = digitColor(k, classes);
    c.mean->setPen(QPen(color, 2.4));
    c.mean->setName(tr("p(y = %1) \u00b1 sd").arg(k));
    QColor fill = color;
    fill.setAlpha(45);
    c.band->setBrush(fill);
    c.mean->replace(curve(*sweep, [&](Index a) { return sweep->probabilities(k, a); }));
    c.upper->replace(curve(*sweep, [&](Index a) {
      return std::min(1.0, double(sweep->probabilities(k, a) + sweep->probabilityStd(k, a)));
    }));
    c.lower->replace(curve(*sweep, [&](Index a) {
      return std::max(0.0, double(sweep->probabilities(k, a) - sweep->probabilityStd(k, a)));
    }));
  }
  double natsMax = std::log(static_cast<double>(std::max(2, classes)));
  if (has) {
    m_entropy->replace(curve(*sweep, [&](Index a) { return sweep->entropy(a); }));
    m_mutualInformation->replace(
        curve(*sweep, [&](Index a) { return sweep->mutualInformation(a); }));
  } else {
    m_entropy->clear();
    m_mutualInformation->clear();
  }

  const int overlays = has ? std::min<int>(kMaxOverlays, overlayCurveCount()) : 0;
  for (int o = 0; o < kMaxOverlays; ++o) {
    OverlayCurves& oc = m_overlayCurves[static_cast<size_t>(o)];
    const bool shown = o < overlays;
    const RotationSweep* os =
        shown ? m_frame->overlays[static_cast<size_t>(o)].sweep.get() : nullptr;
    const QString name =
        shown ? tr("%1 (dashed)").arg(m_frame->overlays[static_cast<size_t>(o)].label) : QString();
    oc.legendProbability->setName(name);
    oc.legendProbability->setVisible(shown);
    for (int i = 0; i < kMaxLeadingClasses; ++i) {
      QLineSeries* line = oc.classes[static_cast<size_t>(i)];
      const bool classShown = shown && os && i < static_cast<int>(m_leading.size()) &&
                              m_leading[static_cast<size_t>(i)] < os->probabilities.rows();
      line->setVisible(classShown);
      if (!classShown) continue;
      const int k = m_leading[static_cast<size_t>(i)];
      QPen pen = line->pen();
      pen.setColor(digitColor(k, classes));
      line->setPen(pen);
      line->replace(curve(*os, [&](Index a) { return os->probabilities(k, a); }));
    }
    oc.entropy->setVisible(shown && os);
    oc.mutualInformation->setVisible(shown && os);
    if (shown && os) {
      oc.entropy->replace(curve(*os, [&](Index a) { return os->entropy(a); }));
      oc.mutualInformation->replace(curve(*os, [&](Index a) { return os->mutualInformation(a); }));
    }
  }
  // Legend: the live curves and one entry per overlay; bands and dashed copies stay out.
  for (const ClassCurve& c : m_classCurves) showInLegend(m_probabilityChart, c.band, false);
  for (int i = 0; i < kMaxLeadingClasses; ++i)
    showInLegend(m_probabilityChart, m_classCurves[static_cast<size_t>(i)].mean,
                 i < static_cast<int>(m_leading.size()));
  showInLegend(m_uncertaintyChart, m_maxEntropy, false);
  for (int o = 0; o < kMaxOverlays; ++o) {
    const OverlayCurves& oc = m_overlayCurves[static_cast<size_t>(o)];
    showInLegend(m_probabilityChart, oc.legendProbability, o < overlays);
    for (QLineSeries* line : oc.classes) showInLegend(m_probabilityChart, line, false);
    showInLegend(m_uncertaintyChart, oc.entropy, false);
    showInLegend(m_uncertaintyChart, oc.mutualInformation, false);
  }
  setNiceTicks(m_natsAxis, 0.0, natsMax * 1.08, 5);
  m_natsAxis->setLabelFormat("%.1f");
  // The largest possible entropy, log K: a uniform prediction over the classes.
  m_maxEntropy->replace({QPointF(0.0, natsMax), QPointF(RotationService::kMaxAngle, natsMax)});
  m_maxEntropyLabel->setText(tr("max: ln %1").arg(classes));
  placeMaxEntropyLabel();

  QString title = tr("Rotated digit");
  if (shownLabel() >= 0) title = tr("Rotated digit #%1 (a %2)").arg(digit()).arg(shownLabel());
  if (!m_methodName.isEmpty()) title += QStringLiteral(" \u2014 ") + m_methodName;
  m_probabilityChart->setTitle(title);
  m_note->setText(has ? QString() : tr("waiting for the first sweep\u2026"));
  if (has) {
    const RotationSweep& s = *sweep;
    const int side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(s.images.rows()))));
    m_strip->setImages(s.images, side, side, s.angles, 0.0, RotationService::kMaxAngle);
    m_info->setText(tr("step %L1 \u00b7 %2 draws \u00b7 sweep %3 ms")
                        .arg(m_frame->step)
                        .arg(RotationService::kSamples)
                        .arg(m_frame->milliseconds, 0, 'f', 0));
  } else {
    m_strip->clear();
    m_info->setText(QString());
  }
  m_clearOverlays->setEnabled(overlays > 0);
  alignStrip();
}

void RotatedMnistView::placeMaxEntropyLabel() {
  if (m_maxEntropy->count() < 2) return;
  const QPointF end = m_uncertaintyChart->mapToPosition(m_maxEntropy->at(1), m_maxEntropy);
  const QRectF box = m_maxEntropyLabel->boundingRect();
  m_maxEntropyLabel->setFont(style().labelFont());
  m_maxEntropyLabel->setPos(end.x() - box.width() - 2.0, end.y() - box.height() - 1.0);
}

void RotatedMnistView::alignStrip() {
  const QRectF area = m_probabilityChart->plotArea();
  m_strip->setSpan(area.left(), area.right());
}

void RotatedMnistView::resizeEvent(QResizeEvent* event) {
  ChartPanel::resizeEvent(event);
  alignStrip();
}

std::vector<CsvTable> RotatedMnistView::csvTables() const {
  if (!hasFrame()) return {};
  std::vector<CsvTable> tables{{QString(), QString::fromStdString(rotationCsv(*m_frame->sweep))}};
  // The spread across the posterior's draws, the band of the plot.
  QString spread = "angle";
  const RotationSweep& s = *m_frame->sweep;
  for (Index k = 0; k < s.probabilityStd.rows(); ++k) spread += QString(",sd_p%1").arg(k);
  spread += "\n";
  for (size_t a = 0; a < s.angles.size(); ++a) {
    spread += QString::number(s.angles[a]);
    for (Index k = 0; k < s.probabilityStd.rows(); ++k)
      spread += "," + QString::number(s.probabilityStd(k, static_cast<Index>(a)), 'g', 7);
    spread += "\n";
  }
  tables.push_back({"sd", spread});
  for (size_t o = 0; o < m_frame->overlays.size(); ++o) {
    QString suffix = m_frame->overlays[o].label.toLower();
    suffix.replace(QRegularExpression("[^a-z0-9]+"), "_");
    tables.push_back(
        {"overlay_" + suffix, QString::fromStdString(rotationCsv(*m_frame->overlays[o].sweep))});
  }
  return tables;
}

QList<QChartView*> RotatedMnistView::chartViews() const {
  return {m_probabilityView, m_uncertaintyView, m_stripView};
}

}  // namespace bayeslab::ui
