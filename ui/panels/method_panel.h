#pragma once
// Method: the inference method (from the engine's registry), its own options,
// and the formula panel with its objective and explanation.
#include "ui/panels/session_panel.h"

QT_BEGIN_NAMESPACE
class QComboBox;
QT_END_NAMESPACE

namespace bayeslab::ui {

class FormulaPanel;
class OptionForm;

class MethodPanel : public SessionPanel {
  Q_OBJECT

 public:
  explicit MethodPanel(QWidget* parent = nullptr);

  void setSession(const SessionConfig& config) override;
  void writeTo(SessionConfig& config) const override;

  const MethodDescriptor* method() const;
  FormulaPanel* formulaPanel() const { return m_formula; }
  OptionForm* form() const { return m_form; }
  QComboBox* methodBox() const { return m_methodBox; }

 private:
  void showMethod(const std::string& id, const OptionValues& values);

  QComboBox* m_methodBox = nullptr;
  OptionForm* m_form = nullptr;
  FormulaPanel* m_formula = nullptr;
};

}  // namespace bayeslab::ui
