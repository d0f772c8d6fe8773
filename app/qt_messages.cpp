#include "app/qt_messages.h"

#include <QString>
#include <QtGlobal>

namespace bayeslab::app {

namespace {
QtMessageHandler g_previous = nullptr;

void filter(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  // Offscreen rendering and root shells without a session produce warnings
  // that say nothing to a user of the CLI and would break its one-line errors.
  if (type == QtWarningMsg && (message.contains(QLatin1String("propagateSizeHints")) ||
                               message.contains(QLatin1String("XDG_RUNTIME_DIR"))))
    return;
  if (g_previous) g_previous(type, context, message);
}
}  // namespace

void silenceOffscreenNoise() {
  g_previous = qInstallMessageHandler(filter);
}

}  // namespace bayeslab::app
