#pragma once
// The headless demo: runs the embedded example sessions and writes their
// outputs and figures, for machines without a display.
#include <QString>

namespace bayeslab::app {

// Sessions run by the demo (resource names under :/sessions/).
QStringList demoSessions();
// Runs every demo session into outDir/<session name>/ and says where on stdout.
int runDemo(const QString& outDir, bool quiet);
// True when no X11 / Wayland display is reachable and no Qt platform was chosen.
bool displayUnavailable();

}  // namespace bayeslab::app
