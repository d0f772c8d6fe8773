#include "ui/session/window_autosave.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QLocale>
#include <QStatusBar>
#include <cstdio>

#include "ui/main_window.h"
#include "ui/panels/control_panel.h"
#include "ui/session/autosave.h"
#include "ui/training/training_controller.h"

namespace bayeslab::ui {

namespace {

constexpr int kAutosaveMessageMilliseconds = 15000;

void say(const QString& line) {
  std::printf("BayesLab: %s\n", qPrintable(line));
  std::fflush(stdout);
}

bool restore(MainWindow& window, const OrphanedAutosave& orphan) {
  QString path;
  try {
    path = adoptAutosave(orphan);
  } catch (const std::exception& e) {
    window.statusBar()->showMessage(QString::fromStdString(e.what()), kAutosaveMessageMilliseconds);
    say(QString("could not restore the autosave: %1").arg(e.what()));
    return false;
  }
  if (!window.openSession(path)) {
    say(QString("could not open the restored session %1").arg(QDir::toNativeSeparators(path)));
    return false;
  }
  window.statusBar()->showMessage(QObject::tr("Restored the session autosaved at %1 (kept as %2)")
                                      .arg(QLocale().toString(orphan.saved, QLocale::ShortFormat),
                                           QDir::toNativeSeparators(path)),
                                  kAutosaveMessageMilliseconds);
  say(QString("restored the autosaved session into %1").arg(QDir::toNativeSeparators(path)));
  return true;
}

}  // namespace

AutosaveOfferBar::AutosaveOfferBar(const QString& text, QWidget* parent) : QToolBar(parent) {
  setObjectName("autosaveOfferBar");
  setMovable(false);
  setFloatable(false);
  setStyleSheet("QToolBar#autosaveOfferBar { background: #fff4d6; border: 1px solid #e6c35c; }");
  m_text = new QLabel(text, this);
  m_text->setContentsMargins(8, 2, 12, 2);
  m_text->setToolTip(
      tr("BayesLab keeps the current session in an autosave while it runs and removes it on a "
         "clean exit. This one was left by a BayesLab that did not exit cleanly."));
  addWidget(m_text);
  m_restore = addAction(tr("Restore"));
  m_restore->setToolTip(
      tr("Open the autosaved session (settings and painted points) in this window; the current "
         "session is replaced and a fresh run starts from it."));
  m_discard = addAction(tr("Discard"));
  m_discard->setToolTip(tr("Delete the autosave and keep the current session."));
}

AutosaveOfferBar* autosaveOfferBar(MainWindow& window) {
  return window.findChild<AutosaveOfferBar*>("autosaveOfferBar");
}

Autosaver* setUpWindowAutosave(MainWindow& window, RecoveryChoice choice) {
  const QString folder = autosaveFolder();
  const std::vector<OrphanedAutosave> orphans = orphanedAutosaves(folder);
  if (!orphans.empty()) {
    const OrphanedAutosave& newest = orphans.front();
    switch (choice) {
      case RecoveryChoice::Restore:
        restore(window, newest);
        break;
      case RecoveryChoice::Discard:
        for (const OrphanedAutosave& o : orphans) discardAutosave(o);
        say(QString("discarded %1 autosaved session(s)").arg(orphans.size()));
        break;
      case RecoveryChoice::Ask: {
        const QString when = QLocale().toString(newest.saved, QLocale::ShortFormat);
        auto* bar = new AutosaveOfferBar(
            QObject::tr("\u26a0 BayesLab did not exit cleanly last time. A session autosaved at "
                        "%1 can be restored.")
                .arg(when),
            &window);
        window.addToolBar(Qt::TopToolBarArea, bar);
        window.insertToolBarBreak(bar);
        bar->setVisible(true);  // also when the window is already shown
        QObject::connect(bar->restoreAction(), &QAction::triggered, &window,
                         [&window, bar, newest] {
                           restore(window, newest);
                           bar->deleteLater();
                         });
        QObject::connect(bar->discardAction(), &QAction::triggered, &window, [bar, newest] {
          discardAutosave(newest);
          bar->deleteLater();
        });
        say(QString("an autosaved session from a process that did not exit cleanly is offered "
                    "(%1; --restore-autosave or --discard-autosave choose without asking)")
                .arg(QDir::toNativeSeparators(newest.sessionPath)));
        break;
      }
    }
  }

  auto* saver = new Autosaver([&window] { return window.session(); }, folder, &window);
  QObject::connect(window.controls(), &ControlPanel::edited, saver,
                   &Autosaver::noteSignificantEdit);
  QObject::connect(window.controller(), &TrainingController::runStarted, saver,
                   &Autosaver::noteSignificantEdit);
  // Painted points reach the session through the run's data version.
  auto version = std::make_shared<int>(0);
  QObject::connect(window.controller(), &TrainingController::snapshotReceived, saver,
                   [saver, version](const SnapshotPtr& s) {
                     if (s->dataVersion == *version) return;
                     *version = s->dataVersion;
                     saver->noteSignificantEdit();
                   });
  QObject::connect(saver, &Autosaver::saveFailed, &window, [&window](const QString& message) {
    window.statusBar()->showMessage(message, kAutosaveMessageMilliseconds);
  });
  return saver;
}

}  // namespace bayeslab::ui
