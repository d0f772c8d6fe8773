#include "ui/views/reference_view.h"

#include <QChartView>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QTextStream>
#include <QVBoxLayout>
#include <cmath>
#include <cstring>

#include "ui/training/posterior_draws.h"
#include "ui/views/text_chart.h"

namespace bayeslab::ui {

namespace {

// The method's own estimate of log p(D), when it reports one (Laplace's evidence).
constexpr const char* kMethodEvidenceExtra = "log_marginal_likelihood";

QString number(double v, int decimals = 2) {
  if (!std::isfinite(v)) return QStringLiteral("\u2014");
  return QString::number(v, 'f', decimals).replace('-', QChar(0x2212));
}

QString comparisonHtml(const ReferenceComparison& c, const QString& reference) {
  QString html =
      QObject::tr(
          "<b>Over all %1 parameters</b>, against the %2:<br>"
          "means within %3 %2 sds; sd ratio %4 \u2013 %5")
          .arg(c.parameters)
          .arg(reference, number(c.maxMeanError), number(c.minStdRatio), number(c.maxStdRatio));
  QString meaning;
  if (c.maxStdRatio < 0.9)
    meaning = QObject::tr("Ratios below 1: more certain than the data justify (over-confident).");
  else if (c.minStdRatio > 1.1)
    meaning = QObject::tr("Ratios above 1: less certain than it should be (under-confident).");
  else if (c.minStdRatio >= 0.9 && c.maxStdRatio <= 1.1)
    meaning = QObject::tr("Ratios near 1: the spread is right.");
  else
    meaning = QObject::tr("Some sds too small, some too large.");
  return html + "<br><span style='color:#555'>" + meaning + "</span>";
}

}  // namespace

ReferenceView::ReferenceView(QWidget* parent)
    : ChartPanel("reference", tr("Exact reference"), parent) {
  setToolTip(
      tr("The method's posterior beside the exact one (Bayesian linear regression) or beside "
         "a pinned reference run."));
  m_aBox = new QComboBox(this);
  m_bBox = new QComboBox(this);
  m_aBox->setObjectName("referenceWeightA");
  m_bBox->setObjectName("referenceWeightB");
  m_aBox->setToolTip(
      tr("First parameter of the pair: its marginal on the left, the x axis of "
         "the joint plot."));
  m_bBox->setToolTip(
      tr("Second parameter of the pair: its marginal below the first, the y "
         "axis of the joint plot."));
  for (QComboBox* box : {m_aBox, m_bBox})
    connect(box, &QComboBox::currentIndexChanged, this, [this] {
      if (m_aBox->currentIndex() < 0 || m_bBox->currentIndex() < 0) return;
      emit pairChanged(pairA(), pairB());
    });

  m_readout = new TextChart;
  m_aView = makeChartView(m_marginalA.chart());
  m_bView = makeChartView(m_marginalB.chart());
  m_pairView = makeChartView(m_pair.chart());
  m_bandView = makeChartView(m_band.chart());
  m_readoutView = makeChartView(m_readout->chart());
  m_aView->setToolTip(
      tr("Exact Gaussian density (black) against the method's Gaussian or the "
         "histogram of its draws (blue); a pinned reference run dashed."));
  m_bView->setToolTip(m_aView->toolTip());
  m_pairView->setToolTip(
      tr("Exact 1\u03c3 and 2\u03c3 ellipses (black; 39% and 86% of the mass) against the "
         "method's (blue, dashed): from its covariance when it has draws, else axis-aligned from "
         "its marginal sds (a factorised q cannot tilt). Points: posterior draws."));
  m_bandView->setToolTip(
      tr("The method's predictive mean and \u00b12\u03c3 bands (filled: epistemic blue, total "
         "grey) against the exact ones (black: epistemic dashed, total dotted)."));
  m_readoutView->setToolTip(
      tr("log p(D) \u2212 ELBO = KL(q \u2016 p(w | D)) \u2265 0: the ELBO is a lower bound on "
         "the log evidence, tight only when q is the exact posterior."));
  m_readoutView->setMinimumWidth(260);

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 0);
  auto* label = new QLabel(tr("Parameters:"), this);
  label->setBuddy(m_aBox);
  bar->addWidget(label);
  bar->addWidget(m_aBox);
  bar->addWidget(new QLabel(tr("and"), this));
  bar->addWidget(m_bBox);
  bar->addStretch(1);

