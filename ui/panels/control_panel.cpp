#include "ui/panels/control_panel.h"

#include <QVBoxLayout>

#include "ui/panels/data_panel.h"
#include "ui/panels/formula_panel.h"
#include "ui/panels/likelihood_panel.h"
#include "ui/panels/method_panel.h"
#include "ui/panels/model_panel.h"
#include "ui/panels/prior_panel.h"
#include "ui/panels/sequential_panel.h"
#include "ui/panels/training_panel.h"

namespace bayeslab::ui {

ControlPanel::ControlPanel(QWidget* parent) : QScrollArea(parent) {
  auto* content = new QWidget(this);
  m_data = new DataPanel(content);
  m_model = new ModelPanel(content);
  m_likelihood = new LikelihoodPanel(content);
  m_method = new MethodPanel(content);
  m_prior = new PriorPanel(content);
  m_training = new TrainingPanel(content);
  m_sequential = new SequentialPanel(content);
  auto* layout = new QVBoxLayout(content);
  for (SessionPanel* section : sections()) {
    layout->addWidget(section);
    connect(section, &SessionPanel::edited, this, [this] {
      syncDependents();
      emit edited();
    });
  }
  layout->addStretch(1);
  setWidget(content);
  setWidgetResizable(true);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setMinimumWidth(340);
  syncDependents();
}

QList<SessionPanel*> ControlPanel::sections() const {
  return {m_data, m_model, m_likelihood, m_method, m_prior, m_training, m_sequential};
}

void ControlPanel::setSession(const SessionConfig& config) {
  m_base = config;
  for (SessionPanel* section : sections()) section->setSession(config);
  syncDependents();
}

SessionConfig ControlPanel::session() const {
  // Settings no section shows (e.g. training.eval_every) keep their loaded values.
  SessionConfig config = m_base;
  for (SessionPanel* section : sections()) section->writeTo(config);
  return config;
}

std::optional<QString> ControlPanel::inputError() const {
  for (SessionPanel* section : sections())
    if (auto error = section->inputError()) return error;
  return std::nullopt;
}

void ControlPanel::setTrainingDataSize(Index points) {
  m_training->setDataSize(points);
}

void ControlPanel::setPresentationMode(bool on) {
  setFontScale(on ? 1.35 : 1.0);
}

void ControlPanel::setFontScale(double scale) {
  QFont f = font();
  f.setPointSizeF(QWidget().font().pointSizeF() * scale);
  widget()->setFont(f);
}

void ControlPanel::syncDependents() {
  m_likelihood->setTask(m_data->task());
  if (const MethodDescriptor* method = m_method->method()) {
    m_training->setMethodTraits(method->traits);
    m_prior->setMethod(method);
  }
  const SessionConfig config = session();
  m_method->formulaPanel()->setPrior(m_prior->prior(), config.prior.options);
}

}  // namespace bayeslab::ui
