#include "ui/views/cost_view.h"

#include <QChart>
#include <QChartView>
#include <QFontMetricsF>
#include <QGraphicsLineItem>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLogValueAxis>
#include <QPen>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "engine/io/cost_csv.h"
#include "ui/views/plot_note.h"
#include "ui/views/point_labels.h"

namespace bayeslab::ui {

namespace {

// The scatters keep at least this height; a shorter tab scrolls.
constexpr int kMinimumChartHeight = 250;
// A log axis when the positive values span more than this factor.
constexpr double kLogSpread = 30.0;

QString milliseconds(double ms) {
  if (!std::isfinite(ms)) return QStringLiteral("\u2014");
  return ms < 1.0 ? QObject::tr("%1 \u00b5s").arg(1e3 * ms, 0, 'g', 3)
                  : QObject::tr("%1 ms").arg(ms, 0, 'g', 3);
}

QString bytes(std::size_t n) {
  const double b = static_cast<double>(n);
  if (b < 1e3) return QObject::tr("%1 B").arg(n);
  if (b < 1e6) return QObject::tr("%1 kB").arg(b / 1e3, 0, 'g', 3);
  if (b < 1e9) return QObject::tr("%1 MB").arg(b / 1e6, 0, 'g', 3);
  return QObject::tr("%1 GB").arg(b / 1e9, 0, 'g', 3);
}

QString number(double x, int digits = 4) {
  return std::isfinite(x) ? QString::number(x, 'g', digits) : QStringLiteral("\u2014");
}

// A colour and marker per method, by its place in the registry (stable across
// measurements and between the two charts).
int registryIndex(const std::string& id) {
  const auto& registry = methodRegistry();
  for (size_t i = 0; i < registry.size(); ++i)
    if (registry[i].id == id) return static_cast<int>(i);
  return 0;
}

QColor methodColor(int index) {
  static const QColor colors[] = {palette::kBlue,   palette::kVermillion, palette::kGreen,
                                  palette::kPurple, palette::kOrange,     palette::kSky,
                                  palette::kInk};
  return colors[index % 7];
}

QScatterSeries::MarkerShape methodMarker(int index) {
  static const QScatterSeries::MarkerShape shapes[] = {QScatterSeries::MarkerShapeCircle,
                                                       QScatterSeries::MarkerShapeRectangle,
                                                       QScatterSeries::MarkerShapeTriangle};
  return shapes[(index / 7) % 3];
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Decade-aligned log range around [lo, hi] (both > 0).
void setCostLogRange(QLogValueAxis* axis, double lo, double hi) {
  const double low = std::pow(10.0, std::floor(std::log10(lo)));
  const double high = std::pow(10.0, std::ceil(std::log10(hi * 1.0001)));
  // A hair beyond the decades, or rounding drops the end labels.
  axis->setRange(low * (1.0 - 1e-9), std::max(high, low * 10.0) * (1.0 + 1e-9));
  const int decades = static_cast<int>(std::lround(std::log10(axis->max() / axis->min())));
  axis->setMinorTickCount(decades <= 4 ? 8 : 0);
  axis->setMinorGridLineVisible(false);
}

}  // namespace

CostView::CostView(QWidget* parent) : ChartPanel("cost", tr("Cost of the methods"), parent) {
  setToolTip(
      tr("What each method costs and what it buys: every method trained for the same number "
         "of steps on this session's data, model and prior, timed, and scored on the test "
         "set. The lecture's complexity table, measured."));
  m_measure = new QPushButton(tr("Measure"), this);
  m_measure->setObjectName("measureCost");
  m_measure->setToolTip(
      tr("Train every method for the budget on the current session (its data, model, "
         "likelihood, prior and training options; each method with its default options, the "
         "session's own with its options), time it and score it on the test set. Runs on a "
         "background thread; pauses training so that the timings are not disturbed."));
  m_cancel = new QPushButton(tr("Cancel"), this);
  m_cancel->setObjectName("cancelCost");
  m_cancel->setToolTip(
      tr("Stop the measurement at the next training step; the methods "
         "measured so far stay in the table and the charts."));
  m_budget = new QSpinBox(this);
  m_budget->setObjectName("costBudget");
  m_budget->setRange(0, 10000000);
  m_budget->setSingleStep(100);
  m_budget->setSuffix(tr(" steps"));
  m_budget->setToolTip(
      tr("Training steps per method, the same for every method (and the same data and seed). "
         "At the lowest setting: the session's steps, at most %1. More steps give the slower "
         "methods (samplers, score-function VI) a fairer test log-likelihood; the measurement "
         "takes proportionally longer.")
          .arg(CostOptions::kDefaultStepCap));
  setSessionSteps(CostOptions::kDefaultStepCap);
  m_progress = new QProgressBar(this);
  m_progress->setRange(0, 1000);
  m_progress->setTextVisible(false);
  m_progress->setMaximumWidth(160);
  m_progress->setToolTip(tr("How much of the measurement is done (each method counts alike)."));
  m_info = new QLabel(this);
  m_info->setObjectName("costInfo");
  m_info->setForegroundRole(QPalette::PlaceholderText);
  // Long notes must not widen the view (figures are drawn at a fixed size).
  m_info->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  m_info->setToolTip(tr("What the last measurement covered, and its reading."));
  m_info->installEventFilter(this);

  connect(m_measure, &QPushButton::clicked, this, &CostView::measureRequested);
  connect(m_cancel, &QPushButton::clicked, this, &CostView::cancelRequested);

  for (Scatter* s : {&m_time, &m_parameters}) {
    s->chart = new QChart;
    s->chart->legend()->hide();
    s->y = new QValueAxis;
    s->chart->addAxis(s->y, Qt::AlignLeft);
    s->logX = new QLogValueAxis(this);  // owned by the view while detached
    s->logX->setBase(10.0);
    s->linearX = new QValueAxis(this);
    s->chart->addAxis(s->linearX, Qt::AlignBottom);
    s->note = new PlotNote(s->chart);
    s->view = makeChartView(s->chart);
    connect(s->chart, &QChart::plotAreaChanged, this, [this, s] { placeLabels(*s); });
  }
  m_time.view->setToolTip(
      tr("Test log-likelihood (higher is better) against the wall time of one training step: "
         "up and to the left is cheap and good."));
  m_parameters.view->setToolTip(
      tr("Test log-likelihood against the learned scalars: mean-field methods learn two per "
         "weight, an ensemble K networks, HMC one network per chain."));

  m_table = new QTableWidget(this);
  m_table->setObjectName("costTable");
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->verticalHeader()->hide();
  m_table->setSelectionMode(QAbstractItemView::NoSelection);
  m_table->setToolTip(
      tr("The numbers behind the charts, one row per method; hover a cell for "
         "what it means."));

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 0);
  bar->addWidget(m_measure);
  auto* budgetLabel = new QLabel(tr("budget:"), this);
  budgetLabel->setBuddy(m_budget);
  budgetLabel->setToolTip(m_budget->toolTip());
  bar->addWidget(budgetLabel);
  bar->addWidget(m_budget);
  bar->addWidget(m_progress);
  bar->addWidget(m_cancel);
  bar->addWidget(m_info, 1);

