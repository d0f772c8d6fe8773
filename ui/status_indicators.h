#pragma once
// The status bar's permanent fields: step / total, steps per second and the
// run's state (ready, running, paused, finished, diverged); for image data,
// whose epochs take many steps, a progress bar through the current epoch.
#include <QObject>

QT_BEGIN_NAMESPACE
class QLabel;
class QProgressBar;
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
  // "epoch 3: 45%" while an image run is loaded; empty otherwise.
  QString epochText() const;
  const QProgressBar* epochBar() const { return m_epoch; }

 private:
  const TrainingController* m_controller;
  QLabel* m_step = nullptr;
  QLabel* m_speed = nullptr;
  QLabel* m_state = nullptr;
  QProgressBar* m_epoch = nullptr;
};

}  // namespace bayeslab::ui
