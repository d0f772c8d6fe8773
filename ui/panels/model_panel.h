#pragma once
// Model: the hidden layer widths ("64, 64"; empty for a linear model) and the
// activation.
#include <vector>

#include "ui/panels/session_panel.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLineEdit;
QT_END_NAMESPACE

namespace bayeslab::ui {

class ModelPanel : public SessionPanel {
  Q_OBJECT

 public:
  explicit ModelPanel(QWidget* parent = nullptr);

  void setSession(const SessionConfig& config) override;
  void writeTo(SessionConfig& config) const override;
  std::optional<QString> inputError() const override;

  // "64, 64" -> {64, 64}; "" -> {}; nullopt (and `error`) for anything else.
  static std::optional<std::vector<int>> parseWidths(const QString& text, QString* error = nullptr);
  static QString formatWidths(const std::vector<int>& widths);

  QLineEdit* hiddenEdit() const { return m_hidden; }

 private:
  void onHiddenEdited();

  QLineEdit* m_hidden = nullptr;
  QComboBox* m_activation = nullptr;
  std::vector<int> m_lastValid{64, 64};
};

}  // namespace bayeslab::ui
