#pragma once
// A lecture preset: a one-click story for a lecture (File > Lectures). A
// preset is a JSON file (the embedded ones live in the ":/lectures" resource
// folder):
//
//   {"title": "Uncertainty away from the data",
//    "paragraph": "What to look at, 2-4 sentences.",
//    "view": "Predictive",              // the tab to show (its title)
//    "sessions": [{...session...}, ...]} // 1: a single run; 2-6: a comparison
//
// Each session is a session file's object (engine/training/session_json.h),
// validated exactly as the file would be. A bad preset throws InputError
// naming the preset file and the field ("sessions[1].method.name").
#include <QString>
#include <QStringList>
#include <vector>

#include "engine/training/session.h"

namespace bayeslab::ui {

struct LecturePreset {
  static constexpr int kMaxSessions = 6;

  QString path;  // where it was read from
  QString title;
  QString paragraph;
  QString view;  // a tab title of the views area
  std::vector<SessionConfig> sessions;

  bool isComparison() const { return sessions.size() > 1; }
};

// Parses and validates a preset's JSON text; `fileName` names it in errors.
LecturePreset parseLecturePreset(const QByteArray& text, const QString& fileName);
// Reads a file or a Qt resource path.
LecturePreset loadLecturePreset(const QString& path);
// The preset files of a folder (resource or disk), in file-name order.
QStringList lecturePresetPaths(const QString& folder = QStringLiteral(":/lectures"));

}  // namespace bayeslab::ui