  auto* grid = new QGridLayout;
  grid->setSpacing(0);
  grid->addWidget(m_aView, 0, 0);
  grid->addWidget(m_bView, 1, 0);
  grid->addWidget(m_pairView, 0, 1, 2, 1);
  grid->addWidget(m_bandView, 0, 2);
  grid->addWidget(m_readoutView, 1, 2);
  grid->setColumnStretch(0, 3);
  grid->setColumnStretch(1, 4);
  grid->setColumnStretch(2, 4);
  grid->setRowStretch(0, 1);
  grid->setRowStretch(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  layout->addLayout(grid, 1);
  applyStyle();
  clear();
}

void ReferenceView::applyStyle() {
  const ChartStyle& s = style();
  m_marginalA.applyStyle(s);
  m_marginalB.applyStyle(s);
  m_pair.applyStyle(s);
  m_band.applyStyle(s);
  m_readout->setFont(s.labelFont());
  QFont font = m_aBox->font();
  font.setPointSizeF(9.0 * s.fontScale);
  for (QWidget* w : {static_cast<QWidget*>(m_aBox), static_cast<QWidget*>(m_bBox)})
    w->setFont(font);
  refresh();
}

void ReferenceView::setRun(const RunInfo& run) {
  m_methodName = QString::fromStdString(run.method->displayName);
  m_variational = run.method->traits.variational;
  m_names.exact = tr("exact");
  m_names.method = shortMethodName(*run.method);
  m_names.pinned = m_pinned ? m_pinned->label : tr("reference");
  for (auto* c : {&m_marginalA, &m_marginalB}) c->setNames(m_names);
  m_pair.setNames(m_names);
  m_band.setNames(m_names);
  m_band.setData(run.data->train);
  m_parameterNames = parameterNames(run.layout);
  {
    const QSignalBlocker blockA(m_aBox), blockB(m_bBox);
    m_aBox->clear();
    m_bBox->clear();
    m_aBox->addItems(m_parameterNames);
    m_bBox->addItems(m_parameterNames);
    m_aBox->setCurrentIndex(0);
    m_bBox->setCurrentIndex(std::min<int>(1, static_cast<int>(m_parameterNames.size()) - 1));
  }
  m_elbo.clear();
  m_upperBound.clear();
  m_methodEvidence = ReferenceFrame::kNaN;
  m_lastStep = 0;
  clear();
}

void ReferenceView::setPinned(PinnedReferencePtr pinned) {
  m_pinned = std::move(pinned);
  m_names.pinned = m_pinned ? m_pinned->label : tr("reference");
  for (auto* c : {&m_marginalA, &m_marginalB}) c->setNames(m_names);
  m_pair.setNames(m_names);
  m_band.setNames(m_names);
  refresh();
}

void ReferenceView::setPair(Index a, Index b) {
  if (a == pairA() && b == pairB()) return;
  {
    const QSignalBlocker blockA(m_aBox), blockB(m_bBox);
    m_aBox->setCurrentIndex(static_cast<int>(a));
    m_bBox->setCurrentIndex(static_cast<int>(b));
  }
  emit pairChanged(pairA(), pairB());
}

Index ReferenceView::pairA() const {
  return std::max(0, m_aBox->currentIndex());
}

Index ReferenceView::pairB() const {
  return std::max(0, m_bBox->currentIndex());
}

void ReferenceView::appendRows(const std::vector<MetricsRow>& rows) {
  for (const MetricsRow& row : rows) {
    m_lastStep = row.step;
    if (std::isfinite(row.elbo)) {
      m_elbo.push_back(row.elbo);
      if (m_elbo.size() > static_cast<size_t>(kElboWindow)) m_elbo.pop_front();
    }
    for (int e = 0; e < row.extraCount; ++e) {
      const auto& [name, value] = row.extras[static_cast<size_t>(e)];
      if (name && std::strcmp(name, "elbo_upper") == 0 && std::isfinite(value)) {
        m_upperBound.push_back(value);
        if (m_upperBound.size() > static_cast<size_t>(kElboWindow)) m_upperBound.pop_front();
      }
      if (name && std::strcmp(name, kMethodEvidenceExtra) == 0 && std::isfinite(value))
        m_methodEvidence = value;
    }
  }
  if (!rows.empty() && m_frame && isVisible()) updateReadout();
}

void ReferenceView::setFrame(ReferenceFramePtr frame) {
  m_frame = std::move(frame);
  refresh();
}

void ReferenceView::clear() {
  m_frame.reset();
  refresh();
}

void ReferenceView::refresh() {
  if (!m_frame) {
    const QString note = tr("computing\u2026");
    m_marginalA.clear(note);
    m_marginalB.clear(note);
    m_pair.clear(note);
    m_band.clear(QString());
    updateReadout();
    return;
  }
  const ReferenceFrame& f = *m_frame;
  const auto name = [this](Index i) {
    return i < m_parameterNames.size() ? m_parameterNames[static_cast<int>(i)]
                                       : QString("#%1").arg(i);
  };
  m_marginalA.update(f, true, name(f.a));
  m_marginalB.update(f, false, name(f.b));
  m_pair.update(f, name(f.a), name(f.b));
  m_band.update(f, m_pinned.get());
  updateReadout();
}

double ReferenceView::elboMean() const {
  if (m_elbo.empty() || !m_variational) return ReferenceFrame::kNaN;
  double sum = 0.0;
  for (double v : m_elbo) sum += v;
  return sum / static_cast<double>(m_elbo.size());
}

double ReferenceView::elboStandardError() const {
  const double mean = elboMean();
  if (!std::isfinite(mean) || m_elbo.size() < 2) return ReferenceFrame::kNaN;
  double ss = 0.0;
  for (double v : m_elbo) ss += (v - mean) * (v - mean);
  const double n = static_cast<double>(m_elbo.size());
  return std::sqrt(ss / (n - 1.0) / n);
}

double ReferenceView::evidenceGap() const {
  if (!m_frame) return ReferenceFrame::kNaN;
  return m_frame->logEvidence - elboMean();
}

QString ReferenceView::readoutText() const {
  return m_readout->plainText();
}

void ReferenceView::updateReadout() {
  m_readout->setHtml(readoutHtml());
}

QString ReferenceView::readoutHtml() const {
  if (!m_frame) return tr("<i>Computing the comparison\u2026</i>");
  const ReferenceFrame& f = *m_frame;
  QStringList parts;
  if (std::isfinite(f.logEvidence)) {
    parts << tr("<b>Exact log evidence</b> log p(D) = %1").arg(number(f.logEvidence));
    if (m_variational && std::isfinite(elboMean())) {
      const double gap = evidenceGap();
      parts << tr("<b>ELBO</b> (mean of the last %1 steps) = %2 \u00b1 %3")
                   .arg(m_elbo.size())
                   .arg(number(elboMean()), number(elboStandardError()));
      parts << tr("<b>Gap</b> log p(D) \u2212 ELBO = <b>%1</b> \u00b1 %2 nats")
                   .arg(number(gap), number(elboStandardError()));
      QString meaning =
          tr("The gap is KL(q \u2016 p(w | D)): what q loses against the exact posterior. The "
             "ELBO never exceeds log p(D); they meet only when q is the exact posterior.");
      if (!m_upperBound.empty()) {
        // Semi-implicit q: the trained objective is the K-sample lower bound L_K, below
        // the ELBO, and the method also reports the upper bound L^K above it.
        double upper = 0.0;
        for (double v : m_upperBound) upper += v;
        upper /= static_cast<double>(m_upperBound.size());
        parts.last() = tr("<b>Gap</b> log p(D) \u2212 L<sub>K</sub> = <b>%1</b> \u00b1 %2 nats")
                           .arg(number(gap), number(elboStandardError()));
        parts << tr("<b>Upper bound</b> L<sup>K</sup> on the ELBO (same steps) = %1")
                     .arg(number(upper));
        meaning = tr("Here the ELBO is not computable (q's density is implicit): the "
                     "\"ELBO\" above is the trained lower bound L<sub>K</sub>, and the ELBO "
                     "lies between L<sub>K</sub> and L<sup>K</sup>. So the gap is "
                     "KL(q \u2016 p(w | D)) plus how loose L<sub>K</sub> is; both bounds close in "
                     "on the ELBO as K grows. L<sup>K</sup> may exceed log p(D): it bounds the "
                     "ELBO, not the evidence.");
      }
      if (std::isfinite(f.closedFormKl))
        meaning +=
            tr(" In closed form from q's means and sds: KL = %1 nats.").arg(number(f.closedFormKl));
      parts << "<span style='color:#555'>" + meaning + "</span>";
    } else if (!m_variational) {
      parts << tr("<span style='color:#555'>%1 has no ELBO: its objective is no bound on "
                  "log p(D). Compare its weights and predictive instead.</span>")
                   .arg(m_methodName);
    }
    if (std::isfinite(m_methodEvidence))
      parts << tr("<b>Its own estimate</b> of log p(D) (log marginal likelihood) = %1")
                   .arg(number(m_methodEvidence));
  }
  if (f.vsExact) parts << comparisonHtml(*f.vsExact, tr("exact"));
  if (f.vsPinned && m_pinned)
    parts << tr("<b>Pinned reference:</b> %1 (%2, step %3).")
                 .arg(m_pinned->label, m_pinned->methodName)
                 .arg(m_pinned->step)
          << comparisonHtml(*f.vsPinned, tr("reference"));
  if (!std::isfinite(f.logEvidence) && !f.vsPinned)
    parts << tr(
        "No closed-form posterior for this model: pin a long HMC run as the reference "
        "(View > Pin as reference) and train other methods on the same data.");
  return parts.join("<br>");
}

std::vector<CsvTable> ReferenceView::csvTables() const {
  if (!m_frame) return {};
  const ReferenceFrame& f = *m_frame;
  std::vector<CsvTable> tables;
  {
    QString text;
    QTextStream out(&text);
    out.setRealNumberPrecision(10);
    out << "distribution,parameter_a,parameter_b,mean_a,mean_b,sd_a,sd_b,correlation\n";
    const QString a = m_parameterNames.value(static_cast<int>(f.a)),
                  b = m_parameterNames.value(static_cast<int>(f.b));
    const struct {
      const char* name;
      const PairView* view;
    } rows[] = {{"exact", &f.exact}, {"method", &f.method}, {"pinned", &f.pinned}};
    for (const auto& r : rows)
      if (r.view->present)
        out << r.name << "," << a << "," << b << "," << r.view->meanA << "," << r.view->meanB << ","
            << r.view->sdA << "," << r.view->sdB << ","
            << (r.view->fullCovariance ? r.view->correlation : 0.0) << "\n";
    tables.push_back({QString(), text});
  }
  {
    QString text;
    QTextStream out(&text);
    out.setRealNumberPrecision(10);
    out << "quantity,value\n";
    out << "step," << f.step << "\n";
    out << "log_evidence," << f.logEvidence << "\n";
    out << "elbo_mean," << elboMean() << "\n";
    out << "elbo_standard_error," << elboStandardError() << "\n";
    out << "gap," << evidenceGap() << "\n";
    if (!m_upperBound.empty()) {
      double upper = 0.0;
      for (double v : m_upperBound) upper += v;
      out << "elbo_upper_mean," << upper / static_cast<double>(m_upperBound.size()) << "\n";
    }
    out << "closed_form_kl," << f.closedFormKl << "\n";
    for (const auto& [name, c] : {std::pair{"exact", f.vsExact}, std::pair{"pinned", f.vsPinned}})
      if (c)
        out << name << "_max_mean_error," << c->maxMeanError << "\n"
            << name << "_min_std_ratio," << c->minStdRatio << "\n"
            << name << "_max_std_ratio," << c->maxStdRatio << "\n";
    tables.push_back({QStringLiteral("summary"), text});
  }
  if (!f.x.empty()) {
    QString text;
    QTextStream out(&text);
    out.setRealNumberPrecision(8);
    out << "x0,mean,std_epistemic,std_total,exact_mean,exact_std_epistemic,exact_std_total\n";
    for (size_t i = 0; i < f.x.size(); ++i) {
      out << f.x[i] << "," << f.methodBand.mean[i] << "," << f.methodBand.sdEpistemic[i] << ","
          << f.methodBand.sdTotal[i];
      if (i < f.exactBand.mean.size())
        out << "," << f.exactBand.mean[i] << "," << f.exactBand.sdEpistemic[i] << ","
            << f.exactBand.sdTotal[i];
      else
        out << ",,,";
      out << "\n";
    }
    tables.push_back({QStringLiteral("predictive"), text});
  }
  if (!f.method.draws.empty()) {
    QString text;
    QTextStream out(&text);
    out.setRealNumberPrecision(8);
    out << "a,b\n";
    for (size_t i = 0; i < f.method.draws.a.size(); ++i)
      out << f.method.draws.a[i] << "," << f.method.draws.b[i] << "\n";
    tables.push_back({QStringLiteral("draws"), text});
  }
  return tables;
}

QList<QChartView*> ReferenceView::chartViews() const {
  return {m_aView, m_bView, m_pairView, m_bandView, m_readoutView};
}

}  // namespace bayeslab::ui
