// bayeslab-cli as a user runs it: every output of SPEC.md section 5 for the
// shipped example sessions, exact reproduction from the saved session, and bad
// input giving exit code 2, one line naming file and field, and no damage to
// earlier output.
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>
#include "tests/cli/cli_process.h"
#include "tests/support/test_main.h"

using namespace bayeslab::test;

namespace {

QString sourcePath(const QString& relative) {
  return QString(qgetenv("BAYESLAB_SOURCE_DIR")) + "/" + relative;
}

// A copy of a shipped session with fewer steps (and method options overridden),
// so the suite stays fast.
QString shortSession(const QString& example, const QString& dir, int steps,
                     const QJsonObject& method = {}) {
  QJsonObject root =
      QJsonDocument::fromJson(readAll(sourcePath("resources/sessions/" + example))).object();
  QJsonObject training = root["training"].toObject();
  training["steps"] = steps;
  root["training"] = training;
  // A new method name starts from that method's defaults.
  QJsonObject methodObject = method.contains("name") ? QJsonObject() : root["method"].toObject();
  for (auto it = method.begin(); it != method.end(); ++it) methodObject[it.key()] = it.value();
  root["method"] = methodObject;
  const QString path = dir + "/" + example;
  writeText(path, QJsonDocument(root).toJson());
  return path;
}

QStringList csvLines(const QString& path) {
  return QString::fromUtf8(readAll(path)).split('\n', Qt::SkipEmptyParts);
}

// The cells of one CSV line; quoted cells may hold commas and doubled quotes.
QStringList csvCells(const QString& line) {
  QStringList cells{QString()};
  bool quoted = false;
  for (int i = 0; i < line.size(); ++i) {
    const QChar c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += c;
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells << QString();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

// metrics.csv without the wall-clock column.
QStringList metricsWithoutTime(const QString& path) {
  QStringList lines = csvLines(path);
  const int timeColumn = lines.first().split(',').indexOf("seconds");
  for (QString& line : lines) {
    QStringList cells = line.split(',');
    cells.removeAt(timeColumn);
    line = cells.join(',');
  }
  return lines;
}

}  // namespace

class TestCli : public QObject {
  Q_OBJECT
 private slots:
  void trainWritesEveryOutput_data() {
    QTest::addColumn<QString>("session");
    QTest::addColumn<bool>("regression");
    QTest::addColumn<QJsonObject>("method");   // options overriding the session's
    QTest::addColumn<bool>("samples");         // posterior.json holds weight_samples
    QTest::addColumn<QStringList>("figures");  // figures this session must have
    QTest::addColumn<QStringList>("extras");   // metrics.csv columns the method adds
    const QStringList none;
    QTest::newRow("regression (bbb, blundell)")
        << "blundell_bbb.json" << true << QJsonObject() << false << none << none;
    QTest::newRow("classification (bbb, moons)")
        << "moons_bbb.json" << false << QJsonObject() << false << none << none;
    QTest::newRow("linear model (bbb, linear)") << "linear_bbb.json" << true << QJsonObject()
                                                << false << QStringList{"exact_reference"} << none;
    QTest::newRow("map (cubic)") << "cubic_map.json" << true << QJsonObject() << false << none
                                 << none;
    QTest::newRow("laplace (kfac, moons)")
        << "moons_laplace.json" << false << QJsonObject() << false << none << none;
    QTest::newRow("laplace (last layer, linear)")
        << "linear_bbb.json" << true
        << QJsonObject{{"name", "laplace"}, {"hessian", "last_layer_full"}} << false
        << QStringList{"exact_reference"} << none;
    // Burn-in shortened so that 300 steps keep draws.
    QTest::newRow("sgld (blundell)")
        << "blundell_sgld.json" << true << QJsonObject{{"burn_in", 100}, {"thinning", 5}} << true
        << QStringList{"chains"} << none;
    QTest::newRow("hmc (linear)") << "linear_hmc.json" << true << QJsonObject() << true
                                  << QStringList{"chains", "exact_reference"} << none;
    // The rich posteriors: SIVI with both K-sample bounds as columns (its summary
    // holds draws of q), MNF and inducing weights in both forms.
    QTest::newRow("sivi (linear)")
        << "linear_sivi.json" << true << QJsonObject() << true << QStringList{"exact_reference"}
        << QStringList{"elbo_lower", "elbo_upper", "mixing_draws"};
    QTest::newRow("mnf (moons)") << "moons_bbb.json" << false << QJsonObject{{"name", "mnf"}}
                                 << false << none << none;
    QTest::newRow("mnf (blundell, planar flow on the one input)")
        << "blundell_bbb.json" << true << QJsonObject{{"name", "mnf"}} << false << none << none;
    QTest::newRow("inducing (moons, FFG-U, function space)")
        << "moons_bbb.json" << false << QJsonObject{{"name", "inducing"}, {"sampling", "function"}}
        << false << none << none;
    QTest::newRow("inducing (blundell, Ensemble-U, weight space)")
        << "blundell_bbb.json" << true
        << QJsonObject{{"name", "inducing"}, {"q", "ensemble"}, {"sampling", "weight"}} << false
        << none << none;
  }
  void trainWritesEveryOutput() {
    QFETCH(QString, session);
    QFETCH(bool, regression);
    QFETCH(QJsonObject, method);
    QFETCH(bool, samples);
    QFETCH(QStringList, figures);
    QFETCH(QStringList, extras);
    QTemporaryDir tmp;
    const int steps = 300;
    const QString path = shortSession(session, tmp.path(), steps, method);
    const QString out = tmp.filePath("out");
    const CliRun r = cli({"train", path, "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));

    const QStringList metrics = csvLines(out + "/metrics.csv");
    QCOMPARE(metrics.size(), steps + 1);
    QVERIFY(metrics.first().startsWith("step,elbo,expected_log_likelihood,kl,"));
    QVERIFY(metrics.first().contains(regression ? "test_rmse" : "test_accuracy"));
    for (const QString& column : extras)
      QVERIFY2(metrics.first().split(',').contains(column), qPrintable(metrics.first()));

    const QJsonObject summary = QJsonDocument::fromJson(readAll(out + "/summary.json")).object();
    for (const char* key :
         {"final_elbo", "test_log_likelihood", "test_ece", "train_seconds", "parameters"})
      QVERIFY2(summary.contains(key), key);
    QVERIFY(summary[regression ? "test_rmse" : "test_accuracy"].isDouble());
    QVERIFY(summary["parameters"].toInt() > 0);
    if (!regression) QVERIFY(summary["test_accuracy"].toDouble() > 0.8);

    const QJsonObject posterior =
        QJsonDocument::fromJson(readAll(out + "/posterior.json")).object();
    const QJsonArray layers = posterior["layers"].toArray();
    QVERIFY(!layers.isEmpty());
    const QJsonArray firstWeights = layers.first().toObject()["weight_mean"].toArray();
    const QJsonArray lastBias = layers.last().toObject()["bias_std"].toArray();
    QCOMPARE(firstWeights.first().toArray().size(), regression ? 1 : 2);  // [d_out][d_in]
    QCOMPARE(lastBias.size(), regression ? 1 : 2);
    QCOMPARE(layers.first().toObject()["weight_std"].toArray().size(), firstWeights.size());
    for (const QJsonValue& layer : layers) {
      // Sampling methods: [sample][d_out][d_in] and [sample][d_out], as many of each.
      const QJsonArray ws = layer.toObject()["weight_samples"].toArray();
      const QJsonArray bs = layer.toObject()["bias_samples"].toArray();
      QCOMPARE(!ws.isEmpty(), samples);
      QCOMPARE(bs.size(), ws.size());
      if (samples) {
        QVERIFY(ws.size() > 1);
        QCOMPARE(ws.first().toArray().size(), layer.toObject()["weight_mean"].toArray().size());
        QCOMPARE(bs.first().toArray().size(), layer.toObject()["bias_mean"].toArray().size());
      }
    }

    const QStringList predictive = csvLines(out + "/predictive.csv");
    QCOMPARE(predictive.first(), regression ? QString("x0,mean,std_epistemic,std_total")
                                            : QString("x0,x1,p0,p1,entropy,mutual_information"));
    QVERIFY(predictive.size() > 100);

    const QStringList data = csvLines(out + "/data.csv");
    QVERIFY(data.first().startsWith("x0,"));
    QVERIFY(data.first().endsWith(",y"));
    const QJsonObject sessionJson = QJsonDocument::fromJson(readAll(path)).object();
    QCOMPARE(data.size() - 1, sessionJson["dataset"].toObject()["n_train"].toInt());

    const QStringList written = QDir(out).entryList({"*.png", "*.svg"});
    QVERIFY2(written.size() >= 6, qPrintable(written.join(' ')));
    for (const QString& figure : figures)
      QVERIFY2(written.contains(figure + ".png") && written.contains(figure + ".svg"),
               qPrintable(figure));
    // The exact reference is drawn only where there is one, the chains only for samplers.
    QCOMPARE(written.contains("exact_reference.png"), figures.contains("exact_reference"));
    QCOMPARE(written.contains("chains.png"), figures.contains("chains"));
    for (const QString& f : QDir(out).entryList({"*.png"}))
      QVERIFY2(!QImage(out + "/" + f).isNull(), qPrintable(f));
  }

  // The image examples: rotation.csv over 0..180 degrees and the image figures.
  void imageSessionsWriteRotation_data() {
    QTest::addColumn<QString>("session");
    QTest::newRow("mnf (digits)") << "digits_mnf.json";
    QTest::newRow("inducing (digits)") << "digits_inducing.json";
  }
  void imageSessionsWriteRotation() {
    QFETCH(QString, session);
    QTemporaryDir tmp;
    const QString path = shortSession(session, tmp.path(), 40);
    const QString out = tmp.filePath("out");
    const CliRun r = cli({"train", path, "--out", out, "--quiet"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList rotation = csvLines(out + "/rotation.csv");
    QCOMPARE(rotation.first(), QString("angle,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,entropy,"
                                       "mutual_information"));
    QCOMPARE(rotation.size(), 1 + 19);  // 0, 10, .., 180 degrees
    const QJsonObject summary = QJsonDocument::fromJson(readAll(out + "/summary.json")).object();
    QVERIFY(summary["test_accuracy"].isDouble());
    QVERIFY(summary["parameters"].toInt() > 0);
    const QStringList written = QDir(out).entryList({"*.png"});
    for (const char* figure : {"elbo.png", "rotation.png", "uncertainty.png", "weights.png"})
      QVERIFY2(written.contains(figure), qPrintable(written.join(' ')));
  }

  void savedSessionReproducesTheRun() {
    QTemporaryDir tmp;
    const QString path = shortSession("moons_bbb.json", tmp.path(), 200);
    QCOMPARE(cli({"train", path, "--out", tmp.filePath("a"), "--no-figures", "--quiet"}).exitCode,
             0);
    // The output folder holds the complete session; running it again gives the same run.
    QCOMPARE(cli({"train", tmp.filePath("a/session.json"), "--out", tmp.filePath("b"),
                  "--no-figures", "--quiet"})
                 .exitCode,
             0);
    QCOMPARE(metricsWithoutTime(tmp.filePath("b/metrics.csv")),
             metricsWithoutTime(tmp.filePath("a/metrics.csv")));
    QCOMPARE(readAll(tmp.filePath("b/posterior.json")), readAll(tmp.filePath("a/posterior.json")));
  }

  void badSessionFails_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("field");
    QTest::newRow("syntax error") << QByteArray("{\"training\": {\"steps\": 10,}}")
                                  << "invalid JSON";
    QTest::newRow("unknown key") << QByteArray(R"({"training": {"step": 10}})") << "training.step";
    QTest::newRow("bad value") << QByteArray(R"({"training": {"learning_rate": 0}})")
                               << "training.learning_rate";
    QTest::newRow("unknown method")
        << QByteArray(R"({"method": {"name": "nope"}})") << "method.name";
    QTest::newRow("likelihood does not fit data")
        << QByteArray(R"({"dataset": {"name": "moons"}, "likelihood": {"name": "gaussian"}})")
        << "likelihood.name";
    QTest::newRow("missing CSV file")
        << QByteArray(R"({"dataset": {"name": "csv", "path": "/no/such.csv"}})") << "/no/such.csv";
    QTest::newRow("empty file") << QByteArray("") << "invalid JSON";
    QTest::newRow("binary junk") << QByteArray("\x00\xff\xfe garbage", 12) << "invalid JSON";
  }
  void badSessionFails() {
    QFETCH(QByteArray, text);
    QFETCH(QString, field);
    QTemporaryDir tmp;
    // Earlier output in the folder must survive untouched.
    const QString out = tmp.filePath("out");
    QDir().mkpath(out);
    writeText(out + "/metrics.csv", "earlier output\n");
    const QString path = tmp.filePath("broken.json");
    writeText(path, text);
    const CliRun r = cli({"train", path, "--out", out});
    QCOMPARE(r.exitCode, 2);
    const QStringList lines = r.err.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().contains(field), qPrintable(lines.first()));
    if (!field.startsWith('/'))
      QVERIFY2(lines.first().contains("broken.json"), qPrintable(lines.first()));
    QCOMPARE(readAll(out + "/metrics.csv"), QByteArray("earlier output\n"));
    QCOMPARE(QDir(out).entryList(QDir::Files).size(), 1);
  }

  void commandLineErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no command") << QStringList{};
    QTest::newRow("unknown command") << QStringList{"fly"};
    QTest::newRow("train without --out")
        << QStringList{"train", sourcePath("resources/sessions/moons_bbb.json")};
    QTest::newRow("missing session")
        << QStringList{"train", "/no/such/session.json", "--out", "/tmp/x"};
    QTest::newRow("unknown option") << QStringList{"train", "--fast"};
  }
  void commandLineErrors() {
    QFETCH(QStringList, args);
    const CliRun r = cli(args);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.split('\n', Qt::SkipEmptyParts).size(), 1);
  }

  void validateAndHelp() {
    const CliRun ok = cli({"validate", sourcePath("resources/sessions/linear_bbb.json")});
    QCOMPARE(ok.exitCode, 0);
    QVERIFY(ok.out.contains("valid"));
    QCOMPARE(cli({"--help"}).exitCode, 0);
  }

  // `cost` end to end on a shipped session, a few steps per method: one row per
  // method with numbers (or a reason), and the figure.
  void costWritesTableAndFigure() {
    QTemporaryDir tmp;
    const QString path = shortSession("moons_bbb.json", tmp.path(), 2000);
    const QString out = tmp.filePath("cost");
    const CliRun r = cli({"cost", path, "--out", out, "--steps", "30"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = csvLines(out + "/cost.csv");
    QVERIFY(
        lines.first().startsWith("method,name,parameters,parameters_formula,formula_value,"
                                 "state_bytes,ms_per_step,ms_per_predictive_sample,"
                                 "test_log_likelihood,test_accuracy"));
    QVERIFY(lines.first().endsWith(",note"));
    // Every method once.
    const QStringList header = lines.first().split(',');
    const int msColumn = header.indexOf("ms_per_step");
    QStringList methods;
    for (const QString& line : lines.mid(1)) {
      const QStringList cells = csvCells(line);
      methods << cells.first();
      if (!line.contains("cannot run"))
        QVERIFY2(cells.value(msColumn).toDouble() > 0.0, qPrintable(line));
      QCOMPARE(cells.size(), header.size());
    }
    QVERIFY2(methods.size() >= 10, qPrintable(methods.join(' ')));
    QCOMPARE(methods.removeDuplicates(), 0);
    for (const char* id : {"map", "bbb", "ensemble", "laplace", "hmc"})
      QVERIFY2(methods.contains(id), id);
    QVERIFY2(r.err.contains("cost: ["), qPrintable(r.err));  // progress on stderr
    for (const char* figure : {"cost.png", "cost.svg"})
      QVERIFY2(QFile::exists(out + "/" + figure), figure);
    const QImage png(out + "/cost.png");
    QVERIFY(!png.isNull());
    QVERIFY(png.width() > 800);
    QVERIFY(readAll(out + "/cost.svg").contains("<svg"));
  }

  void costChosenMethodsAndBadInput() {
    QTemporaryDir tmp;
    const QString path = shortSession("blundell_bbb.json", tmp.path(), 40);
    const QString out = tmp.filePath("out");
    CliRun r = cli({"cost", path, "--out", out, "--methods", "hmc,map", "--quiet"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.err.isEmpty());
    const QStringList lines = csvLines(out + "/cost.csv");
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[1].startsWith("hmc,"));
    QVERIFY(lines[2].startsWith("map,"));
    QVERIFY(lines.first().contains("test_rmse"));

    // Bad input: exit 2, one line naming the file or option and the field, nothing written.
    const QString bad = tmp.filePath("broken.json");
    writeText(bad, R"({"training": {"learning_rate": -1}})");
    const QString none = tmp.filePath("none");
    r = cli({"cost", bad, "--out", none});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.split('\n', Qt::SkipEmptyParts).size(), 1);
    QVERIFY2(r.err.contains("broken.json") && r.err.contains("training.learning_rate"),
             qPrintable(r.err));
    QVERIFY(!QDir(none).exists());
    r = cli({"cost", path, "--out", none, "--methods", "map,nope"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--methods") && r.err.contains("nope"), qPrintable(r.err));
    QVERIFY(!QDir(none).exists());
    r = cli({"cost", path, "--out", none, "--steps", "0"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!QDir(none).exists());
    QCOMPARE(cli({"cost", path}).exitCode, 2);  // no --out
    // Earlier output survives a bad run untouched.
    const QByteArray before = readAll(out + "/cost.csv");
    QCOMPARE(cli({"cost", bad, "--out", out}).exitCode, 2);
    QCOMPARE(readAll(out + "/cost.csv"), before);
  }

  void divergingRunKeepsItsOutputs() {
    QTemporaryDir tmp;
    const QString path = tmp.filePath("diverge.json");
    writeText(
        path,
        R"({"dataset": {"name": "cubic"}, "model": {"hidden": [32]}, "method": {"name": "map"},
                        "training": {"steps": 400, "optimizer": "sgd", "learning_rate": 50}})");
    const CliRun r = cli({"train", path, "--out", tmp.filePath("out"), "--no-figures"});
    QCOMPARE(r.exitCode, 3);
    QVERIFY(r.err.contains("diverged"));
    const QJsonObject summary =
        QJsonDocument::fromJson(readAll(tmp.filePath("out/summary.json"))).object();
    QCOMPARE(summary["status"].toString(), QString("diverged"));
    QVERIFY(csvLines(tmp.filePath("out/metrics.csv")).size() > 1);
  }
};

BAYESLAB_TEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
