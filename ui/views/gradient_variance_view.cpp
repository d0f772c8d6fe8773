#include "ui/views/gradient_variance_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLogValueAxis>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QTableWidget>
#include <QTextStream>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/views/plot_note.h"

namespace bayeslab::ui {

namespace {

QColor estimatorColor(GradientEstimatorKind kind) {
  switch (kind) {
    case GradientEstimatorKind::Reparameterisation:
      return palette::kBlue;
    case GradientEstimatorKind::LocalReparameterisation:
      return palette::kGreen;
    case GradientEstimatorKind::Flipout:
      return palette::kOrange;
    case GradientEstimatorKind::ScoreFunction:
      return palette::kVermillion;
  }
  return palette::kInk;
}

// Short names for the charts' categories and legends (the reading and the table use the full ones).
QString shortName(GradientEstimatorKind kind) {
  switch (kind) {
    case GradientEstimatorKind::Reparameterisation:
      return QObject::tr("Reparam.");
    case GradientEstimatorKind::LocalReparameterisation:
      return QObject::tr("LRT");
    case GradientEstimatorKind::Flipout:
      return QObject::tr("Flipout");
    case GradientEstimatorKind::ScoreFunction:
      return QObject::tr("Score fn.");
  }
  return {};
}

QString milliseconds(double seconds) {
  const double ms = 1e3 * seconds;
  return ms < 1.0 ? QObject::tr("%1 \u00b5s").arg(1e3 * ms, 0, 'f', 0)
                  : QObject::tr("%1 ms").arg(ms, 0, 'g', 3);
}

QString scientific(double x) {
  return QString::number(x, 'e', 2);
}

// A decade-aligned log range around the positive values.
void setVarianceLogRange(QLogValueAxis* axis, const std::vector<double>& values) {
  double lo = 0.0, hi = 0.0;
  for (double v : values) {
    if (!(v > 0.0) || !std::isfinite(v)) continue;
    lo = lo > 0.0 ? std::min(lo, v) : v;
    hi = std::max(hi, v);
  }
  if (!(lo > 0.0)) {
    axis->setRange(1e-3, 1.0);
    return;
  }
  const double low = std::pow(10.0, std::floor(std::log10(lo)));
  const double high = std::pow(10.0, std::ceil(std::log10(hi * 1.0001)));
  // A hair beyond the decades, or rounding drops the end labels (log10(1e-3) > -3).
  axis->setRange(low * (1.0 - 1e-9), std::max(high, low * 10.0) * (1.0 + 1e-9));
  const int decades = static_cast<int>(std::lround(std::log10(axis->max() / axis->min())));
  // Every decade labelled up to ~8; beyond that, labels on alternate decades would be
  // nicer but QLogValueAxis only offers a count.
  axis->setMinorTickCount(decades <= 4 ? 8 : 0);
}

QBarSet* makeSet(const QString& name, const QColor& color) {
  auto* set = new QBarSet(name);
  set->setColor(color);
  set->setBorderColor(color.darker(140));
  return set;
}

}  // namespace

GradientVarianceView::GradientVarianceView(QWidget* parent)
    : ChartPanel("gradient_variance", tr("Gradient variance"), parent) {
  setToolTip(
      tr("How noisy each estimator of the ELBO's gradient is, at the current posterior and "
         "one fixed minibatch. Lower variance means larger useful learning rates and faster "
         "training; all four estimate the same gradient."));
  m_measure = new QPushButton(tr("Measure"), this);
  m_measure->setObjectName("measureGradientVariance");
  m_measure->setToolTip(
      tr("Measure the gradient variance of the four estimators now, at the newest posterior "
         "(on a background thread; training continues)."));
  m_auto = new QCheckBox(
      tr("auto-refresh every %1 s").arg(GradientVarianceService::kAutoRefreshMs / 1000), this);
  m_auto->setToolTip(
      tr("While this view is shown and the posterior changes, measure again every few "
         "seconds. Each measurement costs about as much as 4 x R training steps."));
  m_repetitions = new QSpinBox(this);
  m_repetitions->setRange(8, 4096);
  m_repetitions->setValue(GradientVarianceService::kDefaultRepetitions);
  m_repetitions->setToolTip(
      tr("R: independent gradient estimates per estimator. The variance is their sample "
         "variance; its relative error is about sqrt(2 / R)."));
  m_layerQuantity = new QComboBox(this);
  m_layerQuantity->addItem(tr("per layer: Var dD/d\u03bc"));
  m_layerQuantity->addItem(tr("per layer: Var dD/d\u03c3"));
  m_layerQuantity->setToolTip(tr("Which gradient the per-layer chart (right) shows."));
  m_info = new QLabel(this);
  m_info->setForegroundRole(QPalette::PlaceholderText);
  // Long notes must not widen the view (figures are drawn at a fixed size).
  m_info->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  m_info->setToolTip(tr("Where and how the last measurement was taken."));
  m_reading = new QLabel(this);
  m_reading->setObjectName("gradientVarianceReading");
  m_reading->setWordWrap(true);
  m_reading->setTextFormat(Qt::RichText);
  m_reading->setToolTip(
      tr("The measured order of the estimators. Expect local reparameterisation and Flipout "
         "below reparameterisation (per-example noise averages out over the minibatch) and the "
         "score function orders of magnitude above (it ignores the gradient of the network)."));

  connect(m_measure, &QPushButton::clicked, this, &GradientVarianceView::measureRequested);
  connect(m_auto, &QCheckBox::toggled, this, &GradientVarianceView::autoRefreshChanged);
  connect(m_repetitions, &QSpinBox::valueChanged, this, &GradientVarianceView::repetitionsChanged);
  connect(m_layerQuantity, &QComboBox::currentIndexChanged, this, [this] { refreshLayers(); });

  m_chart = new QChart;
  m_bars = new QBarSeries;
  m_bars->setBarWidth(0.75);
  m_chart->addSeries(m_bars);
  m_estimatorAxis = new QBarCategoryAxis;
  m_varianceAxis = new QLogValueAxis;
  m_varianceAxis->setBase(10.0);
  m_varianceAxis->setLabelFormat("%.0e");
  m_chart->addAxis(m_estimatorAxis, Qt::AlignBottom);
  m_chart->addAxis(m_varianceAxis, Qt::AlignLeft);
  m_bars->attachAxis(m_estimatorAxis);
  m_bars->attachAxis(m_varianceAxis);
  m_note = new PlotNote(m_chart);
  m_view = makeChartView(m_chart);
  connect(m_chart, &QChart::plotAreaChanged, this, [this] { placeTimeLabels(); });

  m_layerChart = new QChart;
  m_layerBars = new QBarSeries;
  m_layerBars->setBarWidth(0.8);
  m_layerChart->addSeries(m_layerBars);
  m_layerAxis = new QBarCategoryAxis;
  m_layerVarianceAxis = new QLogValueAxis;
  m_layerVarianceAxis->setBase(10.0);
  m_layerVarianceAxis->setLabelFormat("%.0e");
  m_layerChart->addAxis(m_layerAxis, Qt::AlignBottom);
  m_layerChart->addAxis(m_layerVarianceAxis, Qt::AlignLeft);
  m_layerBars->attachAxis(m_layerAxis);
  m_layerBars->attachAxis(m_layerVarianceAxis);
  m_layerView = makeChartView(m_layerChart);

  // Exact values on hover.
  for (QBarSeries* series : {m_bars, m_layerBars})
    connect(series, &QBarSeries::hovered, this, [](bool on, int index, QBarSet* set) {
      if (on)
        QToolTip::showText(QCursor::pos(),
                           QString("%1: %2").arg(set->label(), scientific(set->at(index))));
      else
        QToolTip::hideText();
    });

  m_table = new QTableWidget(this);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->verticalHeader()->hide();
  m_table->setSelectionMode(QAbstractItemView::NoSelection);
  m_table->setToolTip(
      tr("The numbers behind the charts: mean over the parameters of the variance of each "
         "gradient component, overall and per layer, and the time per estimate."));
  m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_table->setVisible(false);

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 0);
  bar->addWidget(m_measure);
  bar->addWidget(m_auto);
  auto* repetitionsLabel = new QLabel(tr("estimates R:"), this);
  repetitionsLabel->setBuddy(m_repetitions);
  bar->addWidget(repetitionsLabel);
  bar->addWidget(m_repetitions);
  bar->addWidget(m_layerQuantity);
  bar->addWidget(m_info, 1);
  auto* charts = new QHBoxLayout;
  charts->setSpacing(0);
  charts->addWidget(m_view, 1);
  charts->addWidget(m_layerView, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(bar);
  layout->addLayout(charts, 1);
  auto* readingRow = new QHBoxLayout;
  readingRow->setContentsMargins(8, 0, 8, 0);
  readingRow->addWidget(m_reading);
  layout->addLayout(readingRow);
  layout->addWidget(m_table);
  applyStyle();
  clear();
}

void GradientVarianceView::applyStyle() {
  const ChartStyle& s = style();
  s.apply(m_chart);
  s.apply(m_layerChart);
  s.apply(m_estimatorAxis, QString());
  s.apply(m_varianceAxis, tr("variance (log scale)"));
  s.apply(m_layerAxis, tr("layer: inputs \u2192 outputs"));
  s.apply(m_layerVarianceAxis, tr("variance (log scale)"));
  m_note->setFont(s.axisTitleFont());
  QFont font = m_measure->font();
  font.setPointSizeF(9.0 * s.fontScale);
  for (QWidget* w : {static_cast<QWidget*>(m_measure), static_cast<QWidget*>(m_auto),
                     static_cast<QWidget*>(m_repetitions), static_cast<QWidget*>(m_layerQuantity),
                     static_cast<QWidget*>(m_info), static_cast<QWidget*>(m_table)})
    w->setFont(font);
  QFont reading = font;
  reading.setPointSizeF(10.0 * s.fontScale);
  m_reading->setFont(reading);
  refresh();
}

void GradientVarianceView::setAutoRefresh(bool on) {
  m_auto->setChecked(on);
}

bool GradientVarianceView::autoRefresh() const {
  return m_auto->isChecked();
}

int GradientVarianceView::repetitions() const {
  return m_repetitions->value();
}

void GradientVarianceView::setBusy(bool busy) {
  m_busy = busy;
  m_measure->setText(busy ? tr("Measuring\u2026") : tr("Measure"));
  m_measure->setEnabled(!busy && m_unavailable.isEmpty());
}

void GradientVarianceView::setUnavailable(const QString& why) {
  m_unavailable = why;
  setBusy(m_busy);
  refresh();
}

void GradientVarianceView::clear() {
  m_frame.reset();
  refresh();
}

void GradientVarianceView::setFrame(GradientVarianceFramePtr frame) {
  m_frame = std::move(frame);
  refresh();
}

QString GradientVarianceView::reading() const {
  return m_frame ? gradientVarianceReading(m_frame->estimators) : QString();
}

void GradientVarianceView::refresh() {
  m_bars->clear();
  m_chart->setTitle(tr("Variance of the ELBO gradient estimators"));
  if (!hasMeasurement()) {
    m_estimatorAxis->clear();
    m_varianceAxis->setRange(1e-3, 1.0);
    QString note = m_unavailable;
    if (note.isEmpty())
      note = m_frame && !m_frame->error.isEmpty() ? m_frame->error
                                                  : tr("press Measure to compare the estimators");
    m_note->setText(note);
    m_reading->setText(QString());
    m_info->setText(QString());
    refreshLayers();
    fillTable();
    placeTimeLabels();
    return;
  }
  m_note->setText(QString());
  const GradientVarianceFrame& f = *m_frame;
  QBarSet* mu = makeSet(tr("Var dD/d\u03bc"), palette::kBlue);
  QBarSet* sigma = makeSet(tr("Var dD/d\u03c3"), palette::kGreen);
  QStringList categories;
  std::vector<double> values;
  for (const GradientVariance& v : f.estimators) {
    mu->append(v.varianceMu);
    sigma->append(v.varianceSigma);
    values.push_back(v.varianceMu);
    values.push_back(v.varianceSigma);
    categories << shortName(v.estimator);
  }
  m_bars->append(mu);
  m_bars->append(sigma);
  m_estimatorAxis->clear();
  m_estimatorAxis->append(categories);
  setVarianceLogRange(m_varianceAxis, values);
  m_chart->setTitle(tr("Variance of the ELBO gradient at step %L1").arg(f.step));
  // The time over each pair of bars is per estimate (one minibatch gradient).

  const QString reading = gradientVarianceReading(f.estimators);
  m_reading->setText(tr("<b>Reading:</b> %1").arg(reading.toHtmlEscaped()));
  QString info = tr("minibatch of %1, R = %2 estimates each, S = %3 MC sample(s), %4 in all")
                     .arg(f.batchSize)
                     .arg(f.repetitions)
                     .arg(f.mcSamples)
                     .arg(milliseconds(f.seconds));
  if (f.substitutedSpread)
    info += tr("; the posterior has no spread everywhere: zero \u03c3 taken as 0.01");
  m_info->setText(info);
  m_info->setToolTip(info);
  refreshLayers();
  fillTable();
  placeTimeLabels();
}

QStringList GradientVarianceView::estimatorLabels() const {
  return m_estimatorAxis->categories();
}

QList<double> GradientVarianceView::barHeights(int set) const {
  QList<double> heights;
  const QList<QBarSet*> sets = m_bars->barSets();
  if (set < 0 || set >= sets.size()) return heights;
  for (int i = 0; i < sets[set]->count(); ++i) heights << sets[set]->at(i);
  return heights;
}

QStringList GradientVarianceView::layerLabels() const {
  return m_layerAxis->categories();
}

void GradientVarianceView::placeTimeLabels() {
  const size_t count = hasMeasurement() ? m_frame->estimators.size() : 0;
  while (m_timeLabels.size() < count) {
    auto* label = new QGraphicsSimpleTextItem(m_chart);
    label->setZValue(20);
    label->setBrush(style().ink());
    m_timeLabels.push_back(label);
  }
  for (size_t i = 0; i < m_timeLabels.size(); ++i) {
    QGraphicsSimpleTextItem* label = m_timeLabels[i];
    label->setVisible(i < count);
    if (i >= count) continue;
    const GradientVariance& v = m_frame->estimators[i];
    label->setFont(style().labelFont());
    label->setText(milliseconds(v.secondsPerEstimate));
    // Above the taller of the estimator's two bars, inside the plot.
    const double top = std::max(v.varianceMu, v.varianceSigma);
    QPointF at = m_chart->mapToPosition(QPointF(static_cast<double>(i), top), m_bars);
    const QRectF box = label->boundingRect();
    at.setY(std::max(m_chart->plotArea().top() + 1.0, at.y() - box.height() - 2.0));
    label->setPos(at.x() - box.width() / 2.0, at.y());
  }
}

void GradientVarianceView::refreshLayers() {
  m_layerBars->clear();
  m_layerAxis->clear();
  const bool sigma = m_layerQuantity->currentIndex() == 1;
  m_layerChart->setTitle(sigma ? tr("Per layer: Var dD/d\u03c3") : tr("Per layer: Var dD/d\u03bc"));
  if (!hasMeasurement()) {
    m_layerVarianceAxis->setRange(1e-3, 1.0);
    return;
  }
  std::vector<double> values;
  for (const GradientVariance& v : m_frame->estimators) {
    QBarSet* set = makeSet(shortName(v.estimator), estimatorColor(v.estimator));
    for (double x : sigma ? v.layerVarianceSigma : v.layerVarianceMu) {
      set->append(x);
      values.push_back(x);
    }
    m_layerBars->append(set);
  }
  QStringList layers;
  for (int l = 0; l < m_frame->layerNames.size(); ++l)
    layers << m_frame->layerShapes.value(l, m_frame->layerNames[l]);
  m_layerAxis->append(layers);
  setVarianceLogRange(m_layerVarianceAxis, values);
}

void GradientVarianceView::fillTable() {
  m_table->clear();
  m_table->setVisible(hasMeasurement());
  if (!hasMeasurement()) {
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    return;
  }
  const GradientVarianceFrame& f = *m_frame;
  QStringList headers{tr("estimator"), tr("Var dD/d\u03bc"), tr("Var dD/d\u03c3"),
                      tr("time / estimate")};
  for (const QString& layer : f.layerNames) {
    headers << tr("%1: \u03bc").arg(layer) << tr("%1: \u03c3").arg(layer);
  }
  m_table->setColumnCount(static_cast<int>(headers.size()));
  m_table->setHorizontalHeaderLabels(headers);
  m_table->setRowCount(static_cast<int>(f.estimators.size()));
  for (int r = 0; r < static_cast<int>(f.estimators.size()); ++r) {
    const GradientVariance& v = f.estimators[static_cast<size_t>(r)];
    QStringList cells{QString::fromUtf8(gradientEstimatorName(v.estimator)),
                      scientific(v.varianceMu), scientific(v.varianceSigma),
                      milliseconds(v.secondsPerEstimate)};
    for (size_t l = 0; l < v.layerVarianceMu.size(); ++l)
      cells << scientific(v.layerVarianceMu[l]) << scientific(v.layerVarianceSigma[l]);
    for (int c = 0; c < cells.size(); ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (c > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      m_table->setItem(r, c, item);
    }
  }
  m_table->resizeColumnsToContents();
  m_table->resizeRowsToContents();
  // Exactly as tall as its rows: the charts get the rest.
  int height = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
  for (int r = 0; r < m_table->rowCount(); ++r) height += m_table->rowHeight(r);
  if (m_table->horizontalScrollBar()->isVisible() ||
      m_table->horizontalHeader()->length() > m_table->viewport()->width())
    height += m_table->horizontalScrollBar()->sizeHint().height();
  m_table->setFixedHeight(height);
}

std::vector<CsvTable> GradientVarianceView::csvTables() const {
  if (!hasMeasurement()) return {};
  QString text;
  QTextStream out(&text);
  out << "estimator,variance_dmu,variance_dsigma,seconds_per_estimate,repetitions,batch_size,"
         "mc_samples,step";
  for (int l = 0; l < m_frame->layerNames.size(); ++l)
    out << ",layer" << l + 1 << "_variance_dmu,layer" << l + 1 << "_variance_dsigma";
  out << "\n";
  for (const GradientVariance& v : m_frame->estimators) {
    out << gradientEstimatorId(v.estimator) << "," << QString::number(v.varianceMu, 'g', 8) << ","
        << QString::number(v.varianceSigma, 'g', 8) << ","
        << QString::number(v.secondsPerEstimate, 'g', 6) << "," << v.repetitions << ","
        << m_frame->batchSize << "," << m_frame->mcSamples << "," << m_frame->step;
    for (size_t l = 0; l < v.layerVarianceMu.size(); ++l)
      out << "," << QString::number(v.layerVarianceMu[l], 'g', 8) << ","
          << QString::number(v.layerVarianceSigma[l], 'g', 8);
    out << "\n";
  }
  return {{QString(), text}};
}

QList<QChartView*> GradientVarianceView::chartViews() const {
  return {m_view, m_layerView};
}

}  // namespace bayeslab::ui
