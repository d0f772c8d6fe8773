#include "ui/panels/formula_panel.h"

namespace bayeslab::ui {

namespace {

QString optionText(const OptionSpecs& specs, const OptionValues& values) {
  QStringList parts;
  const OptionValues all = withDefaults(specs, values);
  for (const OptionSpec& spec : specs) {
    const QString label = QString::fromStdString(spec.label).toHtmlEscaped();
    if (spec.kind == OptionKind::Choice || spec.kind == OptionKind::Text)
      parts << label + " = " + QString::fromStdString(all.text(spec.key)).toHtmlEscaped();
    else
      parts << label + " = " + QString::number(all.number(spec.key), 'g', 4);
  }
  return parts.join(", ");
}

}  // namespace

FormulaPanel::FormulaPanel(QWidget* parent) : QLabel(parent) {
  setObjectName("formulaPanel");
  setTextFormat(Qt::RichText);
  setWordWrap(true);
  setTextInteractionFlags(Qt::TextSelectableByMouse);
  setFrameShape(QFrame::StyledPanel);
  setMargin(6);
  // A palette, not a style sheet, so the presentation-mode font still reaches it.
  setAutoFillBackground(true);
  QPalette p = palette();
  p.setColor(QPalette::Window, QColor(251, 251, 248));
  setPalette(p);
  setToolTip(tr("The objective the current method maximises, with the prior it uses."));
}

void FormulaPanel::setMethod(const MethodDescriptor* method) {
  m_method = method;
  rebuild();
}

void FormulaPanel::setPrior(const PriorDescriptor* prior, const OptionValues& options) {
  m_prior = prior;
  m_priorOptions = options;
  rebuild();
}

void FormulaPanel::rebuild() {
  QString html;
  if (m_method) {
    // The descriptors' explanation and objective are HTML already.
    html += "<p><b>" + QString::fromStdString(m_method->displayName).toHtmlEscaped() +
            "</b>: " + QString::fromStdString(m_method->summary).toHtmlEscaped() + "</p>";
    html += "<p style='font-size:large'>" + QString::fromStdString(m_method->objective) + "</p>";
    html += "<p>" + QString::fromStdString(m_method->explanation) + "</p>";
  }
  if (m_prior) {
    html += "<p><b>" + tr("Prior") + ":</b> " +
            QString::fromStdString(m_prior->formula).toHtmlEscaped();
    const QString options = optionText(m_prior->options, m_priorOptions);
    if (!options.isEmpty()) html += ", " + options;
    html += "</p>";
  }
  // Read as rich text like the explanation: descriptors write "&amp;" or a bare
  // "&" (which Qt's parser keeps as is), and both show as "&".
  if (m_method && !m_method->reference.empty())
    html += "<p style='color:#666'>" + QString::fromStdString(m_method->reference) + "</p>";
  setText(html);
}

}  // namespace bayeslab::ui
