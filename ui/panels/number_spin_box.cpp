#include "ui/panels/number_spin_box.h"

#include <QLocale>
#include <QRegularExpression>
#include <cmath>

namespace bayeslab::ui {

namespace {
constexpr double kStepsPerDecade = 4.0;
}

NumberSpinBox::NumberSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
  // Enough decimals that QDoubleSpinBox's own rounding never changes a value.
  setDecimals(12);
  setKeyboardTracking(false);
  setAccelerated(true);
}

void NumberSpinBox::setWholeNumbers(bool on) {
  m_whole = on;
  setDecimals(on ? 0 : 12);
  setSingleStep(1.0);
}

QString NumberSpinBox::textFromValue(double value) const {
  if (m_whole) return QString::number(value, 'f', 0);
  return QLocale::c().toString(value, 'g', 6);
}

double NumberSpinBox::valueFromText(const QString& text) const {
  bool ok = false;
  const double value = QLocale::c().toDouble(text.trimmed(), &ok);
  return ok ? value : this->value();
}

QValidator::State NumberSpinBox::validate(QString& text, int&) const {
  const QString t = text.trimmed();
  if (t.isEmpty()) return QValidator::Intermediate;
  bool ok = false;
  const double value = QLocale::c().toDouble(t, &ok);
  if (ok) {
    if (m_whole && value != std::floor(value)) return QValidator::Invalid;
    return value >= minimum() && value <= maximum() ? QValidator::Acceptable
                                                    : QValidator::Intermediate;
  }
  static const QRegularExpression partial(R"(^[+-]?(\d+\.?\d*|\.\d*)?([eE][+-]?\d*)?$)");
  return partial.match(t).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
}

void NumberSpinBox::stepBy(int steps) {
  if (!m_logarithmic || value() <= 0.0) {
    QDoubleSpinBox::stepBy(steps);
    return;
  }
  const double next = value() * std::pow(10.0, steps / kStepsPerDecade);
  // Round to 3 significant digits so repeated steps land on readable numbers.
  const double magnitude = std::pow(10.0, std::floor(std::log10(next)) - 2);
  setValue(std::clamp(std::round(next / magnitude) * magnitude, minimum(), maximum()));
}

}  // namespace bayeslab::ui
