#include "ui/lectures/lecture_preset.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include "engine/core/errors.h"
#include "engine/training/session_json.h"

namespace bayeslab::ui {

namespace {

constexpr qint64 kMaxPresetBytes = 1 << 20;
constexpr int kMaxTitleChars = 120;
constexpr int kMaxParagraphChars = 1200;

[[noreturn]] void fail(const QString& file, const QString& field, const QString& message) {
  throw InputError(file.toStdString(), field.toStdString(), message.toStdString());
}

QString requiredText(const QJsonObject& object, const QString& key, int maxChars,
                     const QString& file) {
  const QJsonValue value = object.value(key);
  if (value.isUndefined()) fail(file, key, QStringLiteral("missing"));
  if (!value.isString()) fail(file, key, QStringLiteral("must be a string"));
  const QString text = value.toString().simplified();
  if (text.isEmpty()) fail(file, key, QStringLiteral("must not be empty"));
  if (text.size() > maxChars)
    fail(file, key, QStringLiteral("longer than %1 characters").arg(maxChars));
  return text;
}

}  // namespace

LecturePreset parseLecturePreset(const QByteArray& text, const QString& fileName) {
  QJsonParseError error;
  const QJsonDocument document = QJsonDocument::fromJson(text, &error);
  if (error.error != QJsonParseError::NoError)
    fail(fileName, QString(),
         QStringLiteral("not valid JSON at offset %1: %2").arg(error.offset).arg(error.errorString()));
  if (!document.isObject()) fail(fileName, QString(), QStringLiteral("must be a JSON object"));
  const QJsonObject root = document.object();
  static const QStringList kKnown = {"title", "paragraph", "view", "sessions", "comment"};
  for (const QString& key : root.keys())
    if (!kKnown.contains(key))
      fail(fileName, key,
           QStringLiteral("unknown key (known: title, paragraph, view, sessions, comment)"));

  LecturePreset preset;
  preset.path = fileName;
  preset.title = requiredText(root, "title", kMaxTitleChars, fileName);
  preset.paragraph = requiredText(root, "paragraph", kMaxParagraphChars, fileName);
  preset.view = root.contains("view") ? requiredText(root, "view", kMaxTitleChars, fileName)
                                      : QStringLiteral("Predictive");

  const QJsonValue sessions = root.value("sessions");
  if (sessions.isUndefined()) fail(fileName, "sessions", QStringLiteral("missing"));
  if (!sessions.isArray())
    fail(fileName, "sessions", QStringLiteral("must be an array of session objects"));
  const QJsonArray array = sessions.toArray();
  if (array.isEmpty() || array.size() > LecturePreset::kMaxSessions)
    fail(fileName, "sessions",
         QStringLiteral("needs 1 session (a single run) or 2-%1 (a comparison), has %2")
             .arg(LecturePreset::kMaxSessions)
             .arg(array.size()));
  for (qsizetype i = 0; i < array.size(); ++i) {
    const QString field = QStringLiteral("sessions[%1]").arg(i);
    if (!array.at(i).isObject()) fail(fileName, field, QStringLiteral("must be a session object"));
    const QByteArray json = QJsonDocument(array.at(i).toObject()).toJson(QJsonDocument::Compact);
    try {
      SessionConfig config = parseSessionJson(json.toStdString(), fileName.toStdString());
      if (auto bad = config.validate()) throw InputError(fileName.toStdString(), bad->field, bad->message);
      preset.sessions.push_back(std::move(config));
    } catch (const InputError& e) {
      // The session reader names the field inside the session: prefix the session's index.
      const QString inner = QString::fromStdString(e.field());
      fail(fileName, inner.isEmpty() ? field : field + "." + inner,
           QString::fromStdString(e.message()));
    }
  }
  return preset;
}

LecturePreset loadLecturePreset(const QString& path) {
  QFile file(path);
  if (!file.exists()) fail(path, QString(), QStringLiteral("no such file"));
  if (file.size() > kMaxPresetBytes) fail(path, QString(), QStringLiteral("file is larger than 1 MiB"));
  if (!file.open(QIODevice::ReadOnly)) fail(path, QString(), file.errorString());
  return parseLecturePreset(file.readAll(), path);
}

QStringList lecturePresetPaths(const QString& folder) {
  QStringList paths;
  const QDir dir(folder);
  for (const QString& name : dir.entryList({"*.json"}, QDir::Files, QDir::Name))
    paths << dir.filePath(name);
  return paths;
}

}  // namespace bayeslab::ui
