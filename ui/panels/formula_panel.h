#pragma once
// The formula panel: what the current method optimises (its objective as a
// formula), how it works, its reference, and the prior's density, all taken
// from the engine's descriptors.
#include <QLabel>

#include "engine/methods/method.h"
#include "engine/prior/prior.h"

namespace bayeslab::ui {

class FormulaPanel : public QLabel {
  Q_OBJECT

 public:
  explicit FormulaPanel(QWidget* parent = nullptr);

  void setMethod(const MethodDescriptor* method);
  void setPrior(const PriorDescriptor* prior, const OptionValues& options);

 private:
  void rebuild();

  const MethodDescriptor* m_method = nullptr;
  const PriorDescriptor* m_prior = nullptr;
  OptionValues m_priorOptions;
};

}  // namespace bayeslab::ui
