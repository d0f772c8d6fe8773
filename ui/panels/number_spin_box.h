#pragma once
// A spin box for real-valued knobs that span decades (learning rates, prior
// scales, 1e-4 .. 1e4): shows numbers in the shortest form ("0.01", "1e-05")
// without rounding them to a fixed number of decimals, and on a logarithmic
// knob steps by a factor (10^(1/4) per arrow press) instead of a constant.
#include <QDoubleSpinBox>

namespace bayeslab::ui {

class NumberSpinBox : public QDoubleSpinBox {
  Q_OBJECT

 public:
  explicit NumberSpinBox(QWidget* parent = nullptr);

  void setLogarithmic(bool on) { m_logarithmic = on; }
  bool isLogarithmic() const { return m_logarithmic; }
  // Whole numbers only (for integers beyond the range of QSpinBox, e.g. seeds).
  void setWholeNumbers(bool on);

  QString textFromValue(double value) const override;
  double valueFromText(const QString& text) const override;
  QValidator::State validate(QString& text, int& pos) const override;
  void stepBy(int steps) override;

 private:
  bool m_logarithmic = false;
  bool m_whole = false;
};

}  // namespace bayeslab::ui