  // Charts above, the whole table below; both scroll together when the tab is short,
  // so that the charts never shrink below a readable height and no row is hidden.
  auto* content = new QWidget;
  auto* chartRow = new QHBoxLayout;
  chartRow->setContentsMargins(0, 0, 0, 0);
  chartRow->setSpacing(0);
  chartRow->addWidget(m_time.view, 1);
  chartRow->addWidget(m_parameters.view, 1);
  m_time.view->setMinimumHeight(kMinimumChartHeight);
  m_parameters.view->setMinimumHeight(kMinimumChartHeight);
  m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  auto* column = new QVBoxLayout(content);
  column->setContentsMargins(0, 0, 0, 0);
  column->setSpacing(2);
  column->addLayout(chartRow, 1);
  column->addWidget(m_table);
  m_scroll = new QScrollArea(this);
  m_scroll->setWidget(content);
  m_scroll->setWidgetResizable(true);
  m_scroll->setFrameShape(QFrame::NoFrame);
  m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(bar);
  layout->addWidget(m_scroll, 1);
  applyStyle();
  setBusy(false);
  clear();
}

void CostView::applyStyle() {
  const ChartStyle& s = style();
  for (Scatter* scatter : {&m_time, &m_parameters}) {
    s.apply(scatter->chart);
    scatter->chart->legend()->hide();
    scatter->note->setFont(s.axisTitleFont());
  }
  QFont font = m_measure->font();
  font.setPointSizeF(9.0 * s.fontScale);
  for (QWidget* w : {static_cast<QWidget*>(m_measure), static_cast<QWidget*>(m_cancel),
                     static_cast<QWidget*>(m_budget), static_cast<QWidget*>(m_info),
                     static_cast<QWidget*>(m_table)})
    w->setFont(font);
  refresh();
}

void CostView::setSessionSteps(Index steps) {
  const Index budget = CostOptions().budget([&] {
    SessionConfig c;
    c.training.steps = steps;
    return c;
  }());
  m_budget->setSpecialValueText(tr("session (%L1 steps)").arg(budget));
}

void CostView::setTableShown(bool shown) {
  m_table->setVisible(shown);
}

Index CostView::budget() const {
  return m_budget->value();
}

void CostView::setBudget(Index steps) {
  m_budget->setValue(static_cast<int>(steps));
}

void CostView::setBusy(bool busy) {
  m_busy = busy;
  m_measure->setText(busy ? tr("Measuring\u2026") : tr("Measure"));
  m_measure->setEnabled(!busy && m_unavailable.isEmpty());
  m_cancel->setEnabled(busy);
  m_budget->setEnabled(!busy);
  m_progress->setVisible(busy);
  if (busy) {
    m_progress->setValue(0);
    m_progressText = tr("starting\u2026");
  } else {
    m_progressText.clear();
  }
  updateInfo();
}

void CostView::setProgress(double fraction, const QString& text) {
  m_progress->setValue(static_cast<int>(std::lround(1000.0 * std::clamp(fraction, 0.0, 1.0))));
  m_progressText = text;
  updateInfo();
}

void CostView::setUnavailable(const QString& why) {
  m_unavailable = why;
  setBusy(m_busy);
  refresh();
}

void CostView::clear() {
  m_frame.reset();
  refresh();
}

void CostView::setFrame(CostFramePtr frame) {
  if (frame && m_frame && frame->measurementId < m_frame->measurementId) return;
  if (frame && m_frame && frame->measurementId == m_frame->measurementId && m_frame->complete &&
      !frame->complete)
    return;  // a partial frame that arrived after its measurement's final one
  m_frame = std::move(frame);
  refresh();
}

bool CostView::hasMeasurement() const {
  if (!m_frame) return false;
  return std::any_of(m_frame->measurement.rows.begin(), m_frame->measurement.rows.end(),
                     [](const CostRow& r) { return r.ran; });
}

void CostView::refresh() {
  refreshScatter(m_time, true);
  refreshScatter(m_parameters, false);
  fillTable();
  updateInfo();
}

void CostView::refreshScatter(Scatter& s, bool time) {
  // Axis changes below relayout the chart, which asks for the labels: not yet.
  s.updating = true;
  s.points.clear();
  s.chart->setTitle(time ? tr("Quality against time per step")
                         : tr("Quality against learned parameters"));
  if (m_frame)
    for (const CostRow& r : m_frame->measurement.rows) {
      const double x = time ? r.msPerStep : static_cast<double>(r.parameters);
      if (!r.ran || !std::isfinite(r.testLogLikelihood) || !(x > 0.0) || !std::isfinite(x))
        continue;
      s.points.push_back({QString::fromStdString(r.method), x, r.testLogLikelihood, false});
    }

  // Horizontal axis: logarithmic when the values span more than kLogSpread.
  double xlo = 0.0, xhi = 1.0;
  if (!s.points.empty()) {
    xlo = xhi = s.points.front().x;
    for (const auto& p : s.points) xlo = std::min(xlo, p.x), xhi = std::max(xhi, p.x);
  }
  const bool logarithmic = !s.points.empty() && xhi / xlo > kLogSpread;
  QAbstractAxis* x = logarithmic ? static_cast<QAbstractAxis*>(s.logX) : s.linearX;
  QAbstractAxis* other = logarithmic ? static_cast<QAbstractAxis*>(s.linearX) : s.logX;
  if (logarithmic != s.logarithmic || !s.chart->axes(Qt::Horizontal).contains(x)) {
    for (QScatterSeries* series : s.series) series->detachAxis(other);
    if (s.chart->axes(Qt::Horizontal).contains(other)) s.chart->removeAxis(other);
    s.chart->addAxis(x, Qt::AlignBottom);
    for (QScatterSeries* series : s.series) series->attachAxis(x);
    s.logarithmic = logarithmic;
  }
  const QString xTitle = time ? tr("time per training step (ms)") : tr("learned parameters");
  if (logarithmic) {
    s.logX->setLabelFormat(time ? "%g" : "%.0f");
    setCostLogRange(s.logX, xlo, xhi);
    style().apply(s.logX, xTitle + tr(", log scale"));
  } else {
    // Counts and times start at zero: the chart then shows their ratios.
    setNiceRange(s.linearX, 0.0, s.points.empty() ? 1.0 : xhi * 1.08, style().ticks(6));
    if (!time) s.linearX->setLabelFormat("%.0f");
    style().apply(s.linearX, xTitle);
  }

  // Vertical axis: the test log-likelihood; a method far below the rest (it has not
  // converged in the budget) is drawn at the floor so that it does not flatten the others.
  std::vector<double> ys;
  for (const auto& p : s.points) ys.push_back(p.y);
  double ylo = -1.0, yhi = 0.0;
  if (!ys.empty()) {
    ylo = *std::min_element(ys.begin(), ys.end());
    yhi = *std::max_element(ys.begin(), ys.end());
    if (ys.size() >= 4) {
      const double mid = median(ys);
      const double spread = std::max({yhi - mid, 0.05 * std::abs(mid), 1e-3});
      const double floor = mid - 6.0 * spread;
      if (ylo < mid - 10.0 * spread) {
        double lowest = mid;
        for (auto& p : s.points) {
          if (p.y < floor)
            p.clipped = true;
          else
            lowest = std::min(lowest, p.y);
        }
        ylo = std::min(lowest, floor);
      }
    }
    const double pad = std::max(0.08 * (yhi - ylo), 1e-3);
    ylo -= pad;
    yhi += pad;
  }
  setNiceRange(s.y, ylo, yhi, style().ticks(6));
  style().apply(s.y, s.y->titleText());  // the text follows the plot's height (placeLabels)

  // One series per point, so that each has its method's colour and marker.
  while (s.series.size() < s.points.size()) {
    auto* series = new QScatterSeries;
    series->setMarkerSize(11.0);
    s.chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(s.y);
    const size_t index = s.series.size();
    s.series.push_back(series);
    s.tips.emplace_back();
    connect(series, &QScatterSeries::hovered, this, [this, &s, index](const QPointF&, bool on) {
      if (on && index < s.tips.size())
        QToolTip::showText(QCursor::pos(), s.tips[index]);
      else
        QToolTip::hideText();
    });
  }
  for (size_t i = 0; i < s.series.size(); ++i) {
    QScatterSeries* series = s.series[i];
    series->setVisible(i < s.points.size());
    if (i >= s.points.size()) continue;
    const auto& p = s.points[i];
    const int index = registryIndex(p.label.toStdString());
    series->setName(p.label);
    series->setMarkerShape(methodMarker(index));
    series->setColor(methodColor(index));
    series->setBorderColor(methodColor(index).darker(150));
    series->replace(QList<QPointF>{QPointF(p.x, p.clipped ? s.y->min() : p.y)});
    s.tips[i] = tr("%1: test log-likelihood %2, %3")
                    .arg(p.label, number(p.y),
                         time ? tr("%1 per step").arg(milliseconds(p.x))
                              : tr("%L1 parameters").arg(static_cast<qint64>(p.x)));
  }

  QString note;
  if (!m_unavailable.isEmpty())
    note = m_unavailable;
  else if (m_frame && !m_frame->error.isEmpty())
    note = m_frame->error;
  else if (s.points.empty())
    note = m_busy ? tr("measuring\u2026") : tr("press Measure to train and time every method");
  s.note->setText(note);
  s.updating = false;
  placeLabels(s);
}

void CostView::placeLabels(Scatter& s) {
  if (s.updating) return;
  // The longest title for the value axis that the plot's height shows whole (the text
  // runs along the axis, so it does not change that height).
  const QFontMetricsF metrics(style().axisTitleFont());
  const QStringList titles{tr("test log-likelihood per point"), tr("test log-likelihood"),
                           tr("test log-lik.")};
  QString title = titles.back();
  for (const QString& t : titles)
    if (metrics.horizontalAdvance(t) + 8.0 <= s.chart->plotArea().height()) {
      title = t;
      break;
    }
  if (s.y->titleText() != title) s.y->setTitleText(title);
  while (s.labels.size() < s.points.size()) {
    auto* label = new QGraphicsSimpleTextItem(s.chart);
    label->setZValue(20);
    label->setBrush(style().ink());
    s.labels.push_back(label);
    auto* leader = new QGraphicsLineItem(s.chart);
    leader->setZValue(19);
    leader->setPen(QPen(QColor(150, 150, 150), 1.0));
    s.leaders.push_back(leader);
  }
  std::vector<QPointF> at;
  std::vector<QSizeF> sizes;
  for (size_t i = 0; i < s.points.size(); ++i) {
    const auto& p = s.points[i];
    QGraphicsSimpleTextItem* label = s.labels[i];
    label->setFont(style().labelFont());
    label->setText(p.clipped ? tr("%1 (%2 \u2193)").arg(p.label, number(p.y, 3)) : p.label);
    at.push_back(s.chart->mapToPosition(QPointF(p.x, p.clipped ? s.y->min() : p.y), s.series[i]));
    sizes.push_back(label->boundingRect().size());
  }
  const QRectF bounds = s.chart->plotArea().adjusted(2, 2, -2, -2);
  const std::vector<QRectF> rects = placePointLabels(at, sizes, bounds);
  for (size_t i = 0; i < s.labels.size(); ++i) {
    const bool shown = i < s.points.size();
    s.labels[i]->setVisible(shown);
    s.leaders[i]->setVisible(shown && labelIsDisplaced(at[i], rects[i]));
    if (!shown) continue;
    s.labels[i]->setPos(rects[i].topLeft());
    // A leader from the marker's edge to the nearest side of a displaced label.
    const QPointF target(rects[i].center().x() < at[i].x() ? rects[i].right() : rects[i].left(),
                         rects[i].center().y());
    const QLineF line(at[i], target);
    QLineF shortened = line;
    if (line.length() > 6.0) shortened.setP1(line.pointAt(6.0 / line.length()));
    s.leaders[i]->setLine(shortened);
  }
}

void CostView::fillTable() {
  m_table->clear();
  const std::vector<CostRow> empty;
  const std::vector<CostRow>& rows = m_frame ? m_frame->measurement.rows : empty;
  const bool regression = !m_frame || m_frame->measurement.task == Task::Regression;
  const QStringList headers{tr("method"),        tr("parameters"),
                            tr("formula"),       tr("state"),
                            tr("time / step"),   tr("time / sample"),
                            tr("test log-lik."), regression ? tr("test RMSE") : tr("test accuracy"),
                            tr("note")};
  const QStringList tips{
      tr("The inference method."),
      tr("Learned scalars: InferenceMethod::parameterCount() (with a learned noise or prior "
         "scale, those too)."),
      tr("The lecture's count of the network's learned scalars for this layout: d_in, d_out "
         "of each layer, K ensemble members, C chains."),
      tr("Memory training keeps: the parameters, their gradient and the optimiser's moments, "
         "kept samples, the Laplace curvature. Not the data."),
      tr("Wall time of one training step: median of equal blocks of steps after a warm-up."),
      tr("Wall time of one posterior function draw on the whole test set "
         "(Posterior::sampleOutputs, divided by the draws)."),
      tr("Mean log predictive density per test point after the budget (higher is better)."),
      regression ? tr("Root mean squared error of the predictive mean on the test set.")
                 : tr("Fraction of test points whose most probable class is right."),
      tr("Why a method could not run on this session, or what to know about its row.")};
  m_table->setColumnCount(static_cast<int>(headers.size()));
  m_table->setHorizontalHeaderLabels(headers);
  for (int c = 0; c < headers.size(); ++c) m_table->horizontalHeaderItem(c)->setToolTip(tips[c]);
  m_table->setRowCount(static_cast<int>(rows.size()));
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    const CostRow& row = rows[static_cast<size_t>(r)];
    const QString dash = QStringLiteral("\u2014");
    QString formula = QString::fromStdString(row.formula);
    if (row.formulaValue >= 0) formula += tr(" = %L1").arg(row.formulaValue);
    const double metric = regression ? row.testRmse : row.testAccuracy;
    const QStringList cells{QString::fromStdString(row.method),
                            row.ran ? QString("%L1").arg(row.parameters) : dash,
                            formula,
                            row.ran ? bytes(row.stateBytes) : dash,
                            row.ran ? milliseconds(row.msPerStep) : dash,
                            row.ran ? milliseconds(row.msPerPredictiveSample) : dash,
                            number(row.testLogLikelihood),
                            regression || !std::isfinite(metric)
                                ? number(metric)
                                : QString("%1 %").arg(100.0 * metric, 0, 'f', 1),
                            QString::fromStdString(row.note)};
    for (int c = 0; c < cells.size(); ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (c == 0 || c == 2 || c == 8)
        item->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
      else
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (c == 0) item->setToolTip(QString::fromStdString(row.displayName));
      if (c == 3 && row.ran) item->setToolTip(tr("%L1 bytes").arg(row.stateBytes));
      if (c == 8 || c == 2) item->setToolTip(cells[c]);
      if (!row.ran) item->setForeground(QColor(120, 120, 120));
      m_table->setItem(r, c, item);
    }
  }
  m_table->resizeColumnsToContents();
  m_table->resizeRowsToContents();
  // The note can be long: it takes the rest of the width and shows in full on hover.
  m_table->horizontalHeader()->setStretchLastSection(true);
  fitTableHeight();
}

