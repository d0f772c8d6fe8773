#include "ui/views/chains_view.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
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
#include <cstring>

#include "ui/training/posterior_draws.h"
#include "ui/views/histogram.h"
#include "ui/views/plot_note.h"

namespace bayeslab::ui {

namespace {

// Extras the view shows in its own way (or that belong to another parameter).
constexpr const char* kKeptExtra = "kept_samples";
constexpr const char* kOwnExtras[] = {"kept_samples", "monitored_weight", "r_hat", "ess"};
constexpr double kRhatTarget = 1.01;  // Vehtari et al. (2021): below it, the chains agree

QString number(double v, int precision = 3) {
  if (!std::isfinite(v)) return QStringLiteral("\u2014");
  return QString::number(v, 'g', precision).replace('-', QChar(0x2212));
}

QString readable(const std::string& name) {
  return QString::fromStdString(name).replace('_', ' ');
}

QChart* newChainChart(QValueAxis*& x, QValueAxis*& y) {
  auto* chart = new QChart;
  x = new QValueAxis;
  y = new QValueAxis;
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  return chart;
}

}  // namespace

ChainsView::ChainsView(QWidget* parent) : ChartPanel("chains", tr("Markov chains"), parent) {
  setToolTip(
      tr("The sampler's chains for one parameter: trace, convergence (R\u0302, effective "
         "sample size) and autocorrelation."));
  m_parameterBox = new QComboBox(this);
  m_parameterBox->setObjectName("chainParameter");
  m_parameterBox->setToolTip(tr("The parameter whose chains are shown."));
  connect(m_parameterBox, &QComboBox::currentIndexChanged, this, [this] {
    if (m_parameterBox->currentIndex() >= 0) emit parameterChanged(parameter());
  });
  m_header = new QLabel(this);
  m_header->setObjectName("chainHeader");
  m_header->setTextFormat(Qt::RichText);
  m_header->setToolTip(
      tr("Chains, kept draws (after warm-up and thinning), split R\u0302 and effective sample "
         "size of the parameter, and the sampler's latest per-step values. The ESS can exceed "
         "the number of draws when successive draws are anti-correlated (HMC often makes them "
         "so)."));

  m_traceChart = newChainChart(m_traceStep, m_traceValue);
  m_warmup = addArea(m_traceChart, m_traceStep, m_traceValue,
                     tr("warm-up / burn-in (draws discarded)"), QColor(150, 150, 150, 50), true);
  m_exactMean = addLine(m_traceChart, m_traceStep, m_traceValue, tr("exact mean \u00b12 sd"),
                        palette::kInk, 1.6, Qt::DashLine);
  m_exactUpper =
      addLine(m_traceChart, m_traceStep, m_traceValue, QString(), palette::kInk, 1.0, Qt::DotLine);
  m_exactLower =
      addLine(m_traceChart, m_traceStep, m_traceValue, QString(), palette::kInk, 1.0, Qt::DotLine);
  hideFromLegend(m_traceChart, m_exactUpper);
  hideFromLegend(m_traceChart, m_exactLower);
  m_traceNote = new PlotNote(m_traceChart);
  m_traceView = makeChartView(m_traceChart);
  m_traceView->setToolTip(
      tr("Each chain's kept draws of the parameter against the training step. Chains that mix "
         "look like overlapping stationary bands; a drift or chains in different places mean "
         "the draws are not yet from the posterior."));

  m_acfChart = newChainChart(m_lagAxis, m_rhoAxis);
  m_acfZero = addLine(m_acfChart, m_lagAxis, m_rhoAxis, QString(), QColor(150, 150, 150), 1.0);
  m_acf = addLine(m_acfChart, m_lagAxis, m_rhoAxis, tr("autocorrelation"), palette::kGreen, 2.0);
  m_acf->setPointsVisible(true);
  m_acfChart->legend()->hide();
  m_acfView = makeChartView(m_acfChart);
  m_acfView->setToolTip(
      tr("Correlation between draws k steps apart (all chains, split in halves). The faster it "
         "falls to 0, the more independent draws the chain is worth."));

  m_runningChart = newChainChart(m_runningStep, m_rhatAxis);
  m_essAxis = new QValueAxis;
  m_runningChart->addAxis(m_essAxis, Qt::AlignRight);
  m_rhatTarget = addLine(m_runningChart, m_runningStep, m_rhatAxis, tr("R\u0302 = 1.01"),
                         QColor(120, 120, 120), 1.2, Qt::DashLine);
  hideFromLegend(m_runningChart, m_rhatTarget);
  m_rhat = addLine(m_runningChart, m_runningStep, m_rhatAxis, tr("split R\u0302 (dashed: 1.01)"),
                   palette::kVermillion, 2.0);
  m_ess = new QLineSeries;
  m_ess->setName(tr("effective sample size"));
  m_ess->setPen(QPen(palette::kBlue, 2.0));
  m_runningChart->addSeries(m_ess);
  m_ess->attachAxis(m_runningStep);
  m_ess->attachAxis(m_essAxis);
  m_runningView = makeChartView(m_runningChart);
  m_runningView->setToolTip(
      tr("Split R\u0302 and the effective sample size over the draws kept up to each step. "
         "R\u0302 below about 1.01 and a growing ESS: the chains agree and mix."));

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 0);
  auto* label = new QLabel(tr("Parameter:"), this);
  label->setBuddy(m_parameterBox);
  bar->addWidget(label);
  bar->addWidget(m_parameterBox);
  bar->addSpacing(12);
  bar->addWidget(m_header, 1);
  auto* lower = new QHBoxLayout;
  lower->setSpacing(0);
  lower->addWidget(m_acfView, 1);
  lower->addWidget(m_runningView, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  layout->addWidget(m_traceView, 4);
  layout->addLayout(lower, 3);
  applyStyle();
  clear();
}

void ChainsView::applyStyle() {
  const ChartStyle& s = style();
  for (QChart* c : {m_traceChart, m_acfChart, m_runningChart}) s.apply(c);
  s.apply(m_traceStep, tr("training step"));
  s.apply(m_traceValue, m_parameterNames.value(static_cast<int>(parameter())));
  s.apply(m_lagAxis, tr("lag (kept draws)"));
  s.apply(m_rhoAxis, tr("autocorrelation"));
  // No axis title: the height goes to the plot (the trace above names the step axis).
  s.apply(m_runningStep, QString());
  s.apply(m_rhatAxis, tr("R\u0302"));
  s.apply(m_essAxis, tr("ESS"));
  m_essAxis->setGridLineVisible(false);
  m_acfChart->setTitle(tr("Autocorrelation"));
  m_runningChart->setTitle(tr("Convergence as draws accumulate (by training step)"));
  m_acfChart->legend()->hide();
  m_traceNote->setFont(s.axisTitleFont());
  QFont font = m_parameterBox->font();
  font.setPointSizeF(9.0 * s.fontScale);
  m_parameterBox->setFont(font);
  m_header->setFont(font);
  refresh();
}

void ChainsView::setRun(const RunInfo& run, Index parameter) {
  m_parameterNames = parameterNames(run.layout);
  {
    const QSignalBlocker block(m_parameterBox);
    m_parameterBox->clear();
    m_parameterBox->addItems(m_parameterNames);
    m_parameterBox->setCurrentIndex(static_cast<int>(
        std::clamp<Index>(parameter, 0, std::max<Index>(0, run.layout.parameterCount() - 1))));
  }
  m_totalSteps = run.config.training.steps;
  m_exact = run.exact;
  m_extras.clear();
  m_lastStep = 0;
  m_firstKept = 0;
  m_keptKnown = false;
  clear();
}

void ChainsView::setExact(std::shared_ptr<const LinearRegressionPosterior> exact) {
  if (exact == m_exact) return;
  m_exact = std::move(exact);
  refresh();
}

void ChainsView::setParameter(Index parameter) {
  m_parameterBox->setCurrentIndex(static_cast<int>(parameter));
}

Index ChainsView::parameter() const {
  return std::max(0, m_parameterBox->currentIndex());
}

void ChainsView::appendRows(const std::vector<MetricsRow>& rows) {
  if (rows.empty()) return;
  for (const MetricsRow& row : rows) {
    m_lastStep = row.step;
    for (int e = 0; e < row.extraCount; ++e) {
      const auto& [name, value] = row.extras[static_cast<size_t>(e)];
      if (!name || std::strcmp(name, kKeptExtra) != 0) continue;
      m_keptKnown = true;
      if (value > 0 && m_firstKept == 0) m_firstKept = row.step;
    }
  }
  const MetricsRow& last = rows.back();
  m_extras.clear();
  for (int e = 0; e < last.extraCount; ++e) {
    const auto& [name, value] = last.extras[static_cast<size_t>(e)];
    if (name) m_extras.emplace_back(name, value);
  }
  if (isVisible()) {
    updateHeader();
    updateWarmup();
  }
}

Index ChainsView::warmupEnd() const {
  if (!m_keptKnown) return 0;
  return m_firstKept > 0 ? m_firstKept : -1;
}

void ChainsView::setFrame(ChainFramePtr frame) {
  m_frame = std::move(frame);
  refresh();
}

void ChainsView::clear() {
  m_frame.reset();
  refresh();
}

int ChainsView::chainLineCount() const {
  int n = 0;
  for (const QLineSeries* s : m_chains) n += s->count() > 0 ? 1 : 0;
  return n;
}

const QLineSeries* ChainsView::chainSeries(int k) const {
  return k >= 0 && k < static_cast<int>(m_chains.size()) ? m_chains[static_cast<size_t>(k)]
                                                         : nullptr;
}

QString ChainsView::traceTitle() const {
  return m_traceChart->title();
}

QString ChainsView::headerText() const {
  return m_header->text();
}

void ChainsView::refresh() {
  const QString name = m_parameterNames.value(static_cast<int>(parameter()));
  m_traceValue->setTitleText(name);
  const ChainFrame* f = m_frame.get();
  const size_t chains = f ? std::min<size_t>(f->trace.values.size(), kMaxChains) : 0;
  while (m_chains.size() < chains) {
    const int k = static_cast<int>(m_chains.size());
    QLineSeries* line = addLine(m_traceChart, m_traceStep, m_traceValue, tr("chain %1").arg(k + 1),
                                palette::classColor(k, 8), 1.2);
    m_chains.push_back(line);
  }
  const bool warming = warmupEnd() < 0;
  std::vector<double> values;
  for (size_t k = 0; k < m_chains.size(); ++k) {
    QLineSeries* line = m_chains[k];
    QList<QPointF> points;
    if (k < chains) {
      const auto& v = f->trace.values[k];
      const auto& s = f->trace.steps[k];
      const size_t n = std::min(v.size(), s.size());
      const size_t stride = std::max<size_t>(1, (n + kMaxPointsPerChain - 1) / kMaxPointsPerChain);
      points.reserve(static_cast<qsizetype>(n / stride + 1));
      for (size_t i = 0; i < n; i += stride) points.append({static_cast<double>(s[i]), v[i]});
      values.insert(values.end(), v.begin(), v.end());
    }
    line->replace(points);
    line->setPointsVisible(warming || points.size() == 1);
    // A legend of 32 chains says nothing.
    setLegendEntryVisible(m_traceChart, line, k < chains && chains <= 8);
  }

  // The exact posterior of this parameter, when the session has one.
  const Index p = parameter();
  QList<QPointF> mean, upper, lower;
  const double xMax =
      std::max<double>({10.0, static_cast<double>(m_totalSteps), static_cast<double>(m_lastStep)});
  if (m_exact && p < m_exact->mean.size()) {
    const double m = m_exact->mean(p), sd = std::sqrt(m_exact->covariance(p, p));
    mean = {QPointF(0, m), QPointF(xMax, m)};
    upper = {QPointF(0, m + 2 * sd), QPointF(xMax, m + 2 * sd)};
    lower = {QPointF(0, m - 2 * sd), QPointF(xMax, m - 2 * sd)};
    values.push_back(m - 3 * sd);
    values.push_back(m + 3 * sd);
  }
  m_exactMean->replace(mean);
  m_exactUpper->replace(upper);
  m_exactLower->replace(lower);
  setLegendEntryVisible(m_traceChart, m_exactMean, !mean.isEmpty());

  setNiceTicks(m_traceStep, 0.0, xMax, style().ticks(8));
  if (!values.empty()) {
    auto [lo, hi] = quantileRange(values, 0.0, 1.0);
    setStickyRange(m_traceValue, lo, hi, style().ticks(6), 2.0);
  }
  if (!f || f->draws == 0)
    m_traceNote->setText(f ? tr("no draws yet") : tr("computing\u2026"));
  else if (warming)
    m_traceNote->setText(tr("warming up: the chains' current states; draws are kept after it"));
  else
    m_traceNote->setText(QString());
  const QString chainCount = chains == 1 ? tr("1 chain") : tr("%1 chains").arg(chains);
  if (!f)
    m_traceChart->setTitle(tr("Trace of %1").arg(name));
  else if (warming)
    m_traceChart->setTitle(tr("Trace of %1: %2, warming up").arg(name, chainCount));
  else
    m_traceChart->setTitle(tr("Trace of %1: %2, %3 draws, R\u0302 %4, ESS %5")
                               .arg(name, chainCount)
                               .arg(f->draws)
                               .arg(number(f->rhat, 4), number(f->ess, 4)));

  // Autocorrelation.
  // Lags up to a few times the one where the correlation has died out (at most kMaxLag).
  QList<QPointF> acf;
  if (f && !f->autocorrelation.empty()) {
    const std::vector<double>& rho = f->autocorrelation;
    size_t died = rho.size();
    for (size_t t = 1; t < rho.size(); ++t)
      if (std::abs(rho[t]) < 0.05) {
        died = t;
        break;
      }
    const size_t shown = std::min(rho.size(), std::max<size_t>(20, 4 * died + 1));
    for (size_t t = 0; t < shown; ++t) acf.append({static_cast<double>(t), rho[t]});
  }
  m_acf->replace(acf);
  m_acf->setPointsVisible(acf.size() <= 40);
  const double maxLag = std::max<double>(5.0, acf.isEmpty() ? 0.0 : acf.back().x());
  m_acfZero->replace({QPointF(0, 0), QPointF(maxLag, 0)});
  double rhoLo = 0.0;
  for (const QPointF& q : acf) rhoLo = std::min(rhoLo, q.y());
  setNiceTicks(m_lagAxis, 0.0, maxLag, style().ticks(6));
  setNiceRange(m_rhoAxis, std::max(-1.0, rhoLo), 1.0, 5);
  m_acfChart->setTitle(
      !acf.isEmpty() ? tr("Autocorrelation (last %1 draws per chain)").arg(f->autocorrelationDraws)
                     : tr("Autocorrelation (needs 4 kept draws per chain)"));

  // Running R-hat and ESS.
  QList<QPointF> rhat, ess;
  double rhatLo = 0.99, rhatHi = 1.05, essHi = 10.0;
  if (f)
    for (size_t i = 0; i < f->runningStep.size(); ++i) {
      if (std::isfinite(f->runningRhat[i])) {
        rhat.append({f->runningStep[i], f->runningRhat[i]});
        rhatHi = std::max(rhatHi, std::min(f->runningRhat[i], 3.0));
        rhatLo = std::min(rhatLo, f->runningRhat[i]);
      }
      if (std::isfinite(f->runningEss[i])) {
        ess.append({f->runningStep[i], f->runningEss[i]});
        essHi = std::max(essHi, f->runningEss[i]);
      }
    }
  m_rhat->replace(rhat);
  m_ess->replace(ess);
  const double runLo = f && !f->runningStep.empty() ? f->runningStep.front() : 0.0;
  const double runHi = f && !f->runningStep.empty() ? f->runningStep.back() : xMax;
  setNiceTicks(m_runningStep, runLo, std::max(runHi, runLo + 1.0), style().ticks(5));
  m_rhatTarget->replace(
      {QPointF(runLo, kRhatTarget), QPointF(std::max(runHi, runLo + 1.0), kRhatTarget)});
  setStickyRange(m_rhatAxis, rhatLo, rhatHi, 4, 2.0);
  setStickyRange(m_essAxis, 0.0, essHi, 4, 1.6);

  updateHeader();
  updateWarmup();
}

void ChainsView::updateWarmup() {
  const Index end = warmupEnd();
  const double x = end < 0 ? static_cast<double>(m_lastStep) : static_cast<double>(end);
  QList<QPointF> top, bottom;
  if (x > 0) {
    top = {QPointF(0, m_traceValue->max()), QPointF(x, m_traceValue->max())};
    bottom = {QPointF(0, m_traceValue->min()), QPointF(x, m_traceValue->min())};
  }
  m_warmup.upper->replace(top);
  m_warmup.lower->replace(bottom);
  setLegendEntryVisible(m_traceChart, m_warmup.area, !top.isEmpty());
}

void ChainsView::updateHeader() {
  QStringList parts;
  const ChainFrame* f = m_frame.get();
  if (f)
    parts << (f->trace.values.size() == 1 ? tr("<b>1</b> chain")
                                          : tr("<b>%1</b> chains").arg(f->trace.values.size()));
  double kept = f ? static_cast<double>(f->draws) : 0.0;
  bool keptFromExtras = false;
  for (const auto& [name, value] : m_extras)
    if (name == kKeptExtra) kept = value, keptFromExtras = true;
  if (f || keptFromExtras)
    parts << (warmupEnd() < 0 ? tr("warming up (0 kept draws)")
                              : tr("<b>%1</b> kept draws").arg(static_cast<qint64>(kept)));
  if (f && warmupEnd() >= 0)
    parts << tr("R\u0302 <b>%1</b>").arg(number(f->rhat, 4))
          << tr("ESS <b>%1</b>").arg(number(f->ess, 4));
  for (const auto& [name, value] : m_extras) {
    if (std::any_of(std::begin(kOwnExtras), std::end(kOwnExtras),
                    [&](const char* own) { return name == own; }))
      continue;
    parts << tr("%1 %2").arg(readable(name), number(value));
  }
  m_header->setText(parts.join(QStringLiteral(" &nbsp;\u00b7&nbsp; ")));
}

std::vector<CsvTable> ChainsView::csvTables() const {
  if (!m_frame) return {};
  const ChainFrame& f = *m_frame;
  std::vector<CsvTable> tables;
  QString trace;
  QTextStream out(&trace);
  out.setRealNumberPrecision(10);
  out << "chain,step,value\n";
  for (size_t k = 0; k < f.trace.values.size(); ++k)
    for (size_t i = 0; i < f.trace.values[k].size() && i < f.trace.steps[k].size(); ++i)
      out << k + 1 << "," << f.trace.steps[k][i] << "," << f.trace.values[k][i] << "\n";
  tables.push_back({QString(), trace});
  QString running;
  QTextStream r(&running);
  r.setRealNumberPrecision(8);
  r << "step,r_hat,ess\n";
  for (size_t i = 0; i < f.runningStep.size(); ++i)
    r << f.runningStep[i] << "," << f.runningRhat[i] << "," << f.runningEss[i] << "\n";
  tables.push_back({QStringLiteral("convergence"), running});
  QString acf;
  QTextStream a(&acf);
  a.setRealNumberPrecision(8);
  a << "lag,autocorrelation\n";
  for (size_t t = 0; t < f.autocorrelation.size(); ++t)
    a << t << "," << f.autocorrelation[t] << "\n";
  tables.push_back({QStringLiteral("autocorrelation"), acf});
  return tables;
}

QList<QChartView*> ChainsView::chartViews() const {
  return {m_traceView, m_acfView, m_runningView};
}

}  // namespace bayeslab::ui
