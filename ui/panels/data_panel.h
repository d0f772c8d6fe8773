#pragma once
// Data: the data set (from the engine's registry), its size, noise and seed,
// its own options, and CSV import.
#include <optional>

#include "ui/panels/session_panel.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QPushButton;
QT_END_NAMESPACE

namespace bayeslab::ui {

class OptionForm;

class DataPanel : public SessionPanel {
  Q_OBJECT

 public:
  explicit DataPanel(QWidget* parent = nullptr);

  void setSession(const SessionConfig& config) override;
  void writeTo(SessionConfig& config) const override;

  // The task the chosen data set has, when known before loading (CSV files decide themselves).
  std::optional<Task> task() const;
  // Switches to the CSV data set reading `path` (what "Import CSV..." does after its dialog).
  void importCsv(const QString& path);
  // Switches to the IDX data set reading the folder `path` (what "Browse..." does after
  // its dialog). A folder without the four IDX files changes nothing: it returns false,
  // shows why under the data set and emits errorReported.
  bool setIdxFolder(const QString& path);
  QString folderError() const;

  OptionForm* commonForm() const { return m_common; }
  OptionForm* datasetForm() const { return m_own; }
  QComboBox* datasetBox() const { return m_datasetBox; }
  QPushButton* browseButton() const { return m_browseButton; }

 signals:
  // A choice the panel refused (e.g. a folder without IDX files).
  void errorReported(const QString& message);

 private:
  void showDataset(const std::string& id, const DatasetConfig& config, bool resetNoise);
  void onDatasetChosen();

  QComboBox* m_datasetBox = nullptr;
  QLabel* m_description = nullptr;
  QPushButton* m_importButton = nullptr;
  QPushButton* m_browseButton = nullptr;
  QLabel* m_error = nullptr;
  std::string m_shownId;  // the data set the forms describe
  OptionForm* m_common = nullptr;
  OptionForm* m_own = nullptr;
};

}  // namespace bayeslab::ui
