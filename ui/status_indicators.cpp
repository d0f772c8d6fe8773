#include "ui/status_indicators.h"

#include <QLabel>
#include <QStatusBar>

#include "ui/training/training_controller.h"

namespace bayeslab::ui {

StatusIndicators::StatusIndicators(QStatusBar* bar, const TrainingController* controller)
    : QObject(bar), m_controller(controller) {
  m_step = new QLabel(bar);
  m_step->setObjectName("stepLabel");
  m_step->setToolTip(tr("Steps taken / steps in the run."));
  m_speed = new QLabel(bar);
  m_speed->setObjectName("speedLabel");
  m_speed->setToolTip(tr("Training steps per second (measured on the training thread)."));
  m_state = new QLabel(bar);
  m_state->setObjectName("stateLabel");
  m_state->setMinimumWidth(90);
  m_state->setAlignment(Qt::AlignCenter);
  bar->addPermanentWidget(m_step);
  bar->addPermanentWidget(m_speed);
  bar->addPermanentWidget(m_state);
  refresh();
}

QString StatusIndicators::stepText() const {
  QString text =
      tr("step %L1 / %L2").arg(m_controller->currentStep()).arg(m_controller->totalSteps());
  if (m_controller->partCount() > 1)
    text += tr("  \u00b7  data part %1 / %2")
                .arg(m_controller->currentPart() + 1)
                .arg(m_controller->partCount());
  return text;
}

QString StatusIndicators::stateText() const {
  if (!m_controller->hasRun()) return tr("loading");
  switch (m_controller->status()) {
    case TrainerStatus::Diverged:
      return tr("diverged");
    case TrainerStatus::Finished:
      return tr("finished");
    case TrainerStatus::Running:
      break;
  }
  if (m_controller->isPlaying()) return tr("running");
  return m_controller->currentStep() == 0 ? tr("ready") : tr("paused");
}

void StatusIndicators::refresh() {
  m_step->setText(stepText());
  const bool playing = m_controller->isPlaying() && m_controller->stepsPerSecond() > 0;
  m_speed->setText(playing ? tr("%L1 steps/s").arg(m_controller->stepsPerSecond(), 0, 'f', 0)
                           : QString());
  const QString state = stateText();
  m_state->setText(state);
  const bool diverged = m_controller->status() == TrainerStatus::Diverged;
  m_state->setStyleSheet(diverged ? "QLabel { color: white; background: #b2182b; font-weight: "
                                    "bold; padding: 1px 6px; }"
                         : state == tr("running") ? "QLabel { color: #0b5d1e; font-weight: bold; }"
                                                  : QString());
}

}  // namespace bayeslab::ui
