#pragma once
// Sequential (online) learning, the lectures' teaching scenario: the training
// data arrive in parts, and the posterior after part k becomes the prior for
// part k + 1.
#include "ui/panels/session_panel.h"

namespace bayeslab::ui {

class OptionForm;

class SequentialPanel : public SessionPanel {
  Q_OBJECT

 public:
  explicit SequentialPanel(QWidget* parent = nullptr);

  void setSession(const SessionConfig& config) override;
  void writeTo(SessionConfig& config) const override;

  OptionForm* form() const { return m_form; }

 private:
  OptionForm* m_form = nullptr;
};

}  // namespace bayeslab::ui
