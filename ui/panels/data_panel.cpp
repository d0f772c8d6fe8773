#include "ui/panels/data_panel.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "engine/data/dataset_registry.h"
#include "ui/panels/option_form.h"

namespace bayeslab::ui {

namespace {

const char* kCsvId = "csv";
const char* kCsvPathKey = "path";
const char* kIdxId = "idx";
const char* kIdxPathKey = "path";
// The four files of an MNIST-format folder (each may be gzipped).
const char* const kIdxFiles[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                 "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

// Why `path` is not an IDX folder, or an empty string. Only names are checked
// here, on the UI thread; the files are read (and their contents checked) when
// the run is built on the training thread.
QString idxFolderProblem(const QString& path) {
  const QString shown = QDir::toNativeSeparators(path);
  if (path.isEmpty()) return QObject::tr("No folder chosen.");
  if (!QFileInfo(path).isDir()) return QObject::tr("%1 is not a folder.").arg(shown);
  QStringList missing;
  const QDir dir(path);
  for (const char* stem : kIdxFiles) {
    const QString name = QString::fromLatin1(stem);
    if (!QFileInfo(dir.filePath(name)).isFile() && !QFileInfo(dir.filePath(name + ".gz")).isFile())
      missing << name;
  }
  if (missing.isEmpty()) return {};
  return QObject::tr(
             "%1 holds no MNIST-format data: missing %2 (or .gz). The current run is "
             "unchanged.")
      .arg(shown, missing.join(", "));
}

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
  m_browseButton = new QPushButton(tr("Browse for an IDX folder..."), this);
  m_browseButton->setObjectName("idxBrowseButton");
  m_browseButton->setToolTip(
      tr("Choose a folder with MNIST or Fashion-MNIST in IDX format: train-images-idx3-ubyte, "
         "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each "
         "optionally gzipped."));
  m_error = new QLabel(this);
  m_error->setObjectName("dataErrorLabel");
  m_error->setWordWrap(true);
  m_error->setVisible(false);
  QPalette errorPalette = m_error->palette();
  errorPalette.setColor(QPalette::WindowText, QColor(178, 24, 43));
  m_error->setPalette(errorPalette);
  m_error->setToolTip(tr("Why the last choice was not applied."));
  m_common = new OptionForm(this);
  m_own = new OptionForm(this);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_datasetBox);
  layout->addWidget(m_description);
  layout->addWidget(m_importButton);
  layout->addWidget(m_browseButton);
  layout->addWidget(m_error);
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
  connect(m_browseButton, &QPushButton::clicked, this, [this] {
    const QString start = m_own->values().has(kIdxPathKey)
                              ? QString::fromStdString(m_own->values().text(kIdxPathKey))
                              : QString();
    const QString path = QFileDialog::getExistingDirectory(
        this, tr("Choose a folder with MNIST / Fashion-MNIST IDX files"), start);
    if (!path.isEmpty()) setIdxFolder(path);
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
  m_shownId = id;
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
  m_browseButton->setVisible(id == kIdxId);
  m_error->setVisible(false);
}

void DataPanel::onDatasetChosen() {
  SessionConfig current;
  writeTo(current);
  const std::string id = m_datasetBox->currentData().toString().toStdString();
  DatasetConfig next = current.dataset;
  next.options = {};
  // Sizes carry over between alike data sets (toy sets); between a toy set and
  // thousands of images the new set's own defaults are the sensible start.
  const DatasetDescriptor* from = findDataset(m_shownId);
  const DatasetDescriptor* to = findDataset(id);
  if (from && to &&
      (from->defaultTrainSize != to->defaultTrainSize ||
       from->defaultTestSize != to->defaultTestSize)) {
    next.nTrain = to->defaultTrainSize;
    next.nTest = to->defaultTestSize;
  }
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

bool DataPanel::setIdxFolder(const QString& path) {
  const QString problem = idxFolderProblem(path);
  if (!problem.isEmpty()) {
    m_error->setText(problem);
    m_error->setVisible(true);
    emit errorReported(problem);
    return false;
  }
  SessionConfig current;
  writeTo(current);
  DatasetConfig next = current.dataset;
  if (next.name != kIdxId) {
    // A new data set: its own sizes (the whole files) and options.
    const DatasetDescriptor* d = findDataset(kIdxId);
    next.options = {};
    if (d) {
      next.nTrain = d->defaultTrainSize;
      next.nTest = d->defaultTestSize;
    }
  }
  next.name = kIdxId;
  next.options.set(kIdxPathKey, QDir::cleanPath(path).toStdString());
  showDataset(kIdxId, next, true);
  emit edited();
  return true;
}

QString DataPanel::folderError() const {
  return m_error->isVisible() ? m_error->text() : QString();
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
