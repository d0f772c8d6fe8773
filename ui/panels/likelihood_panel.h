#pragma once
// Likelihood: the observation model (auto picks Gaussian for regression and
// Bernoulli / softmax for classification) and the Gaussian noise, fixed or
// learned.
#include <optional>

#include "ui/panels/session_panel.h"

namespace bayeslab::ui {

class OptionForm;

class LikelihoodPanel : public SessionPanel {
  Q_OBJECT

 public:
  explicit LikelihoodPanel(QWidget* parent = nullptr);

  void setSession(const SessionConfig& config) override;
  void writeTo(SessionConfig& config) const override;
  // Greys out the noise settings when they cannot matter (classification).
  void setTask(std::optional<Task> task);

  OptionForm* form() const { return m_form; }

 private:
  OptionForm* m_form = nullptr;
};

}  // namespace bayeslab::ui
