#include "ui/views/uncertainty_view.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTextStream>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <functional>

#include "engine/predictive/calibration.h"
#include "ui/views/histogram.h"
#include "ui/views/plot_note.h"

namespace bayeslab::ui {

namespace {

const QColor kGapColor(213, 94, 0);

// The outline of bars of height `heights` over [lower, upper] (empty bins at 0).
QList<QPointF> bars(const std::vector<ReliabilityBin>& bins,
                    const std::function<double(const ReliabilityBin&)>& height) {
  QList<QPointF> points;
  if (bins.empty()) return points;
  points.append(QPointF(bins.front().lower, 0.0));
  for (const ReliabilityBin& b : bins) {
    const double h = b.count > 0 ? height(b) : 0.0;
    points.append(QPointF(b.lower, h));
    points.append(QPointF(b.upper, h));
  }
  points.append(QPointF(bins.back().upper, 0.0));
  return points;
}

Histogram shares(const std::vector<double>& values, double upper) {
  Histogram h = makeHistogram(values, UncertaintyView::kEntropyBins, 0.0, upper);
  const double total = std::max(1.0, h.total());
  for (double& c : h.counts) c /= total;
  return h;
}

}  // namespace

UncertaintyView::UncertaintyView(QWidget* parent)
    : ChartPanel("uncertainty", tr("Uncertainty quality"), parent) {
  setToolTip(
      tr("Is the predictive uncertainty any good? Calibration: when the network says 80%, is "
         "it right 80% of the time? Out-of-distribution detection: is it more unsure about "
         "classes it never saw?"));
  m_noOodHint = noOutOfDistributionHint(true);
  m_info = new QLabel(this);
  m_info->setForegroundRole(QPalette::PlaceholderText);
  // Long notes must not widen the view (figures are drawn at a fixed size).
  m_info->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  m_info->setToolTip(tr("Which posterior and how many test points the charts describe."));

  m_reliabilityChart = new QChart;
  m_confidenceAxis = new QValueAxis;
  m_accuracyAxis = new QValueAxis;
  m_reliabilityChart->addAxis(m_confidenceAxis, Qt::AlignBottom);
  m_reliabilityChart->addAxis(m_accuracyAxis, Qt::AlignLeft);
  m_accuracyBars = addArea(m_reliabilityChart, m_confidenceAxis, m_accuracyAxis, palette::kBlue,
                           tr("accuracy per bin"));
  m_gapBars = addArea(m_reliabilityChart, m_confidenceAxis, m_accuracyAxis, kGapColor,
                      tr("gap to mean confidence"));
  // Hatched, so that the gap reads the same over a bar (under-confidence) as above it.
  m_gapBars.area->setBrush(QBrush(kGapColor, Qt::BDiagPattern));
  m_diagonal = new QLineSeries;
  m_diagonal->setName(tr("perfect calibration"));
  m_diagonal->setPen(QPen(palette::kInk, 1.4, Qt::DashLine));
  m_diagonal->append(0.0, 0.0);
  m_diagonal->append(1.0, 1.0);
  m_reliabilityChart->addSeries(m_diagonal);
  m_diagonal->attachAxis(m_confidenceAxis);
  m_diagonal->attachAxis(m_accuracyAxis);
  m_reliabilityNote = new PlotNote(m_reliabilityChart);
  m_reliabilityView = makeChartView(m_reliabilityChart);
  m_reliabilityView->setToolTip(
      tr("Test points binned by their confidence max_k p(y = k | x). A calibrated model's "
         "bars reach the diagonal; bars below it mean over-confidence. The number over each "
         "bar counts its points. ECE = \u03a3_b (n_b / n) |accuracy_b \u2212 confidence_b|."));
  connect(m_reliabilityChart, &QChart::plotAreaChanged, this, [this] { placeCountLabels(); });

  m_entropyChart = new QChart;
  m_entropyAxis = new QValueAxis;
  m_shareAxis = new QValueAxis;
  m_entropyChart->addAxis(m_entropyAxis, Qt::AlignBottom);
  m_entropyChart->addAxis(m_shareAxis, Qt::AlignLeft);
  m_inBars = addArea(m_entropyChart, m_entropyAxis, m_shareAxis, palette::kBlue,
                     tr("test (trained classes)"));
  m_outBars = addArea(m_entropyChart, m_entropyAxis, m_shareAxis, palette::kVermillion,
                      tr("held-out classes"));
  m_entropyNote = new PlotNote(m_entropyChart);
  m_entropyView = makeChartView(m_entropyChart);
  m_entropyView->setToolTip(
      tr("Predictive entropy H[p(y | x)] of each test image, as a share of its set. Images of "
         "classes the network never saw should sit to the right; the AUROC is the chance that "
         "a random held-out image has a higher entropy than a random test image (1: perfect, "
         "0.5: no better than chance)."));

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 0);
  bar->addWidget(m_info, 1);
  auto* charts = new QHBoxLayout;
  charts->setSpacing(0);
  charts->addWidget(m_reliabilityView, 1);
  charts->addWidget(m_entropyView, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  layout->addLayout(charts, 1);
  applyStyle();
  clear();
}

UncertaintyView::Area UncertaintyView::addArea(QChart* chart, QValueAxis* x, QValueAxis* y,
                                               const QColor& color, const QString& name) {
  Area a;
  a.upper = new QLineSeries(this);
  a.lower = new QLineSeries(this);
  a.area = new QAreaSeries(a.upper, a.lower);
  a.area->setName(name);
  QColor fill = color;
  fill.setAlpha(120);
  a.area->setBrush(fill);
  a.area->setPen(QPen(color.darker(120), 1.2));
  chart->addSeries(a.area);
  a.area->attachAxis(x);
  a.area->attachAxis(y);
  return a;
}

void UncertaintyView::applyStyle() {
  const ChartStyle& s = style();
  s.apply(m_reliabilityChart);
  s.apply(m_entropyChart);
  s.apply(m_confidenceAxis, tr("confidence  max\u2096 p(y = k | x)"));
  s.apply(m_accuracyAxis, tr("accuracy"));
  s.apply(m_entropyAxis, tr("predictive entropy H[p]  [nats]"));
  s.apply(m_shareAxis, tr("share of the set"));
  m_reliabilityNote->setFont(s.axisTitleFont());
  m_entropyNote->setFont(s.axisTitleFont());
  QFont font = m_info->font();
  font.setPointSizeF(9.0 * s.fontScale);
  m_info->setFont(font);
  for (QGraphicsSimpleTextItem* label : m_countLabels) label->setFont(s.labelFont());
  refresh();
}

QString UncertaintyView::noOutOfDistributionHint(bool images) {
  return images ? tr("No held-out classes: train on a subset (e.g. Data \u25b8 Classes 0-4)\nand "
                     "the other classes' images become the out-of-distribution set.")
                : tr("This data set holds no classes out. For out-of-distribution\ndetection, "
                     "train on MNIST digits 0-4: digits 5-9 become the test.");
}

void UncertaintyView::setNoOutOfDistributionHint(const QString& hint) {
  m_noOodHint = hint;
  refresh();
}

void UncertaintyView::clear() {
  m_frame.reset();
  refresh();
}

void UncertaintyView::setFrame(UncertaintyFramePtr frame) {
  m_frame = std::move(frame);
  refresh();
}

QString UncertaintyView::reliabilityTitle() const {
  return m_reliabilityChart->title();
}

QString UncertaintyView::entropyTitle() const {
  return m_entropyChart->title();
}

QString UncertaintyView::entropyNote() const {
  return m_entropyHint;
}

int UncertaintyView::countLabelCount() const {
  return static_cast<int>(std::count_if(m_countLabels.begin(), m_countLabels.end(),
                                        [](auto* l) { return l->isVisible(); }));
}

void UncertaintyView::refresh() {
  setNiceTicks(m_confidenceAxis, 0.0, 1.0, 6);
  setNiceTicks(m_accuracyAxis, 0.0, 1.0, 6);
  const int classes = m_frame ? std::max(2, m_frame->classes) : 10;
  const double maxEntropy = std::log(static_cast<double>(classes));
  setNiceTicks(m_entropyAxis, 0.0, maxEntropy, 6);
  if (!m_frame) {
    for (const Area* a : {&m_accuracyBars, &m_gapBars, &m_inBars, &m_outBars}) {
      a->upper->clear();
      a->lower->clear();
    }
    m_reliabilityChart->setTitle(tr("Reliability diagram"));
    m_entropyChart->setTitle(tr("Predictive entropy in and out of distribution"));
    m_reliabilityNote->setText(tr("waiting for the test set\u2026"));
    m_entropyNote->setText(QString());
    m_entropyHint.clear();
    setNiceTicks(m_shareAxis, 0.0, 1.0, 6);
    m_info->setText(QString());
    placeCountLabels();
    return;
  }
  const UncertaintyFrame& f = *m_frame;
  const std::vector<ReliabilityBin>& bins = f.reliability.bins;
  m_accuracyBars.upper->replace(bars(bins, [](const ReliabilityBin& b) { return b.accuracy; }));
  m_accuracyBars.lower->replace(bars(bins, [](const ReliabilityBin&) { return 0.0; }));
  m_gapBars.upper->replace(
      bars(bins, [](const ReliabilityBin& b) { return std::max(b.accuracy, b.confidence); }));
  m_gapBars.lower->replace(
      bars(bins, [](const ReliabilityBin& b) { return std::min(b.accuracy, b.confidence); }));
  m_reliabilityChart->setTitle(tr("Reliability: ECE %1, accuracy %2%")
                                   .arg(f.reliability.ece, 0, 'f', 3)
                                   .arg(100.0 * f.accuracy, 0, 'f', 1));
  m_reliabilityNote->setText(f.testPoints > 0 ? QString() : tr("no test points"));

  const Histogram in = shares(f.inDistributionEntropy, maxEntropy);
  m_inBars.upper->replace(stepOutline(in));
  m_inBars.lower->replace(
      stepOutline(Histogram{in.lower, in.upper, std::vector<double>(in.counts.size(), 0.0)}));
  double top = in.maxCount();
  const bool ood = !f.outOfDistributionEntropy.empty();
  m_outBars.area->setVisible(ood);
  for (QLegendMarker* m : m_entropyChart->legend()->markers(m_outBars.area)) m->setVisible(ood);
  if (ood) {
    const Histogram out = shares(f.outOfDistributionEntropy, maxEntropy);
    m_outBars.upper->replace(stepOutline(out));
    m_outBars.lower->replace(
        stepOutline(Histogram{out.lower, out.upper, std::vector<double>(out.counts.size(), 0.0)}));
    top = std::max(top, out.maxCount());
  } else {
    m_outBars.upper->clear();
    m_outBars.lower->clear();
  }
  setNiceRange(m_shareAxis, 0.0, std::max(0.05, top * 1.05), 5);
  m_entropyHint = ood ? QString() : m_noOodHint;
  if (f.auroc) {
    m_entropyChart->setTitle(
        tr("Entropy, in vs out of distribution: AUROC %1").arg(*f.auroc, 0, 'f', 3));
  } else {
    // The hint under the title, clear of the bars.
    m_entropyChart->setTitle(
        QString("<center>%1<br><span style='font-size:%2pt; font-weight:normal; "
                "color:#555555'>%3</span></center>")
            .arg(tr("Predictive entropy of the test points"))
            .arg(style().labelFont().pointSizeF())
            .arg(m_entropyHint.toHtmlEscaped().replace("\n", "<br>")));
  }

  QString info = tr("%L1 test points").arg(f.testPoints);
  if (ood) info += tr(", %L1 held-out images").arg(f.outOfDistributionEntropy.size());
  if (f.step > 0 || f.runId > 0) info = tr("step %L1 \u00b7 ").arg(f.step) + info;
  if (f.milliseconds > 0) info += tr(" \u00b7 computed in %1 ms").arg(f.milliseconds, 0, 'f', 0);
  m_info->setText(info);
  placeCountLabels();
}

void UncertaintyView::placeCountLabels() {
  const std::vector<ReliabilityBin> bins =
      m_frame ? m_frame->reliability.bins : std::vector<ReliabilityBin>();
  while (m_countLabels.size() < bins.size()) {
    auto* label = new QGraphicsSimpleTextItem(m_reliabilityChart);
    label->setZValue(20);
    label->setBrush(style().ink());
    label->setFont(style().labelFont());
    m_countLabels.push_back(label);
  }
  for (size_t i = 0; i < m_countLabels.size(); ++i) {
    QGraphicsSimpleTextItem* label = m_countLabels[i];
    const bool shown = i < bins.size() && bins[i].count > 0;
    label->setVisible(shown);
    if (!shown) continue;
    const ReliabilityBin& b = bins[i];
    label->setText(QString::number(b.count));
    const double top = std::max(b.accuracy, b.confidence);
    const QPointF at = m_reliabilityChart->mapToPosition(QPointF(0.5 * (b.lower + b.upper), top));
    const QRectF box = label->boundingRect();
    // Over the bar; a full bar's count goes just inside it, clear of the title.
    const double y =
        std::max(at.y() - box.height() - 1.0, m_reliabilityChart->plotArea().top() + 1.0);
    label->setPos(at.x() - box.width() / 2.0, y);
  }
}

std::vector<CsvTable> UncertaintyView::csvTables() const {
  if (!m_frame) return {};
  const UncertaintyFrame& f = *m_frame;
  QString reliability;
  QTextStream r(&reliability);
  r << "bin_lower,bin_upper,mean_confidence,accuracy,count\n";
  for (const ReliabilityBin& b : f.reliability.bins)
    r << b.lower << "," << b.upper << "," << b.confidence << "," << b.accuracy << "," << b.count
      << "\n";
  const double maxEntropy = std::log(static_cast<double>(std::max(2, f.classes)));
  const Histogram in = makeHistogram(f.inDistributionEntropy, kEntropyBins, 0.0, maxEntropy);
  const Histogram out = makeHistogram(f.outOfDistributionEntropy, kEntropyBins, 0.0, maxEntropy);
  QString entropy;
  QTextStream e(&entropy);
  e << "entropy_lower,entropy_upper,in_distribution_count,out_of_distribution_count\n";
  for (size_t i = 0; i < in.counts.size(); ++i)
    e << in.lower + i * in.binWidth() << "," << in.lower + (i + 1) * in.binWidth() << ","
      << in.counts[i] << "," << out.counts[i] << "\n";
  QString summary;
  QTextStream s(&summary);
  s << "ece,accuracy,test_points,ood_points,auroc\n"
    << f.reliability.ece << "," << f.accuracy << "," << f.testPoints << ","
    << f.outOfDistributionEntropy.size() << ",";
  if (f.auroc) s << *f.auroc;
  s << "\n";
  return {{QString(), reliability}, {"entropy", entropy}, {"summary", summary}};
}

QList<QChartView*> UncertaintyView::chartViews() const {
  return {m_reliabilityView, m_entropyView};
}

}  // namespace bayeslab::ui
