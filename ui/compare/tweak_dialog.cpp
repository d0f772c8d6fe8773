#include "ui/compare/tweak_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include "ui/panels/method_panel.h"
#include "ui/panels/prior_panel.h"
#include "ui/panels/training_panel.h"

namespace bayeslab::ui {

TweakDialog::TweakDialog(const SessionConfig& config, QWidget* parent)
    : QDialog(parent), m_base(config) {
  setWindowTitle(tr("Duplicate and tweak a run"));
  m_method = new MethodPanel;
  m_prior = new PriorPanel;
  m_training = new TrainingPanel;
  for (SessionPanel* panel : std::initializer_list<SessionPanel*>{m_method, m_prior, m_training})
    panel->setSession(config);
  if (const MethodDescriptor* method = m_method->method()) {
    m_prior->setMethod(method);
    m_training->setMethodTraits(method->traits);
  }
  connect(m_method, &SessionPanel::edited, this, &TweakDialog::onMethodEdited);

  auto* intro = new QLabel(
      tr("The copy trains on the same data from the same seed. Change one knob to see "
         "what it does: the method, the prior and its scale, the learning rate, the number "
         "of Monte Carlo samples."));
  intro->setWordWrap(true);
  m_error = new QLabel;
  m_error->setStyleSheet("color: #b00020;");
  m_error->setWordWrap(true);
  m_error->hide();

  auto* columns = new QWidget;
  auto* row = new QHBoxLayout(columns);
  auto* left = new QVBoxLayout;
  left->addWidget(m_method);
  left->addStretch(1);
  auto* right = new QVBoxLayout;
  right->addWidget(m_prior);
  right->addWidget(m_training);
  right->addStretch(1);
  row->addLayout(left, 1);
  row->addLayout(right, 1);
  auto* scroll = new QScrollArea;
  scroll->setWidget(columns);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Add the copy"));
  buttons->button(QDialogButtonBox::Ok)->setToolTip(tr("Adds the edited copy as a new run."));
  connect(buttons, &QDialogButtonBox::accepted, this, &TweakDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &TweakDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(scroll, 1);
  layout->addWidget(m_error);
  layout->addWidget(buttons);
  resize(820, 620);
}

void TweakDialog::onMethodEdited() {
  if (const MethodDescriptor* method = m_method->method()) {
    m_prior->setMethod(method);
    m_training->setMethodTraits(method->traits);
  }
}

SessionConfig TweakDialog::config() const {
  SessionConfig config = m_base;
  m_method->writeTo(config);
  m_prior->writeTo(config);
  m_training->writeTo(config);
  return config;
}

void TweakDialog::accept() {
  for (SessionPanel* panel : std::initializer_list<SessionPanel*>{m_method, m_prior, m_training})
    if (auto error = panel->inputError()) {
      m_error->setText(*error);
      m_error->show();
      return;
    }
  if (auto error = config().validate()) {
    m_error->setText(QString::fromStdString(error->text()));
    m_error->show();
    return;
  }
  QDialog::accept();
}

}  // namespace bayeslab::ui
