#pragma once
// A strip above the views for what must not be missed: a diverged run (with
// the engine's reason) or settings that wait for a reset.
#include <QLabel>

namespace bayeslab::ui {

class MessageBanner : public QLabel {
  Q_OBJECT

 public:
  enum class Level { Notice, Error };

  explicit MessageBanner(QWidget* parent = nullptr);
  void showMessage(const QString& text, Level level);
  void clearMessage();
};

}  // namespace bayeslab::ui
