#pragma once
// Prior: the prior family (from the engine's registry), its options (live
// ones, such as the scale, apply while training) and its description, which
// says whether the KL is computed in closed form or estimated by Monte Carlo.
#include "engine/methods/method.h"
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
  // The method decides how the prior enters: a KL(q || p) (closed form or
  // Monte Carlo, as this prior allows) or a penalty such as -log p(w).
  void setMethod(const MethodDescriptor* method);
  // "KL(q || p): closed form." and the like, for the current method and prior.
  QString klText() const;

 private:
  void showPrior(const std::string& id, const OptionValues& values);
  void updateKlText();

  QComboBox* m_priorBox = nullptr;
  QLabel* m_description = nullptr;
  QLabel* m_kl = nullptr;
  OptionForm* m_form = nullptr;
  const MethodDescriptor* m_method = nullptr;
};

}  // namespace bayeslab::ui
