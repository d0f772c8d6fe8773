#include "ui/lectures/lecture_note.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/views/chart_style.h"

namespace bayeslab::ui {

namespace {}

LectureNote::LectureNote(QWidget* parent) : QFrame(parent) {
  setObjectName("lectureNote");
  setFrameShape(QFrame::StyledPanel);
  // A quiet paper-yellow note: visible, but not an error banner.
  setStyleSheet(
      "#lectureNote { background: #fdf6d8; border: 1px solid #e0cf8a; border-radius: 3px; }");
  m_title = new QLabel(this);
  m_title->setObjectName("lectureNoteTitle");
  m_title->setWordWrap(true);
  m_title->setTextFormat(Qt::PlainText);
  m_text = new QLabel(this);
  m_text->setObjectName("lectureNoteText");
  m_text->setWordWrap(true);
  m_text->setTextFormat(Qt::PlainText);
  m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_text->setToolTip(tr("What this lecture preset shows and what to look at."));
  m_close = new QToolButton(this);
  m_close->setObjectName("lectureNoteClose");
  m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
  m_close->setAutoRaise(true);
  m_close->setToolTip(tr("Hide this note (the run keeps going)."));
  connect(m_close, &QToolButton::clicked, this, [this] {
    hide();
    emit closed();
  });

  auto* text = new QVBoxLayout;
  text->setSpacing(2);
  text->addWidget(m_title);
  text->addWidget(m_text);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(10, 6, 4, 6);
  layout->addLayout(text, 1);
  layout->addWidget(m_close, 0, Qt::AlignTop);
  applyFonts();
  hide();
}

void LectureNote::showNote(const QString& title, const QString& paragraph) {
  m_title->setText(title);
  m_text->setText(paragraph);
  show();
}

QString LectureNote::title() const {
  return m_title->text();
}

QString LectureNote::paragraph() const {
  return m_text->text();
}

void LectureNote::setPresentationMode(bool on) {
  m_presentation = on;
  applyFonts();
}

void LectureNote::applyFonts() {
  QFont base = font();
  if (m_presentation) base.setPointSizeF(base.pointSizeF() * kPresentationScale);
  m_text->setFont(base);
  QFont bold = base;
  bold.setBold(true);
  m_title->setFont(bold);
}

}  // namespace bayeslab::ui
