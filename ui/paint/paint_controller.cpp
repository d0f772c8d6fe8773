#include "ui/paint/paint_controller.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QUndoStack>

#include "engine/data/csv_dataset.h"
#include "engine/io/atomic_file.h"
#include "ui/paint/paint_data.h"
#include "ui/paint/paint_palette.h"
#include "ui/training/training_controller.h"
#include "ui/views/classification_predictive_view.h"
#include "ui/views/regression_predictive_view.h"

namespace bayeslab::ui {

PaintController::PaintController(TrainingController* controller,
                                 RegressionPredictiveView* regression,
                                 ClassificationPredictiveView* classification,
                                 QWidget* paletteParent)
    : QObject(paletteParent),
      m_controller(controller),
      m_regression(regression),
      m_classification(classification) {
  m_data = new PaintData(this);
  m_palette = new PaintPalette(m_data->undoStack(), paletteParent);
  m_palette->setVisible(false);
  m_regressionTool = new PaintTool(regression->chartView(), regression->chart(),
                                   regression->xAxis(), regression->yAxis(), m_data, this);
  m_classificationTool =
      new PaintTool(classification->chartView(), classification->chart(), classification->xAxis(),
                    classification->yAxis(), m_data, this);

  connect(m_palette, &PaintPalette::settingsChanged, this, &PaintController::applySettings);
  connect(m_palette, &PaintPalette::clearRequested, m_data, &PaintData::clear);
  connect(m_palette, &PaintPalette::exportRequested, this, &PaintController::exportInteractively);
  connect(m_data, &PaintData::changed, this, &PaintController::onDataChanged);
  connect(controller, &TrainingController::runStarted, this, &PaintController::onRunStarted);
  connect(controller, &TrainingController::snapshotReceived, this, &PaintController::onSnapshot);
  connect(controller, &TrainingController::predictiveReady, this, &PaintController::onFrame);
  applySettings();
}

PaintController::~PaintController() = default;

void PaintController::onRunStarted(const RunInfoPtr& run) {
  const Dataset& train = run->data->train;
  m_data->reset(train);
  m_palette->setClasses(train.task == Task::Classification ? train.classes : 0);
  m_palette->setVisible(m_data->isActive());
  m_version = 0;
  m_waiting = false;
  m_reflectStep = -1;
  updateNote();
}

void PaintController::applySettings() {
  const PaintSettings s = m_palette->settings();
  m_regressionTool->setSettings(s);
  m_classificationTool->setSettings(s);
}

void PaintController::onDataChanged() {
  const Dataset train = m_data->dataset();
  // The points first: they appear at once, before any training.
  if (train.task == Task::Regression)
    m_regression->setTrainingData(train);
  else
    m_classification->setTrainingData(train);
  if (train.size() > 0) {
    m_version = m_controller->replaceTrainingData(train);
    m_editClock.start();
    m_waiting = m_version > 0;
    m_reflectStep = -1;
  }
  updateNote();
}

void PaintController::onSnapshot(const SnapshotPtr& snapshot) {
  if (!m_waiting || m_reflectStep >= 0) return;
  if (snapshot->dataVersion == m_version && snapshot->posterior) m_reflectStep = snapshot->step;
}

void PaintController::onFrame(const PredictiveFramePtr& frame) {
  if (!m_waiting || m_reflectStep < 0 || frame->runId != m_controller->runId() ||
      frame->step < m_reflectStep)
    return;
  m_waiting = false;
  m_lastLatency = static_cast<double>(m_editClock.nsecsElapsed()) / 1e6;
  emit editReflected(m_lastLatency);
}

void PaintController::updateNote() {
  if (!m_data->isActive()) {
    m_palette->setNote(QString(), false);
    return;
  }
  if (m_data->points().empty()) {
    m_palette->setNote(tr("No training points: paint some (until then the run keeps the last "
                          "non-empty set)"),
                       true);
    return;
  }
  m_palette->setNote(m_data->summary(), m_data->isEdited());
}

QString PaintController::csv() const {
  const auto data = m_controller->trainingData();
  if (!data) return QString();
  return QString::fromStdString(csvText(data->train));
}

bool PaintController::exportCsv(const QString& path, QString* error) const {
  try {
    bayeslab::writeFileAtomically(path.toStdString(), csv().toStdString());
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  return true;
}

void PaintController::exportInteractively() {
  const QString path = QFileDialog::getSaveFileName(m_palette, tr("Export the training data"),
                                                    QStringLiteral("data.csv"),
                                                    tr("CSV files (*.csv);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!exportCsv(path, &error)) {
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot export the data"), error,
                                QMessageBox::Ok, m_palette);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->show();
  }
}

}  // namespace bayeslab::ui
