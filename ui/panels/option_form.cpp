#include "ui/panels/option_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <climits>
#include <cmath>

#include "ui/panels/number_spin_box.h"

namespace bayeslab::ui {

namespace {

// Specs may say "unbounded" with +-1e300; a spin box needs a finite range.
constexpr double kWidgetLimit = 1e12;

double clampLimit(double x) {
  return std::clamp(x, -kWidgetLimit, kWidgetLimit);
}

bool fitsInt(const OptionSpec& spec) {
  return spec.minimum >= INT_MIN && spec.maximum <= INT_MAX;
}

}  // namespace

OptionForm::OptionForm(QWidget* parent) : QWidget(parent) {
  m_layout = new QFormLayout(this);
  m_layout->setContentsMargins(0, 0, 0, 0);
  m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  m_layout->setRowWrapPolicy(QFormLayout::DontWrapRows);
}

QString OptionForm::tooltipFor(const OptionSpec& spec) {
  QString text = "<p>" + QString::fromStdString(spec.tooltip).toHtmlEscaped() + "</p>";
  text += spec.live ? tr("<p><i>Applies at once, even while training.</i></p>")
                    : tr("<p><i>Changing this needs a new run (Reset).</i></p>");
  return text;
}

void OptionForm::setSpecs(const OptionSpecs& specs, const OptionValues& values) {
  while (m_layout->rowCount() > 0) m_layout->removeRow(0);
  m_editors.clear();
  m_labels.clear();
  m_specs = specs;
  for (const OptionSpec& spec : m_specs) {
    QWidget* editor = makeEditor(spec);
    editor->setObjectName(QString::fromStdString(spec.key));
    editor->setToolTip(tooltipFor(spec));
    auto* label = new QLabel(QString::fromStdString(spec.label), this);
    label->setToolTip(editor->toolTip());
    label->setBuddy(editor);
    m_layout->addRow(label, editor);
    m_editors[spec.key] = editor;
    m_labels[spec.key] = label;
  }
  setValues(values);
}

QWidget* OptionForm::makeEditor(const OptionSpec& spec) {
  const QString key = QString::fromStdString(spec.key);
  const bool live = spec.live;
  auto changed = [this, key, live] { emit valueChanged(key, live); };
  switch (spec.kind) {
    case OptionKind::Real: {
      auto* box = new NumberSpinBox(this);
      box->setRange(clampLimit(spec.minimum), clampLimit(spec.maximum));
      box->setLogarithmic(spec.logScale);
      const double span = box->maximum() - box->minimum();
      box->setSingleStep(span <= 2.0 ? 0.01 : span <= 20.0 ? 0.1 : 1.0);
      connect(box, &QDoubleSpinBox::valueChanged, this, changed);
      return box;
    }
    case OptionKind::Integer: {
      if (fitsInt(spec)) {
        auto* box = new QSpinBox(this);
        box->setRange(static_cast<int>(spec.minimum), static_cast<int>(spec.maximum));
        box->setKeyboardTracking(false);
        box->setAccelerated(true);
        connect(box, &QSpinBox::valueChanged, this, changed);
        return box;
      }
      auto* box = new NumberSpinBox(this);
      box->setWholeNumbers(true);
      box->setRange(clampLimit(spec.minimum), clampLimit(spec.maximum));
      connect(box, &QDoubleSpinBox::valueChanged, this, changed);
      return box;
    }
    case OptionKind::Boolean: {
      auto* box = new QCheckBox(this);
      connect(box, &QCheckBox::toggled, this, changed);
      return box;
    }
    case OptionKind::Choice: {
      auto* box = new QComboBox(this);
      for (const std::string& choice : spec.choices) box->addItem(QString::fromStdString(choice));
      connect(box, &QComboBox::currentIndexChanged, this, changed);
      return box;
    }
    case OptionKind::Text: {
      auto* edit = new QLineEdit(this);
      connect(edit, &QLineEdit::editingFinished, this, [this, edit, changed] {
        if (edit->isModified()) {
          edit->setModified(false);
          changed();
        }
      });
      return edit;
    }
  }
  return new QWidget(this);
}

void OptionForm::setValues(const OptionValues& values) {
  const OptionValues all = withDefaults(m_specs, values);
  for (const OptionSpec& spec : m_specs) showValue(spec, all);
}

void OptionForm::showValue(const OptionSpec& spec, const OptionValues& values) {
  QWidget* editor = m_editors.at(spec.key);
  const QSignalBlocker block(editor);
  switch (spec.kind) {
    case OptionKind::Real:
    case OptionKind::Integer:
      if (auto* box = qobject_cast<QSpinBox*>(editor))
        box->setValue(values.integer(spec.key));
      else if (auto* real = qobject_cast<QDoubleSpinBox*>(editor))
        real->setValue(values.number(spec.key));
      break;
    case OptionKind::Boolean:
      static_cast<QCheckBox*>(editor)->setChecked(values.flag(spec.key));
      break;
    case OptionKind::Choice: {
      auto* box = static_cast<QComboBox*>(editor);
      box->setCurrentIndex(box->findText(QString::fromStdString(values.text(spec.key))));
      break;
    }
    case OptionKind::Text:
      static_cast<QLineEdit*>(editor)->setText(QString::fromStdString(values.text(spec.key)));
      break;
  }
}

OptionValues OptionForm::values() const {
  OptionValues out;
  for (const OptionSpec& spec : m_specs) {
    QWidget* editor = m_editors.at(spec.key);
    switch (spec.kind) {
      case OptionKind::Real:
      case OptionKind::Integer:
        if (auto* box = qobject_cast<QSpinBox*>(editor))
          out.set(spec.key, static_cast<double>(box->value()));
        else
          out.set(spec.key, static_cast<QDoubleSpinBox*>(editor)->value());
        break;
      case OptionKind::Boolean:
        out.set(spec.key, static_cast<QCheckBox*>(editor)->isChecked() ? 1.0 : 0.0);
        break;
      case OptionKind::Choice:
        out.set(spec.key, static_cast<QComboBox*>(editor)->currentText().toStdString());
        break;
      case OptionKind::Text:
        out.set(spec.key, static_cast<QLineEdit*>(editor)->text().toStdString());
        break;
    }
  }
  return out;
}

QWidget* OptionForm::editor(const std::string& key) const {
  const auto it = m_editors.find(key);
  return it == m_editors.end() ? nullptr : it->second;
}

void OptionForm::setRowVisible(const std::string& key, bool visible) {
  if (QWidget* e = editor(key)) m_layout->setRowVisible(e, visible);
}

void OptionForm::setRowEnabled(const std::string& key, bool enabled, const QString& why) {
  QWidget* e = editor(key);
  if (!e) return;
  e->setEnabled(enabled);
  m_labels.at(key)->setEnabled(enabled);
  const OptionSpec* spec = findSpec(m_specs, key);
  QString tip = spec ? tooltipFor(*spec) : QString();
  if (!enabled && !why.isEmpty()) tip += "<p><b>" + why.toHtmlEscaped() + "</b></p>";
  e->setToolTip(tip);
  m_labels.at(key)->setToolTip(tip);
}

}  // namespace bayeslab::ui
