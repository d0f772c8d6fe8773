#include "ui/status_indicators.h"

#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>

#include "ui/training/training_controller.h"

#include <cmath>

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
  m_epoch = new QProgressBar(bar);
  m_epoch->setObjectName("epochProgress");
  m_epoch->setRange(0, 1000);
  m_epoch->setMaximumWidth(220);
  m_epoch->setTextVisible(true);
  m_epoch->setToolTip(
      tr("Progress through the current epoch: one pass over the N training images in "
         "minibatches of B, N/B steps."));
  m_epoch->setVisible(false);
  bar->addPermanentWidget(m_epoch);
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

QString StatusIndicators::epochText() const {
  return m_epoch->isHidden() ? QString() : m_epoch->text();
}

void StatusIndicators::refresh() {
  // As wide as the run's widest step text, so that the field does not jump or clip.
  const QString widest =
      tr("step %L1 / %L2").arg(m_controller->totalSteps()).arg(m_controller->totalSteps()) +
      (m_controller->partCount() > 1
           ? tr("  \u00b7  data part %1 / %1").arg(m_controller->partCount())
           : QString());
  m_step->setMinimumWidth(m_step->fontMetrics().horizontalAdvance(widest) + 8);
  const RunInfoPtr& run = m_controller->run();
  const bool images = run && run->data->train.isImage() && run->data->train.size() > 0;
  m_epoch->setVisible(images);
  if (images) {
    const Index n = run->data->train.size();
    const Index batch = std::max<Index>(1, std::min(run->config.training.batchSize, n));
    const Index perEpoch = (n + batch - 1) / batch;
    const Index step = m_controller->currentStep();
    // The last step of an epoch shows it full rather than the next one empty.
    const Index epoch = step == 0 ? 0 : (step - 1) / perEpoch;
    const Index into = step == 0 ? 0 : step - epoch * perEpoch;
    const double share = static_cast<double>(into) / static_cast<double>(perEpoch);
    m_epoch->setValue(static_cast<int>(std::lround(1000.0 * share)));
    m_epoch->setFormat(tr("epoch %1 of %2: %3%")
                           .arg(epoch + 1)
                           .arg((m_controller->totalSteps() + perEpoch - 1) / perEpoch)
                           .arg(100.0 * share, 0, 'f', 0));
  }
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
