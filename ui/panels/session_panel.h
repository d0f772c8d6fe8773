#pragma once
// The contract of the control panel's sections: each shows and edits its own
// part of the SessionConfig and says when the user changed something.
#include <QGroupBox>
#include <QString>
#include <optional>

#include "engine/training/session.h"

namespace bayeslab::ui {

class SessionPanel : public QGroupBox {
  Q_OBJECT

 public:
  using QGroupBox::QGroupBox;

  // Shows the panel's part of `config` (no edited() signal).
  virtual void setSession(const SessionConfig& config) = 0;
  // Writes the panel's part into `config`.
  virtual void writeTo(SessionConfig& config) const = 0;
  // Text the user typed that is not a valid setting yet (e.g. "64, x").
  virtual std::optional<QString> inputError() const { return std::nullopt; }

 signals:
  void edited();
};

}  // namespace bayeslab::ui
