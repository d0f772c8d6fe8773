#pragma once
// The window's answer to a diverged run (issue 14, part 3): a non-modal strip
// above the views that says at which step which quantity (loss, gradient,
// parameters) went non-finite, what to try, and offers one button that goes
// back to the last good checkpoint and continues at a tenth of the learning
// rate (Trainer::resumeAfterDivergence). Nothing blocks: the run is paused and
// every other control stays usable.
#include <QFrame>

#include "engine/training/trainer.h"

class QLabel;
class QPushButton;

namespace bayeslab::ui {

class DivergenceBanner : public QFrame {
  Q_OBJECT

 public:
  explicit DivergenceBanner(QWidget* parent = nullptr);

  // Shows the divergence `d` of a run at learning rate `learningRate`.
  // `usesLearningRate`: the method has an optimiser (otherwise the button
  // continues from the checkpoint at the same settings); `usesMcSamples`: fewer
  // Monte Carlo samples are worth suggesting.
  void showDivergence(const DivergenceInfo& d, double learningRate, bool usesLearningRate,
                      bool usesMcSamples);
  // Hides the banner (the run is no longer diverged).
  void hideBanner();

  // The rate the button continues at (a tenth of the diverged one).
  double proposedLearningRate() const { return m_proposed; }
  QPushButton* resumeButton() const { return m_resume; }
  QLabel* textLabel() const { return m_text; }

  // "0.001", "1e-05": the shortest text that names the rate.
  static QString formatRate(double lr);

 signals:
  void resumeRequested(double learningRate);

 private:
  QLabel* m_text = nullptr;
  QPushButton* m_resume = nullptr;
  QPushButton* m_dismiss = nullptr;
  double m_proposed = 0.0;
  Index m_shownStep = -1;
  Index m_dismissedStep = -1;  // Dismiss hides this divergence until the next one
};

}  // namespace bayeslab::ui
