#include "ui/panels/method_panel.h"

#include <QComboBox>
#include <QVBoxLayout>

#include "engine/methods/method_registry.h"
#include "ui/panels/formula_panel.h"
#include "ui/panels/option_form.h"

namespace bayeslab::ui {

MethodPanel::MethodPanel(QWidget* parent) : SessionPanel(tr("Method"), parent) {
  m_methodBox = new QComboBox(this);
  m_methodBox->setObjectName("methodBox");
  for (const MethodDescriptor& m : methodRegistry()) {
    m_methodBox->addItem(QString::fromStdString(m.displayName), QString::fromStdString(m.id));
    m_methodBox->setItemData(m_methodBox->count() - 1,
                             QString::fromStdString(m.summary + "\n" + m.reference),
                             Qt::ToolTipRole);
  }
  m_methodBox->setToolTip(tr("The approximate inference method. Changing it starts a new run."));
  m_form = new OptionForm(this);
  m_formula = new FormulaPanel(this);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_methodBox);
  layout->addWidget(m_form);
  layout->addWidget(m_formula);

  connect(m_methodBox, &QComboBox::currentIndexChanged, this, [this] {
    showMethod(m_methodBox->currentData().toString().toStdString(), {});
    emit edited();
  });
  connect(m_form, &OptionForm::valueChanged, this, &SessionPanel::edited);
  showMethod(methodRegistry().front().id, {});
}

void MethodPanel::showMethod(const std::string& id, const OptionValues& values) {
  const MethodDescriptor* d = findMethod(id);
  if (!d) return;
  {
    const QSignalBlocker block(m_methodBox);
    m_methodBox->setCurrentIndex(m_methodBox->findData(QString::fromStdString(id)));
  }
  m_form->setSpecs(d->options, values);
  m_form->setVisible(!d->options.empty());
  m_formula->setMethod(d);
}

const MethodDescriptor* MethodPanel::method() const {
  return findMethod(m_methodBox->currentData().toString().toStdString());
}

void MethodPanel::setSession(const SessionConfig& config) {
  showMethod(config.method.name, config.method.options);
}

void MethodPanel::writeTo(SessionConfig& config) const {
  config.method.name = m_methodBox->currentData().toString().toStdString();
  config.method.options = m_form->values();
}

}  // namespace bayeslab::ui
