#pragma once
// Training: steps, batch size, optimizer, learning rate (live), Monte Carlo
// samples, KL weight (live), seed and threads, with an always-visible note on
// how the KL term is scaled per minibatch.
#include "engine/methods/method.h"
#include "ui/panels/session_panel.h"

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace bayeslab::ui {

class OptionForm;

class TrainingPanel : public SessionPanel {
  Q_OBJECT

 public:
  explicit TrainingPanel(QWidget* parent = nullptr);

  void setSession(const SessionConfig& config) override;
  void writeTo(SessionConfig& config) const override;

  // Greys out the knobs the method ignores (e.g. the KL weight of a MAP network).
  void setMethodTraits(const MethodTraits& traits);
  // Fills the data set and batch sizes into the KL-scaling note.
  void setDataSize(Index trainingPoints);

  OptionForm* form() const { return m_form; }

 private:
  void updateNote();

  OptionForm* m_form = nullptr;
  QLabel* m_note = nullptr;
  Index m_trainingPoints = 0;
  MethodTraits m_traits;
};

}  // namespace bayeslab::ui
