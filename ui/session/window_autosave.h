#pragma once
// Wires autosave and crash recovery (autosave.h) into a main window: an
// Autosaver that follows the window's session, and, when an earlier process
// left an autosave behind (crash or kill), a non-blocking bar at the top of
// the window that offers it back (Restore / Discard). Used by the `bayeslab`
// window only: never by the headless demo, the CLI, --measure-ui,
// --screenshot or the tests that build windows themselves.
#include <QString>
#include <QToolBar>

class QLabel;

namespace bayeslab::ui {

class Autosaver;
class MainWindow;
struct OrphanedAutosave;

// What to do with an autosave left by a crashed process.
enum class RecoveryChoice {
  Ask,      // offer it in the window's bar
  Restore,  // open the newest one at once (--restore-autosave)
  Discard,  // delete them all (--discard-autosave)
};

class AutosaveOfferBar : public QToolBar {
  Q_OBJECT

 public:
  explicit AutosaveOfferBar(const QString& text, QWidget* parent = nullptr);
  QAction* restoreAction() const { return m_restore; }
  QAction* discardAction() const { return m_discard; }

 private:
  QLabel* m_text = nullptr;
  QAction* m_restore = nullptr;
  QAction* m_discard = nullptr;
};

// Starts autosaving `window` into autosaveFolder() and deals with orphaned
// autosaves as `choice` says. Prints one line to stdout about what it found
// and did (scripts and the crash test read it). Returns the autosaver (owned
// by the window).
Autosaver* setUpWindowAutosave(MainWindow& window, RecoveryChoice choice);

// The offer bar the window shows, or null (for tests and scripts).
AutosaveOfferBar* autosaveOfferBar(MainWindow& window);

}  // namespace bayeslab::ui
