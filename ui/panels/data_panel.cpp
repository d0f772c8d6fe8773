#include "ui/panels/data_panel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "engine/data/dataset_registry.h"
#include "ui/panels/option_form.h"

namespace bayeslab::ui {

namespace {

constexpr double kMaxSeed = 9007199254740992.0;  // 2^53: what a JSON number holds exactly
const char* kCsvId = "csv";
const char* kCsvPathKey = "path";

// The settings every data set shares, described like the data set's own options.
OptionSpecs commonSpecs(const DatasetDescriptor& d) {
  OptionSpecs specs = {
      OptionSpec::integer("n_train", "Training points",
                          "Number of training examples (for files: an upper limit).", 256, 1,
                          10'000'000),
      OptionSpec::integer("n_test", "Test points",
                          "Number of held-out examples for the test metrics (for files: an "
                          "upper limit).",
                          256, 0, 10'000'000),
      OptionSpec::real(
          "noise", "Noise",
          d.noiseTooltip.empty() ? "Noise level of the generated data." : d.noiseTooltip,
          d.defaultNoise, 0.0, 1e6),
      OptionSpec::real("seed", "Data seed",
                       "Seed of the data generator: the same seed gives the same points.", 1, 0,
                       kMaxSeed),
  };
  specs[3].kind = OptionKind::Integer;
  return specs;
}

}  // namespace

DataPanel::DataPanel(QWidget* parent) : SessionPanel(tr("Data"), parent) {
  m_datasetBox = new QComboBox(this);
  m_datasetBox->setObjectName("datasetBox");
  for (const DatasetDescriptor& d : datasetRegistry()) {
    m_datasetBox->addItem(QString::fromStdString(d.displayName), QString::fromStdString(d.id));
    m_datasetBox->setItemData(m_datasetBox->count() - 1, QString::fromStdString(d.description),
                              Qt::ToolTipRole);
  }
  m_datasetBox->setToolTip(tr("The data set to learn from. Changing it starts a new run."));
  m_description = new QLabel(this);
  m_description->setWordWrap(true);
  m_description->setForegroundRole(QPalette::PlaceholderText);
  m_importButton = new QPushButton(tr("Import CSV..."), this);
  m_importButton->setToolTip(
      tr("Use your own data: a CSV file with the inputs in the first columns and the target in "
         "the last (class indices 0..K-1 for classification)."));
  m_common = new OptionForm(this);
  m_own = new OptionForm(this);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_datasetBox);
  layout->addWidget(m_description);
  layout->addWidget(m_importButton);
  layout->addWidget(m_common);
  layout->addWidget(m_own);

  connect(m_datasetBox, &QComboBox::currentIndexChanged, this, &DataPanel::onDatasetChosen);
  connect(m_common, &OptionForm::valueChanged, this, &SessionPanel::edited);
  connect(m_own, &OptionForm::valueChanged, this, &SessionPanel::edited);
  connect(m_importButton, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import a CSV data set"), QString(),
                                                      tr("CSV files (*.csv *.txt);;All files (*)"));
    if (!path.isEmpty()) importCsv(path);
  });
  showDataset(datasetRegistry().front().id, DatasetConfig{}, true);
}

void DataPanel::showDataset(const std::string& id, const DatasetConfig& config, bool resetNoise) {
  const DatasetDescriptor* d = findDataset(id);
  if (!d) return;
  {
    const QSignalBlocker block(m_datasetBox);
    m_datasetBox->setCurrentIndex(m_datasetBox->findData(QString::fromStdString(id)));
  }
  m_description->setText(QString::fromStdString(d->description));
  OptionValues common;
  common.set("n_train", static_cast<double>(config.nTrain));
  common.set("n_test", static_cast<double>(config.nTest));
  common.set("noise", resetNoise ? d->defaultNoise : config.noise.value_or(d->defaultNoise));
  common.set("seed", static_cast<double>(config.seed));
  m_common->setSpecs(commonSpecs(*d), common);
  // File-backed data sets have no generator noise.
  m_common->setRowVisible("noise", static_cast<bool>(d->generate));
  m_own->setSpecs(d->options, config.options);
  m_own->setVisible(!d->options.empty());
}

void DataPanel::onDatasetChosen() {
  SessionConfig current;
  writeTo(current);
  const std::string id = m_datasetBox->currentData().toString().toStdString();
  DatasetConfig next = current.dataset;
  next.options = {};
  showDataset(id, next, true);
  emit edited();
}

void DataPanel::importCsv(const QString& path) {
  SessionConfig current;
  writeTo(current);
  DatasetConfig next = current.dataset;
  next.name = kCsvId;
  next.options = {};
  next.options.set(kCsvPathKey, path.toStdString());
  showDataset(kCsvId, next, true);
  emit edited();
}

void DataPanel::setSession(const SessionConfig& config) {
  showDataset(config.dataset.name, config.dataset, false);
}

void DataPanel::writeTo(SessionConfig& config) const {
  const std::string id = m_datasetBox->currentData().toString().toStdString();
  const DatasetDescriptor* d = findDataset(id);
  const OptionValues common = m_common->values();
  config.dataset.name = id;
  config.dataset.nTrain = static_cast<Index>(common.number("n_train"));
  config.dataset.nTest = static_cast<Index>(common.number("n_test"));
  config.dataset.seed = static_cast<std::uint64_t>(common.number("seed"));
  if (d && d->generate)
    config.dataset.noise = common.number("noise");
  else
    config.dataset.noise.reset();
  config.dataset.options = m_own->values();
}

std::optional<Task> DataPanel::task() const {
  const DatasetDescriptor* d = findDataset(m_datasetBox->currentData().toString().toStdString());
  if (!d || d->load) return std::nullopt;
  return d->task;
}

}  // namespace bayeslab::ui
