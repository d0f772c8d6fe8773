#pragma once
// Prior: the prior family (from the engine's registry), its options (live
// ones, such as the scale, apply while training) and its description, which
// says whether the KL is computed in closed form or estimated by Monte Carlo.
#include "ui/panels/session_panel.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
QT_END_NAMESPACE

namespace bayeslab::ui {

class OptionForm;

class PriorPanel : public SessionPanel {
  Q_OBJECT

 public:
  explicit PriorPanel(QWidget* parent = nullptr);

  void setSession(const SessionConfig& config) override;
  void writeTo(SessionConfig& config) const override;

  const PriorDescriptor* prior() const;
  OptionForm* form() const { return m_form; }

 private:
  void showPrior(const std::string& id, const OptionValues& values);

  QComboBox* m_priorBox = nullptr;
  QLabel* m_description = nullptr;
  OptionForm* m_form = nullptr;
};

}  // namespace bayeslab::ui
