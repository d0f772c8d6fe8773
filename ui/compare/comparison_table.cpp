#include "ui/compare/comparison_table.h"

#include <cmath>

#include "ui/views/chart_style.h"

namespace bayeslab::ui {

namespace {

QString number(double value) {
  if (!std::isfinite(value)) return {};
  return QString::number(value, 'g', 12);
}

// A CSV field: quoted when it holds a comma, quote or line break.
QString field(const QString& text) {
  if (!text.contains(',') && !text.contains('"') && !text.contains('\n')) return text;
  QString quoted = text;
  quoted.replace('"', "\"\"");
  return '"' + quoted + '"';
}

}  // namespace

QString priorLabel(const PriorConfig& prior) {
  const QString name = QString::fromStdString(prior.name);
  OptionValues options = prior.options;
  if (const PriorDescriptor* descriptor = findPrior(prior.name))
    options = withDefaults(descriptor->options, prior.options);
  if (!options.has("scale")) return name;
  return QString("%1(%2)").arg(name).arg(options.number("scale"), 0, 'g', 4);
}

QString runTitle(const SessionConfig& config) {
  return QString("%1 · %2").arg(QString::fromStdString(config.method.name), priorLabel(config.prior));
}

QColor runColor(int k) {
  static const QColor colors[] = {palette::kBlue,   palette::kVermillion, palette::kGreen,
                                  palette::kPurple, palette::kOrange,     palette::kSky};
  constexpr int n = static_cast<int>(std::size(colors));
  return colors[((k % n) + n) % n];
}

QString comparisonCsv(const std::vector<ComparisonRow>& rows, Task task) {
  const bool regression = task == Task::Regression;
  QString text = QString("run,method,prior,final_elbo,test_log_likelihood,%1,test_ece,"
                         "ms_per_step,parameters\n")
                     .arg(regression ? "test_rmse" : "test_accuracy");
  for (const ComparisonRow& r : rows) {
    text += QStringList{field(r.run),
                        field(r.method),
                        field(r.prior),
                        number(r.finalElbo),
                        number(r.test.logLikelihood),
                        number(regression ? r.test.rmse : r.test.accuracy),
                        number(r.test.ece),
                        number(r.msPerStep),
                        QString::number(r.parameters)}
                .join(',');
    text += '\n';
  }
  return text;
}

}  // namespace bayeslab::ui
