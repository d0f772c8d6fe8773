#include "ui/panels/prior_panel.h"

#include <QComboBox>
#include <QLabel>
#include <QVBoxLayout>
#include <exception>

#include "engine/prior/prior.h"
#include "ui/panels/option_form.h"

namespace bayeslab::ui {

PriorPanel::PriorPanel(QWidget* parent) : SessionPanel(tr("Prior"), parent) {
  m_priorBox = new QComboBox(this);
  m_priorBox->setObjectName("priorBox");
  for (const PriorDescriptor& p : priorRegistry()) {
    m_priorBox->addItem(QString::fromStdString(p.displayName), QString::fromStdString(p.id));
    m_priorBox->setItemData(m_priorBox->count() - 1, QString::fromStdString(p.description),
                            Qt::ToolTipRole);
  }
  m_priorBox->setToolTip(
      tr("The prior p(w) on every weight and bias. Changing the family starts "
         "a new run; live options (such as the scale) apply at once."));
  m_description = new QLabel(this);
  m_description->setWordWrap(true);
  m_description->setForegroundRole(QPalette::PlaceholderText);
  m_kl = new QLabel(this);
  m_kl->setObjectName("klKindLabel");
  m_kl->setWordWrap(true);
  m_kl->setTextFormat(Qt::RichText);
  m_kl->setToolTip(
      tr("How the prior term of the objective is computed for the chosen method and prior. A "
         "Monte Carlo KL adds noise to every step; a closed form does not."));
  m_form = new OptionForm(this);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_priorBox);
  layout->addWidget(m_description);
  layout->addWidget(m_kl);
  layout->addWidget(m_form);

  connect(m_priorBox, &QComboBox::currentIndexChanged, this, [this] {
    showPrior(m_priorBox->currentData().toString().toStdString(), {});
    emit edited();
  });
  connect(m_form, &OptionForm::valueChanged, this, &SessionPanel::edited);
  showPrior(priorRegistry().front().id, {});
}

void PriorPanel::showPrior(const std::string& id, const OptionValues& values) {
  const PriorDescriptor* d = findPrior(id);
  if (!d) return;
  {
    const QSignalBlocker block(m_priorBox);
    m_priorBox->setCurrentIndex(m_priorBox->findData(QString::fromStdString(id)));
  }
  m_description->setText(QString::fromStdString(d->description));
  m_form->setSpecs(d->options, values);
  updateKlText();
}

void PriorPanel::setMethod(const MethodDescriptor* method) {
  m_method = method;
  updateKlText();
}

QString PriorPanel::klText() const {
  return m_kl->text();
}

void PriorPanel::updateKlText() {
  const PriorDescriptor* d = prior();
  if (!d) return;
  // What the method's "KL" column holds says how the prior enters.
  const std::string label = m_method ? m_method->klLabel : "KL(q || p)";
  if (label.rfind("KL", 0) != 0) {
    m_kl->setText(tr("<b>Prior term:</b> %1 (this method has no KL to a Gaussian q).")
                      .arg(QString::fromStdString(label).toHtmlEscaped()));
    return;
  }
  bool closedForm = false;
  try {
    closedForm = makePrior(PriorConfig{d->id, m_form->values()})->hasClosedFormKl();
  } catch (const std::exception&) {
    m_kl->setText(QString());
    return;
  }
  m_kl->setText(closedForm ? tr("<b>KL(q&#8214;p): closed form</b> (exact, no sampling noise).")
                           : tr("<b>KL(q&#8214;p): Monte Carlo</b>, log q(w) &minus; log p(w) "
                                "at the sampled weights (no closed form for this prior)."));
}

const PriorDescriptor* PriorPanel::prior() const {
  return findPrior(m_priorBox->currentData().toString().toStdString());
}

void PriorPanel::setSession(const SessionConfig& config) {
  showPrior(config.prior.name, config.prior.options);
}

void PriorPanel::writeTo(SessionConfig& config) const {
  config.prior.name = m_priorBox->currentData().toString().toStdString();
  config.prior.options = m_form->values();
}

}  // namespace bayeslab::ui
