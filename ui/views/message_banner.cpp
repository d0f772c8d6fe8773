#include "ui/views/message_banner.h"

namespace bayeslab::ui {

MessageBanner::MessageBanner(QWidget* parent) : QLabel(parent) {
  setWordWrap(true);
  setTextFormat(Qt::PlainText);
  setMargin(8);
  setVisible(false);
}

void MessageBanner::showMessage(const QString& text, Level level) {
  setStyleSheet(level == Level::Error
                    ? "QLabel { background: #fde0dc; color: #8a1c11; border: 1px solid #e2786a; "
                      "font-weight: bold; }"
                    : "QLabel { background: #fff4d6; color: #5c4400; border: 1px solid #e6c35c; }");
  setText(text);
  setVisible(true);
}

void MessageBanner::clearMessage() {
  clear();
  setVisible(false);
}

}  // namespace bayeslab::ui
