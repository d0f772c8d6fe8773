#pragma once
// Running bayeslab-cli from a test, as a user would (tests/cli).
#include <QFile>
#include <QProcess>
#include <QtTest>

namespace bayeslab::test {

struct CliRun {
  int exitCode = -1;  // -1 when the tool crashed or did not finish
  QString out, err;
};

// Runs the tool CTest names in BAYESLAB_CLI (tests/engine/CMakeLists.txt).
inline CliRun cli(const QStringList& args) {
  const QString program = qEnvironmentVariable("BAYESLAB_CLI");
  if (program.isEmpty()) qFatal("BAYESLAB_CLI is not set: run this test through ctest");
  QProcess p;
  p.start(program, args);
  p.waitForFinished(300000);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
          QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

inline QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline void writeText(const QString& path, const QByteArray& text) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  f.write(text);
}

}  // namespace bayeslab::test
