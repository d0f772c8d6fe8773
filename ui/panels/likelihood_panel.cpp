#include "ui/panels/likelihood_panel.h"

#include <QVBoxLayout>

#include "ui/panels/option_form.h"

namespace bayeslab::ui {

namespace {

OptionSpecs likelihoodSpecs() {
  const LikelihoodConfig defaults;
  OptionSpecs specs = {
      OptionSpec::choice("name", "Observation model",
                         "How targets are generated from the network output: gaussian "
                         "(regression), bernoulli (two classes), softmax (K classes); auto "
                         "chooses from the data.",
                         likelihoodNames(), defaults.name),
      OptionSpec::real("noise_std", "Noise std",
                       "Standard deviation of the Gaussian observation noise (the initial value "
                       "when it is learned). It sets the width of the aleatoric band.",
                       defaults.noiseStd, 1e-6, 1e6),
      OptionSpec::boolean("learn_noise", "Learn noise",
                          "Learn the noise std by maximising the objective (a point estimate) "
                          "instead of keeping it fixed.",
                          defaults.learnNoise),
  };
  specs[1].logScale = true;
  return specs;
}

}  // namespace

LikelihoodPanel::LikelihoodPanel(QWidget* parent) : SessionPanel(tr("Likelihood"), parent) {
  m_form = new OptionForm(this);
  m_form->setSpecs(likelihoodSpecs());
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_form);
  connect(m_form, &OptionForm::valueChanged, this, &SessionPanel::edited);
}

void LikelihoodPanel::setSession(const SessionConfig& config) {
  OptionValues values;
  values.set("name", config.likelihood.name);
  values.set("noise_std", config.likelihood.noiseStd);
  values.set("learn_noise", config.likelihood.learnNoise ? 1.0 : 0.0);
  m_form->setValues(values);
}

void LikelihoodPanel::writeTo(SessionConfig& config) const {
  const OptionValues values = m_form->values();
  config.likelihood.name = values.text("name");
  config.likelihood.noiseStd = values.number("noise_std");
  config.likelihood.learnNoise = values.flag("learn_noise");
}

void LikelihoodPanel::setTask(std::optional<Task> task) {
  const bool classification = task && *task == Task::Classification;
  const QString why = tr("Classification has no observation noise.");
  m_form->setRowEnabled("noise_std", !classification, why);
  m_form->setRowEnabled("learn_noise", !classification, why);
}

}  // namespace bayeslab::ui
