#include "ui/panels/sequential_panel.h"

#include <QVBoxLayout>

#include "ui/panels/option_form.h"

namespace bayeslab::ui {

namespace {

OptionSpecs sequentialSpecs() {
  const SequentialConfig d;
  return {
      OptionSpec::integer("parts", "Data parts",
                          "Split the training data into this many parts that arrive one after "
                          "another; the steps are shared equally and at each hand-over the "
                          "current posterior becomes the prior. 1: ordinary training.",
                          d.parts, 1, 50),
      OptionSpec::choice("split", "Split",
                         "sorted: along the first input, so new regions of input space arrive "
                         "(watch the uncertainty move); random: exchangeable parts.",
                         {"sorted", "random"}, d.split),
  };
}

}  // namespace

SequentialPanel::SequentialPanel(QWidget* parent)
    : SessionPanel(tr("Sequential learning"), parent) {
  m_form = new OptionForm(this);
  m_form->setSpecs(sequentialSpecs());
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_form);
  connect(m_form, &OptionForm::valueChanged, this, &SessionPanel::edited);
}

void SequentialPanel::setSession(const SessionConfig& config) {
  OptionValues v;
  v.set("parts", static_cast<double>(config.sequential.parts));
  v.set("split", config.sequential.split);
  m_form->setValues(v);
}

void SequentialPanel::writeTo(SessionConfig& config) const {
  const OptionValues v = m_form->values();
  config.sequential.parts = v.integer("parts");
  config.sequential.split = v.text("split");
}

}  // namespace bayeslab::ui
