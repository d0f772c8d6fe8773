#include "ui/panels/model_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QRegularExpression>

#include "engine/model/activation.h"

namespace bayeslab::ui {

namespace {
constexpr int kMaxWidth = 8192;
constexpr int kMaxLayers = 16;
}  // namespace

ModelPanel::ModelPanel(QWidget* parent) : SessionPanel(tr("Model"), parent) {
  m_hidden = new QLineEdit(this);
  m_hidden->setObjectName("hiddenEdit");
  m_hidden->setPlaceholderText(tr("empty: linear model"));
  m_hidden->setToolTip(
      tr("<p>Widths of the hidden layers, comma separated, e.g. <b>64, 64</b> for two layers of "
         "64 units. Leave empty for a linear model (Bayesian linear regression).</p>"
         "<p><i>Changing this needs a new run (Reset).</i></p>"));
  m_activation = new QComboBox(this);
  for (const std::string& name : activationNames())
    m_activation->addItem(QString::fromStdString(name));
  m_activation->setToolTip(
      tr("<p>Nonlinearity after every hidden layer. ReLU networks "
         "extrapolate linearly; tanh networks flatten out.</p>"
         "<p><i>Changing this needs a new run (Reset).</i></p>"));
  auto* layout = new QFormLayout(this);
  layout->addRow(tr("Hidden layers"), m_hidden);
  layout->addRow(tr("Activation"), m_activation);

  connect(m_hidden, &QLineEdit::editingFinished, this, &ModelPanel::onHiddenEdited);
  connect(m_activation, &QComboBox::currentIndexChanged, this, &SessionPanel::edited);
}

std::optional<std::vector<int>> ModelPanel::parseWidths(const QString& text, QString* error) {
  std::vector<int> widths;
  const QStringList parts = text.split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts);
  for (const QString& part : parts) {
    bool ok = false;
    const int width = part.toInt(&ok);
    if (!ok || width < 1 || width > kMaxWidth) {
      if (error) *error = tr("'%1' is not a layer width (1..%2)").arg(part).arg(kMaxWidth);
      return std::nullopt;
    }
    widths.push_back(width);
  }
  if (static_cast<int>(widths.size()) > kMaxLayers) {
    if (error) *error = tr("at most %1 hidden layers").arg(kMaxLayers);
    return std::nullopt;
  }
  return widths;
}

QString ModelPanel::formatWidths(const std::vector<int>& widths) {
  QStringList parts;
  for (int w : widths) parts << QString::number(w);
  return parts.join(", ");
}

void ModelPanel::onHiddenEdited() {
  QString error;
  const auto widths = parseWidths(m_hidden->text(), &error);
  m_hidden->setStyleSheet(widths ? QString() : "QLineEdit { background: #fde0dc; }");
  if (!widths) return;
  const bool changed = *widths != m_lastValid;
  m_lastValid = *widths;
  if (changed) emit edited();
}

void ModelPanel::setSession(const SessionConfig& config) {
  const QSignalBlocker b1(m_hidden), b2(m_activation);
  m_lastValid = config.model.hidden;
  m_hidden->setText(formatWidths(config.model.hidden));
  m_hidden->setStyleSheet(QString());
  m_activation->setCurrentIndex(
      m_activation->findText(QString::fromStdString(config.model.activation)));
}

void ModelPanel::writeTo(SessionConfig& config) const {
  config.model.hidden = m_lastValid;
  config.model.activation = m_activation->currentText().toStdString();
}

std::optional<QString> ModelPanel::inputError() const {
  QString error;
  if (parseWidths(m_hidden->text(), &error)) return std::nullopt;
  return tr("model.hidden: %1").arg(error);
}

}  // namespace bayeslab::ui
