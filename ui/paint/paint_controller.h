#pragma once
// Painting data on the predictive view (issue 12): wires the paint bar, the
// mouse tools on the regression and classification charts, the painted data
// and its undo stack, and the training run.
//
// An edit (or an undo / redo) shows the new points at once in the view and
// sends them to the trainer, which trains on them from its next step without a
// reset (Trainer::replaceTrainingData); the next step's posterior is published
// straight away, so the band or heatmap follows within one predictive frame.
// The note says what trains: "Training on 34 painted points: 3 added, 1 removed
// since the run started". The running session records the points, so saving
// it (withRunningPoints) and bayeslab-cli train reproduce the painted data.
#include <QElapsedTimer>
#include <QObject>

#include "ui/paint/paint_tool.h"
#include "ui/training/predictive_frame.h"
#include "ui/training/training_snapshot.h"

namespace bayeslab::ui {

class ClassificationPredictiveView;
class PaintData;
class PaintPalette;
class RegressionPredictiveView;
class TrainingController;

class PaintController : public QObject {
  Q_OBJECT

 public:
  // The palette is created as a child of `paletteParent` for the caller to lay out.
  PaintController(TrainingController* controller, RegressionPredictiveView* regression,
                  ClassificationPredictiveView* classification, QWidget* paletteParent);
  ~PaintController() override;

  PaintData* data() const { return m_data; }
  PaintPalette* palette() const { return m_palette; }
  PaintTool* regressionTool() const { return m_regressionTool; }
  PaintTool* classificationTool() const { return m_classificationTool; }

  // The training data as they are now, as CSV (x0.., y: the columns of data.csv).
  QString csv() const;
  // Writes csv() atomically; false with `error` set when it cannot.
  bool exportCsv(const QString& path, QString* error = nullptr) const;

  // From the last edit to the arrival of the first predictive frame computed
  // from a posterior trained on the edited data (ms), or -1 before any.
  double lastLatencyMilliseconds() const { return m_lastLatency; }

 signals:
  // The band or heatmap now reflects the last edit (see lastLatencyMilliseconds).
  void editReflected(double milliseconds);

 private:
  void onRunStarted(const RunInfoPtr& run);
  void onDataChanged();
  void onSnapshot(const SnapshotPtr& snapshot);
  void onFrame(const PredictiveFramePtr& frame);
  void applySettings();
  void updateNote();
  void exportInteractively();

  TrainingController* m_controller;
  RegressionPredictiveView* m_regression;
  ClassificationPredictiveView* m_classification;
  PaintData* m_data = nullptr;
  PaintPalette* m_palette = nullptr;
  PaintTool* m_regressionTool = nullptr;
  PaintTool* m_classificationTool = nullptr;

  int m_version = 0;          // data version of the last edit sent
  Index m_reflectStep = -1;   // first step trained on it, once a snapshot says so
  bool m_waiting = false;
  QElapsedTimer m_editClock;
  double m_lastLatency = -1.0;
};

}  // namespace bayeslab::ui
