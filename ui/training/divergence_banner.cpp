#include "ui/training/divergence_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace bayeslab::ui {

DivergenceBanner::DivergenceBanner(QWidget* parent) : QFrame(parent) {
  setObjectName("divergenceBanner");
  setFrameShape(QFrame::StyledPanel);
  setStyleSheet(
      "QFrame#divergenceBanner { background: #fde0dc; border: 1px solid #e2786a; }"
      " QFrame#divergenceBanner QLabel { color: #8a1c11; background: transparent; }");
  m_text = new QLabel(this);
  m_text->setWordWrap(true);
  m_text->setTextFormat(Qt::RichText);
  m_text->setToolTip(
      tr("A step produced a NaN or an infinity. The step was refused and the run paused; the "
         "step is marked with a red dashed line on the objective chart."));
  m_resume = new QPushButton(this);
  m_resume->setDefault(false);
  m_resume->setAutoDefault(false);
  m_dismiss = new QPushButton(tr("Dismiss"), this);
  m_dismiss->setToolTip(
      tr("Hide this message and stay paused: change the settings yourself, or press Reset to "
         "start again."));
  auto* buttons = new QVBoxLayout;
  buttons->addWidget(m_resume);
  buttons->addWidget(m_dismiss);
  buttons->addStretch(1);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(10, 6, 10, 6);
  layout->addWidget(m_text, 1);
  layout->addLayout(buttons);
  connect(m_resume, &QPushButton::clicked, this, [this] { emit resumeRequested(m_proposed); });
  connect(m_dismiss, &QPushButton::clicked, this, [this] {
    m_dismissedStep = m_shownStep;
    setVisible(false);
  });
  setVisible(false);
}

QString DivergenceBanner::formatRate(double lr) {
  return QString::number(lr, 'g', 3);
}

void DivergenceBanner::showDivergence(const DivergenceInfo& d, double learningRate,
                                      bool usesLearningRate, bool usesMcSamples) {
  if (d.step == m_dismissedStep) return;
  m_shownStep = d.step;
  m_proposed = usesLearningRate ? learningRate / 10.0 : learningRate;
  const QString quantity = QString::fromStdString(d.quantity).toHtmlEscaped();
  QString what = tr("<b>\u26a0 Training diverged at step %1:</b> the %2 became NaN or infinite.")
                     .arg(d.step)
                     .arg(quantity);
  if (d.restoredAlready)
    what += tr(" The parameters themselves were not finite, so they were restored to step %1.")
                .arg(d.restoreStep);
  else
    what += tr(" The run is paused with the parameters at their last finite values (step %1).")
                .arg(d.step - 1);
  QStringList tries;
  if (usesLearningRate) tries << tr("a lower learning rate (now %1)").arg(formatRate(learningRate));
  if (usesMcSamples) tries << tr("fewer MC samples or a larger batch (less noisy gradients)");
  tries << tr("a tighter prior or a smaller initial \u03c3") << tr("a smaller network");
  what += "<br>" + tr("What to try: %1.").arg(tries.join(", "));
  m_text->setText(what);

  const QString back =
      d.restoreStep >= 0 ? tr("Go back to step %1").arg(d.restoreStep) : tr("Continue");
  if (usesLearningRate) {
    m_resume->setText(
        tr("%1 and continue at lr = %2 (lr/10)").arg(back).arg(formatRate(m_proposed)));
    m_resume->setToolTip(
        tr("Restores the parameters and optimiser state saved at step %1 (the last checkpoint "
           "whose loss and gradient were finite), sets the learning rate from %2 to %3 and "
           "plays on. The step counter goes on from %4.")
            .arg(d.restoreStep)
            .arg(formatRate(learningRate))
            .arg(formatRate(m_proposed))
            .arg(d.step - 1));
  } else {
    m_resume->setText(tr("%1 and continue").arg(back));
    m_resume->setToolTip(tr("Restores the state saved at step %1 (the last checkpoint whose "
                            "log density was finite) and plays on.")
                             .arg(d.restoreStep));
  }
  setVisible(true);
}

void DivergenceBanner::hideBanner() {
  m_dismissedStep = -1;
  setVisible(false);
}

}  // namespace bayeslab::ui
