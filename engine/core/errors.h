#pragma once
// Errors that reach the user: every one names where it came from (a file, a
// field in it) and says what is wrong in one line.

#include <stdexcept>
#include <string>

namespace bayeslab {

// A field-level problem in a configuration value struct.
struct FieldError {
  std::string field;    // dotted path, e.g. "training.learning_rate"
  std::string message;  // what is wrong and what is allowed
  std::string text() const { return field.empty() ? message : field + ": " + message; }
};

// Bad input read from a file (session JSON, CSV, IDX).
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::string field, const std::string& message)
      : std::runtime_error(compose(file, field, message)),
        m_file(std::move(file)),
        m_field(std::move(field)),
        m_message(message) {}
  const std::string& file() const { return m_file; }
  const std::string& field() const { return m_field; }
  const std::string& message() const { return m_message; }

 private:
  static std::string compose(const std::string& file, const std::string& field,
                             const std::string& message) {
    std::string text = file;
    if (!field.empty()) text += text.empty() ? field : ": " + field;
    if (!text.empty()) text += ": ";
    return text + message;
  }
  std::string m_file, m_field, m_message;
};

}  // namespace bayeslab
