#pragma once
// The one builder of controls from OptionSpecs: every knob of a data set, a
// method, a prior (and the session's own settings, described the same way)
// becomes a labelled widget with the spec's tooltip, range and default:
//   Real -> NumberSpinBox (logarithmic steps for logScale), Integer -> QSpinBox,
//   Boolean -> QCheckBox, Choice -> QComboBox, Text -> QLineEdit.
// Tooltips also say whether a change applies at once (live) or on reset.
#include <QString>
#include <QWidget>
#include <map>
#include <string>

#include "engine/core/options.h"

QT_BEGIN_NAMESPACE
class QFormLayout;
class QLabel;
QT_END_NAMESPACE

namespace bayeslab::ui {

// The largest seed a session holds exactly: 2^53, a JSON number's exact integers.
inline constexpr double kMaxSeed = 9007199254740992.0;

class OptionForm : public QWidget {
  Q_OBJECT

 public:
  explicit OptionForm(QWidget* parent = nullptr);

  // Rebuilds the widgets for `specs`, showing `values` (defaults for the rest).
  void setSpecs(const OptionSpecs& specs, const OptionValues& values = {});
  const OptionSpecs& specs() const { return m_specs; }
  // Every spec's current value.
  OptionValues values() const;
  // Shows `values` (defaults for keys it lacks) without emitting valueChanged.
  void setValues(const OptionValues& values);

  QWidget* editor(const std::string& key) const;
  int editorCount() const { return static_cast<int>(m_editors.size()); }
  void setRowVisible(const std::string& key, bool visible);
  void setRowEnabled(const std::string& key, bool enabled, const QString& why = {});

  // The tooltip text the form gives a spec (also used by hand-made controls).
  static QString tooltipFor(const OptionSpec& spec);

 signals:
  void valueChanged(const QString& key, bool live);

 private:
  QWidget* makeEditor(const OptionSpec& spec);
  void showValue(const OptionSpec& spec, const OptionValues& values);

  QFormLayout* m_layout = nullptr;
  OptionSpecs m_specs;
  std::map<std::string, QWidget*> m_editors;
  std::map<std::string, QLabel*> m_labels;
};

}  // namespace bayeslab::ui
