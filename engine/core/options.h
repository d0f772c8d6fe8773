#pragma once
// Self-describing options.
//
// Every pluggable piece (a data set, a method, a prior) declares its knobs as
// OptionSpecs: key, label, tooltip, type, default and range. The session file
// reader, its writer, the validation and the GUI's control panels are all
// generated from these specs, so none of them needs to know which method or
// prior it is looking at.

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/core/errors.h"
#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

enum class OptionKind { Real, Integer, Boolean, Choice, Text };

struct OptionSpec {
  std::string key;      // JSON key, snake_case
  std::string label;    // short GUI label
  std::string tooltip;  // what the knob does and why it matters
  OptionKind kind = OptionKind::Real;
  double defaultNumber = 0.0;
  std::string defaultText;
  double minimum = -1e300;
  double maximum = 1e300;
  std::vector<std::string> choices;  // for OptionKind::Choice
  bool live = false;                 // may change while training without a reset
  bool logScale = false;             // a GUI hint for spin boxes / sliders

  static OptionSpec real(std::string key, std::string label, std::string tooltip, double def,
                         double lo, double hi, bool live = false);
  static OptionSpec integer(std::string key, std::string label, std::string tooltip, int def,
                            int lo, int hi, bool live = false);
  static OptionSpec boolean(std::string key, std::string label, std::string tooltip, bool def,
                            bool live = false);
  static OptionSpec choice(std::string key, std::string label, std::string tooltip,
                           std::vector<std::string> choices, std::string def);
  static OptionSpec text(std::string key, std::string label, std::string tooltip,
                         std::string def = {});
};

using OptionSpecs = std::vector<OptionSpec>;
const OptionSpec* findSpec(const OptionSpecs& specs, const std::string& key);

// Values for a set of specs. Numbers (real, integer, boolean) are stored as
// double, choices and text as strings.
class OptionValues {
 public:
  using Value = std::variant<double, std::string>;

  static OptionValues defaults(const OptionSpecs& specs);

  bool has(const std::string& key) const { return m_values.count(key) != 0; }
  double number(const std::string& key) const;
  int integer(const std::string& key) const { return static_cast<int>(number(key)); }
  bool flag(const std::string& key) const { return number(key) != 0.0; }
  const std::string& text(const std::string& key) const;

  void set(const std::string& key, double value) { m_values[key] = value; }
  void set(const std::string& key, std::string value) { m_values[key] = std::move(value); }
  void set(const std::string& key, const char* value) { m_values[key] = std::string(value); }
  const std::map<std::string, Value>& values() const { return m_values; }

  bool operator==(const OptionValues&) const = default;

 private:
  std::map<std::string, Value> m_values;
};

// `values` completed with the defaults of any spec it does not set.
OptionValues withDefaults(const OptionSpecs& specs, const OptionValues& values);

// Checks every value against its spec (type, range, choice); `prefix` names the
// section for the error ("method").
std::optional<FieldError> validateOptions(const OptionSpecs& specs, const OptionValues& values,
                                          const std::string& prefix);

BAYESLAB_END_NAMESPACE
