#pragma once
// The left dock: every setting of a session, one section per part (data,
// model, likelihood, method, prior, training, sequential learning), in a
// scroll area. It edits a
// SessionConfig; what an edit means for the running trainer is decided by the
// TrainingController.
#include <QScrollArea>
#include <optional>

#include "engine/training/session.h"

namespace bayeslab::ui {

class DataPanel;
class LikelihoodPanel;
class MethodPanel;
class ModelPanel;
class PriorPanel;
class SequentialPanel;
class SessionPanel;
class TrainingPanel;

class ControlPanel : public QScrollArea {
  Q_OBJECT

 public:
  explicit ControlPanel(QWidget* parent = nullptr);

  void setSession(const SessionConfig& config);
  // The session the widgets describe (may fail validate()).
  SessionConfig session() const;
  // The first text field that does not hold a valid setting, if any.
  std::optional<QString> inputError() const;
  void setTrainingDataSize(Index points);
  void setPresentationMode(bool on);
  // The panel's fonts x scale (zoom x presentation mode's 1.35).
  void setFontScale(double scale);

  DataPanel* dataPanel() const { return m_data; }
  ModelPanel* modelPanel() const { return m_model; }
  LikelihoodPanel* likelihoodPanel() const { return m_likelihood; }
  MethodPanel* methodPanel() const { return m_method; }
  PriorPanel* priorPanel() const { return m_prior; }
  TrainingPanel* trainingPanel() const { return m_training; }
  SequentialPanel* sequentialPanel() const { return m_sequential; }

 signals:
  // The user changed a setting.
  void edited();

 private:
  void syncDependents();
  QList<SessionPanel*> sections() const;

  DataPanel* m_data = nullptr;
  ModelPanel* m_model = nullptr;
  LikelihoodPanel* m_likelihood = nullptr;
  MethodPanel* m_method = nullptr;
  PriorPanel* m_prior = nullptr;
  TrainingPanel* m_training = nullptr;
  SequentialPanel* m_sequential = nullptr;
  SessionConfig m_base;
};

}  // namespace bayeslab::ui
