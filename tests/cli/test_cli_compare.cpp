// `bayeslab-cli compare` as a user runs it (SPEC.md section 5): two and three
// sessions trained side by side on the first one's data write comparison.csv
// (one row per run, the task's metric column), each run's `train` outputs in its
// own folder and the overlaid figures; a bad session gives exit code 2, one line
// naming that file and the field, and no output at all.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>
#include <cmath>
#include "tests/cli/cli_process.h"
#include "tests/support/test_main.h"

using namespace bayeslab::test;

namespace {

// A small session: `data` is the dataset section, `method` the method's name.
QByteArray session(const QByteArray& data, const QByteArray& method, int steps,
                   const QByteArray& likelihood = "{}", double priorScale = 1.0) {
  return "{\"dataset\": " + data +
         ", \"model\": {\"hidden\": [16], \"activation\": \"tanh\"},"
         " \"likelihood\": " +
         likelihood + ", \"method\": {\"name\": \"" + method +
         "\"},"
         " \"prior\": {\"name\": \"gaussian\", \"scale\": " +
         QByteArray::number(priorScale) +
         "},"
         " \"training\": {\"steps\": " +
         QByteArray::number(steps) +
         ", \"batch_size\": 32, \"learning_rate\": 0.01, \"seed\": 3, \"eval_every\": 20}}";
}

const QByteArray kRegressionData =
    R"({"name": "blundell", "n_train": 64, "n_test": 64, "noise": 0.02, "seed": 1})";
const QByteArray kMoonsData =
    R"({"name": "moons", "n_train": 128, "n_test": 64, "noise": 0.1, "seed": 1})";

QStringList cells(const QString& line) {
  return line.split(',');
}

}  // namespace

class TestCliCompare : public QObject {
  Q_OBJECT
 private slots:
  void compareWritesEveryOutput_data() {
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("likelihood");
    QTest::addColumn<QStringList>("methods");
    QTest::addColumn<QString>("metric");
    QTest::newRow("regression, two runs") << kRegressionData << QByteArray(R"({"noise_std": 0.1})")
                                          << QStringList{"bbb", "map"} << "test_rmse";
    QTest::newRow("classification, three runs")
        << kMoonsData << QByteArray("{}") << QStringList{"bbb", "bbb_lrt", "mc_dropout"}
        << "test_accuracy";
  }
  void compareWritesEveryOutput() {
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, likelihood);
    QFETCH(QStringList, methods);
    QFETCH(QString, metric);
    QTemporaryDir tmp;
    QStringList args{"compare"};
    for (const QString& m : methods) {
      const QString path = tmp.filePath(m + ".json");
      // Every run but the first names other data: the first session's is used.
      const QByteArray other =
          metric == "test_rmse" ? R"({"name": "cubic"})" : R"({"name": "circles"})";
      const QByteArray runData = args.size() == 1 ? data : other;
      writeText(path, session(runData, m.toUtf8(), 120, likelihood));
      args << path;
    }
    const QString out = tmp.filePath("out");
    args << "--out" << out << "--quiet";
    const CliRun r = cli(args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));

    const QStringList lines =
        QString::fromUtf8(readAll(out + "/comparison.csv")).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), methods.size() + 1);
    QCOMPARE(cells(lines[0]),
             (QStringList{"run", "method", "prior", "final_elbo", "test_log_likelihood", metric,
                          "test_ece", "ms_per_step", "parameters"}));
    for (int k = 0; k < methods.size(); ++k) {
      const QStringList row = cells(lines[k + 1]);
      QCOMPARE(row.size(), 9);
      QCOMPARE(row[0], methods[k]);
      QCOMPARE(row[1], methods[k]);
      QCOMPARE(row[2], QString("gaussian(1)"));
      for (int c = 3; c < 9; ++c) {
        bool ok = false;
        const double value = row[c].toDouble(&ok);
        QVERIFY2(ok && std::isfinite(value), qPrintable(lines[k + 1]));
      }
      QVERIFY(row[7].toDouble() > 0.0);
      QVERIFY(row[8].toLongLong() > 0);
      if (metric == "test_accuracy") QVERIFY(row[5].toDouble() > 0.5);

      // The run's folder holds what `train` writes, on the first session's data.
      const QString dir = out + "/" + methods[k];
      for (const char* file : {"metrics.csv", "summary.json", "posterior.json", "predictive.csv",
                               "data.csv", "session.json", "elbo.png", "predictive.svg"})
        QVERIFY2(QFile::exists(dir + "/" + file), qPrintable(dir + "/" + file));
      const QJsonObject summary = QJsonDocument::fromJson(readAll(dir + "/summary.json")).object();
      QCOMPARE(summary["parameters"].toInteger(), row[8].toLongLong());
      const double elbo = summary["final_elbo"].toDouble();
      QVERIFY2(std::abs(elbo - row[3].toDouble()) <= 1e-9 * std::abs(elbo), qPrintable(row[3]));
      QCOMPARE(readAll(dir + "/data.csv"), readAll(out + "/" + methods[0] + "/data.csv"));
    }
    for (const char* stem : {"comparison_elbo", "comparison_test", "comparison_predictive"}) {
      const QImage png(out + "/" + stem + ".png");
      QVERIFY2(!png.isNull() && png.width() >= 500, stem);
      QVERIFY(readAll(out + "/" + stem + ".svg").contains("<svg"));
    }
  }

  void badSessionFailsNamingTheFile_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("field");
    QTest::newRow("unknown key") << QByteArray(R"({"training": {"step": 10}})") << "training.step";
    QTest::newRow("bad value") << QByteArray(R"({"training": {"learning_rate": 0}})")
                               << "training.learning_rate";
    QTest::newRow("syntax error") << QByteArray("{\"method\": ") << "invalid JSON";
    // Valid alone, but its likelihood does not fit the first session's data (regression).
    QTest::newRow("likelihood vs the first session's data")
        << session(kMoonsData, "bbb", 10, R"({"name": "softmax"})") << "likelihood";
  }
  void badSessionFailsNamingTheFile() {
    QFETCH(QByteArray, text);
    QFETCH(QString, field);
    QTemporaryDir tmp;
    const QString good = tmp.filePath("good.json");
    writeText(good, session(kRegressionData, "bbb", 10, R"({"noise_std": 0.1})"));
    const QString bad = tmp.filePath("broken.json");
    writeText(bad, text);
    const QString out = tmp.filePath("out");
    const CliRun r = cli({"compare", good, bad, "--out", out});
    QCOMPARE(r.exitCode, 2);
    const QStringList lines = r.err.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().contains("broken.json"), qPrintable(lines.first()));
    QVERIFY2(lines.first().contains(field), qPrintable(lines.first()));
    QVERIFY2(!QFileInfo::exists(out), "no output for a bad comparison");
  }

  void commandLineErrors() {
    QTemporaryDir tmp;
    const QString one = tmp.filePath("one.json");
    writeText(one, session(kRegressionData, "bbb", 10));
    for (const QStringList& args : {QStringList{"compare", one, "--out", tmp.filePath("o")},
                                    QStringList{"compare", one, one}}) {
      const CliRun r = cli(args);
      QCOMPARE(r.exitCode, 2);
      QCOMPARE(r.err.split('\n', Qt::SkipEmptyParts).size(), 1);
    }
  }
};

BAYESLAB_TEST_GUILESS_MAIN(TestCliCompare)
#include "test_cli_compare.moc"