void CostView::fitTableHeight() {
  // Exactly as tall as its rows (the view scrolls, not the table).
  int height = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
  for (int r = 0; r < m_table->rowCount(); ++r) height += m_table->rowHeight(r);
  if (m_table->horizontalHeader()->length() > m_table->viewport()->width())
    height += m_table->horizontalScrollBar()->sizeHint().height();
  if (m_table->height() != height) m_table->setFixedHeight(height);
}

void CostView::elideInfo() {
  // The whole text is in the tooltip; the line ends in an ellipsis when it is cut.
  const QString shown =
      m_info->fontMetrics().elidedText(m_infoText, Qt::ElideRight, std::max(0, m_info->width()));
  if (m_info->text() != shown) m_info->setText(shown);
}

bool CostView::eventFilter(QObject* watched, QEvent* event) {
  if (watched == m_info && event->type() == QEvent::Resize) elideInfo();
  return ChartPanel::eventFilter(watched, event);
}

void CostView::resizeEvent(QResizeEvent* event) {
  ChartPanel::resizeEvent(event);
  fitTableHeight();  // a narrower view may need the table's horizontal scroll bar
}

void CostView::updateInfo() {
  QString info, details;
  if (m_busy) {
    info = tr("Measuring: %1").arg(m_progressText);
    details = info;
  } else if (m_frame && m_frame->complete && m_frame->error.isEmpty()) {
    const CostMeasurement& m = m_frame->measurement;
    info = tr("%1 methods \u00d7 %L2 steps, %3, %4 thread(s): %5 s")
               .arg(m.rows.size())
               .arg(m.steps)
               .arg(QString::fromStdString(m.layout))
               .arg(m.threads)
               .arg(m.seconds, 0, 'f', 1);
    details = tr("%1 methods \u00d7 %L2 training steps each on %3 (network %4), %5 thread(s); "
                 "time per sample: %6 function draws on %L7 test points; %8 s in all")
                  .arg(m.rows.size())
                  .arg(m.steps)
                  .arg(m_frame->dataset, QString::fromStdString(m.layout))
                  .arg(m.threads)
                  .arg(m.predictiveDraws)
                  .arg(m.testPoints)
                  .arg(m.seconds, 0, 'f', 1);
    if (m.cancelled) {
      info += tr(" (cancelled)");
      details += tr(" (cancelled)");
    }
    // The reading: the best test log-likelihood and what it costs against the fastest.
    const CostRow* best = nullptr;
    const CostRow* fastest = nullptr;
    for (const CostRow& r : m.rows) {
      if (!r.ran || !std::isfinite(r.testLogLikelihood) || !std::isfinite(r.msPerStep)) continue;
      if (!best || r.testLogLikelihood > best->testLogLikelihood) best = &r;
      if (!fastest || r.msPerStep < fastest->msPerStep) fastest = &r;
    }
    if (best && fastest && best != fastest) {
      const QString reading =
          tr("best test log-likelihood %1 (%2) at %3\u00d7 the time per step of %4")
              .arg(QString::fromStdString(best->method), number(best->testLogLikelihood, 3))
              .arg(best->msPerStep / fastest->msPerStep, 0, 'g', 3)
              .arg(QString::fromStdString(fastest->method));
      info += "; " + reading;
      details += ".\n" + reading.left(1).toUpper() + reading.mid(1);
    }
    if (!m.note.empty()) details += ".\n" + QString::fromStdString(m.note);
  }
  m_infoText = info;
  elideInfo();
  m_info->setToolTip(details.isEmpty() ? tr("What the last measurement covered, and its reading.")
                                       : details + ".");
}

QStringList CostView::pointLabels(int chart) const {
  const Scatter& s = chart == 0 ? m_time : m_parameters;
  QStringList labels;
  for (size_t i = 0; i < s.points.size(); ++i) labels << s.labels[i]->text();
  return labels;
}

bool CostView::logarithmicX(int chart) const {
  return (chart == 0 ? m_time : m_parameters).logarithmic;
}

std::vector<CsvTable> CostView::csvTables() const {
  if (!m_frame || m_frame->measurement.rows.empty()) return {};
  return {{QString(), QString::fromStdString(costCsv(m_frame->measurement))}};
}

QList<QChartView*> CostView::chartViews() const {
  return {m_time.view, m_parameters.view};
}

}  // namespace bayeslab::ui
