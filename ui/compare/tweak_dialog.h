#pragma once
// "Duplicate and tweak": edits a copy of a compared run's session before it is
// added: its method and the method's options, its prior and scale, and the
// training knobs (learning rate, Monte Carlo samples, ...), with the control
// panel's own sections (MethodPanel, PriorPanel, TrainingPanel), so every knob
// has the tooltip and range it has in the main window. The data stay the
// comparison's (the first run's).
#include <QDialog>

#include "engine/training/session.h"

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace bayeslab::ui {

class MethodPanel;
class PriorPanel;
class TrainingPanel;

class TweakDialog : public QDialog {
  Q_OBJECT

 public:
  explicit TweakDialog(const SessionConfig& config, QWidget* parent = nullptr);

  // The copy as edited (the original's model, data and likelihood).
  SessionConfig config() const;
  MethodPanel* methodPanel() const { return m_method; }
  PriorPanel* priorPanel() const { return m_prior; }
  TrainingPanel* trainingPanel() const { return m_training; }

  void accept() override;

 private:
  void onMethodEdited();

  SessionConfig m_base;
  MethodPanel* m_method = nullptr;
  PriorPanel* m_prior = nullptr;
  TrainingPanel* m_training = nullptr;
  QLabel* m_error = nullptr;
};

}  // namespace bayeslab::ui
