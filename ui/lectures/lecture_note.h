#pragma once
// The note a lecture preset shows above the views: its title and a short
// paragraph that says what to look at. Closable; it word-wraps, and follows
// presentation mode's larger fonts so that it reads from the back of the hall.
#include <QFrame>

QT_BEGIN_NAMESPACE
class QLabel;
class QToolButton;
QT_END_NAMESPACE

namespace bayeslab::ui {

class LectureNote : public QFrame {
  Q_OBJECT

 public:
  explicit LectureNote(QWidget* parent = nullptr);

  // Shows the note (hidden until then).
  void showNote(const QString& title, const QString& paragraph);
  QString title() const;
  QString paragraph() const;
  void setPresentationMode(bool on);

 signals:
  void closed();

 private:
  void applyFonts();

  QLabel* m_title = nullptr;
  QLabel* m_text = nullptr;
  QToolButton* m_close = nullptr;
  bool m_presentation = false;
};

}  // namespace bayeslab::ui
