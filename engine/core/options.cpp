#include "engine/core/options.h"

#include <cmath>
#include <sstream>

BAYESLAB_BEGIN_NAMESPACE

OptionSpec OptionSpec::real(std::string key, std::string label, std::string tooltip, double def,
                            double lo, double hi, bool live) {
  OptionSpec s;
  s.key = std::move(key);
  s.label = std::move(label);
  s.tooltip = std::move(tooltip);
  s.kind = OptionKind::Real;
  s.defaultNumber = def;
  s.minimum = lo;
  s.maximum = hi;
  s.live = live;
  return s;
}

OptionSpec OptionSpec::integer(std::string key, std::string label, std::string tooltip, int def,
                               int lo, int hi, bool live) {
  OptionSpec s = real(std::move(key), std::move(label), std::move(tooltip), def, lo, hi, live);
  s.kind = OptionKind::Integer;
  return s;
}

OptionSpec OptionSpec::boolean(std::string key, std::string label, std::string tooltip, bool def,
                               bool live) {
  OptionSpec s =
      real(std::move(key), std::move(label), std::move(tooltip), def ? 1 : 0, 0, 1, live);
  s.kind = OptionKind::Boolean;
  return s;
}

OptionSpec OptionSpec::choice(std::string key, std::string label, std::string tooltip,
                              std::vector<std::string> choices, std::string def) {
  OptionSpec s;
  s.key = std::move(key);
  s.label = std::move(label);
  s.tooltip = std::move(tooltip);
  s.kind = OptionKind::Choice;
  s.choices = std::move(choices);
  s.defaultText = std::move(def);
  return s;
}

OptionSpec OptionSpec::text(std::string key, std::string label, std::string tooltip,
                            std::string def) {
  OptionSpec s;
  s.key = std::move(key);
  s.label = std::move(label);
  s.tooltip = std::move(tooltip);
  s.kind = OptionKind::Text;
  s.defaultText = std::move(def);
  return s;
}

const OptionSpec* findSpec(const OptionSpecs& specs, const std::string& key) {
  for (const auto& s : specs)
    if (s.key == key) return &s;
  return nullptr;
}

OptionValues OptionValues::defaults(const OptionSpecs& specs) {
  OptionValues v;
  for (const auto& s : specs) {
    if (s.kind == OptionKind::Choice || s.kind == OptionKind::Text)
      v.set(s.key, s.defaultText);
    else
      v.set(s.key, s.defaultNumber);
  }
  return v;
}

OptionValues withDefaults(const OptionSpecs& specs, const OptionValues& values) {
  OptionValues out = OptionValues::defaults(specs);
  for (const auto& [key, value] : values.values()) {
    if (const auto* x = std::get_if<double>(&value))
      out.set(key, *x);
    else
      out.set(key, std::get<std::string>(value));
  }
  return out;
}

double OptionValues::number(const std::string& key) const {
  const auto it = m_values.find(key);
  if (it == m_values.end()) return 0.0;
  if (const auto* d = std::get_if<double>(&it->second)) return *d;
  return 0.0;
}

const std::string& OptionValues::text(const std::string& key) const {
  static const std::string kEmpty;
  const auto it = m_values.find(key);
  if (it == m_values.end()) return kEmpty;
  if (const auto* s = std::get_if<std::string>(&it->second)) return *s;
  return kEmpty;
}

namespace {
std::string formatNumber(double x) {
  std::ostringstream os;
  os << x;
  return os.str();
}
}  // namespace

std::optional<FieldError> validateOptions(const OptionSpecs& specs, const OptionValues& values,
                                          const std::string& prefix) {
  const auto field = [&](const std::string& key) {
    return prefix.empty() ? key : prefix + "." + key;
  };
  for (const auto& [key, value] : values.values()) {
    const OptionSpec* spec = findSpec(specs, key);
    if (!spec) return FieldError{field(key), "unknown option"};
    const bool isText = spec->kind == OptionKind::Choice || spec->kind == OptionKind::Text;
    if (isText != std::holds_alternative<std::string>(value))
      return FieldError{field(key), isText ? "expected a string" : "expected a number"};
    if (spec->kind == OptionKind::Choice) {
      const auto& text = std::get<std::string>(value);
      bool ok = false;
      std::string list;
      for (const auto& c : spec->choices) {
        ok = ok || c == text;
        list += (list.empty() ? "" : ", ") + c;
      }
      if (!ok) return FieldError{field(key), "'" + text + "' is not one of: " + list};
    } else if (!isText) {
      const double x = std::get<double>(value);
      if (!std::isfinite(x)) return FieldError{field(key), "must be a finite number"};
      if (spec->kind == OptionKind::Integer && x != std::floor(x))
        return FieldError{field(key), "must be a whole number"};
      if (spec->kind == OptionKind::Boolean && x != 0.0 && x != 1.0)
        return FieldError{field(key), "must be true or false"};
      if (x < spec->minimum || x > spec->maximum)
        return FieldError{field(key), "must be between " + formatNumber(spec->minimum) + " and " +
                                          formatNumber(spec->maximum) + " (got " + formatNumber(x) +
                                          ")"};
    }
  }
  return std::nullopt;
}

BAYESLAB_END_NAMESPACE
