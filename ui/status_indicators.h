#pragma once
// The status bar's permanent fields: step / total, steps per second and the
// run's state (ready, running, paused, finished, diverged).
#include <QObject>

QT_BEGIN_NAMESPACE
class QLabel;
class QStatusBar;
QT_END_NAMESPACE

namespace bayeslab::ui {

class TrainingController;

class StatusIndicators : public QObject {
  Q_OBJECT

 public:
  StatusIndicators(QStatusBar* bar, const TrainingController* controller);

  void refresh();
  QString stepText() const;
  QString stateText() const;

 private:
  const TrainingController* m_controller;
  QLabel* m_step = nullptr;
  QLabel* m_speed = nullptr;
  QLabel* m_state = nullptr;
};

}  // namespace bayeslab::ui
