#include "ui/export/figure_caption.h"

#include "engine/prior/prior.h"

namespace bayeslab::ui {

QString figureCaption(const QString& methodName, const PriorConfig& priorConfig,
                      const Prior* prior, const std::string& dataset, Index trainPoints) {
  const PriorDescriptor* descriptor = findPrior(priorConfig.name);
  QString priorText = descriptor ? QString::fromStdString(descriptor->displayName)
                                 : QString::fromStdString(priorConfig.name);
  if (!priorText.contains(QStringLiteral("prior"), Qt::CaseInsensitive))
    priorText += QStringLiteral(" prior");
  if (prior) priorText += QStringLiteral(" ") + QString::fromStdString(prior->describe());
  return QStringLiteral("%1 \u00b7 %2 \u00b7 %3 data, %L4 points")
      .arg(methodName, priorText, QString::fromStdString(dataset))
      .arg(trainPoints);
}

}  // namespace bayeslab::ui
