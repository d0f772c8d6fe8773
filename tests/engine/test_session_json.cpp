// Session files: complete round trip, the shipped examples, and every kind of
// bad input giving one clear error naming the file and the field.
#include <QtTest>

#include "engine/data/painted_points.h"
#include "engine/training/session_json.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

class TestSessionJson : public QObject {
  Q_OBJECT
 private slots:
  void roundTrip() {
    SessionConfig c;
    c.dataset.name = "spiral";
    c.dataset.options.set("classes", 4.0);
    c.model.hidden = {};
    c.method.name = "map";
    c.method.options.set("use_prior", 0.0);
    c.prior.options.set("scale", 0.25);
    c.training.seed = 12345678901234ULL;
    c.training.threads = 2;
    c.training.klWarmupSteps = 100;
    c.sequential.parts = 4;
    c.sequential.split = "random";
    const SessionConfig back = parseSessionJson(sessionToJson(c), "x.json");
    // The written file is complete: defaults are filled in; writing it again is stable.
    QCOMPARE(sessionToJson(back), sessionToJson(c));
    QCOMPARE(back.training.seed, c.training.seed);
    QVERIFY(back.model.hidden.empty());
    QCOMPARE(back.method.options.number("use_prior"), 0.0);
    QCOMPARE(back.dataset.options.number("classes"), 4.0);
    QCOMPARE(back.prior.options.number("scale"), 0.25);
    QCOMPARE(back.sequential.parts, 4);
    QCOMPARE(back.training.klWarmupSteps, Index(100));
  }

  void textThatLooksLikePointsSurvivesASave() {
    // sessionToJson() puts each painted point on one line; a string value that
    // happens to contain the text '"points": [' must not be rewritten.
    SessionConfig c;
    c.dataset.name = "csv";
    const std::string path = "my \"points\": [[1,  2],\n [3,   4]] file.csv";
    c.dataset.options.set("path", path);
    const std::string saved = sessionToJson(c);
    const SessionConfig back = parseSessionJson(saved, "x.json");
    QCOMPARE(QString::fromStdString(back.dataset.options.text("path")),
             QString::fromStdString(path));
    c.dataset.points = PointList{{0.5, -1.0, 1.0}, {0.25, 2.0, 0.0}};
    const std::string withPoints = sessionToJson(c);
    QVERIFY2(
        withPoints.find("\"points\": [\n      [0.5, -1.0, 1.0],\n      [0.25, 2.0, 0.0]\n    ]") !=
            std::string::npos,
        withPoints.c_str());
    QCOMPARE(
        QString::fromStdString(parseSessionJson(withPoints, "x.json").dataset.options.text("path")),
        QString::fromStdString(path));
  }

  void specExampleParses() {
    const char* text =
        R"({"dataset":  {"name": "blundell", "n_train": 256, "n_test": 256, "noise": 0.02, "seed": 1},
     "model":    {"hidden": [64, 64], "activation": "relu"},
     "likelihood": {"noise_std": 0.1, "learn_noise": false},
     "method":   {"name": "bbb"},
     "prior":    {"name": "gaussian", "scale": 1.0},
     "training": {"steps": 2000, "batch_size": 64, "optimizer": "adam", "learning_rate": 0.01,
                  "mc_samples": 1, "kl_weight": 1.0, "seed": 0, "threads": 1}})";
    const SessionConfig c = parseSessionJson(text, "spec.json");
    QCOMPARE(c.dataset.noise.value(), 0.02);
    QCOMPARE(c.model.hidden, (std::vector<int>{64, 64}));
    QCOMPARE(c.training.learningRate, 0.01);
  }

  void shippedExamplesAreValid() {
    const QDir dir(QString(qgetenv("BAYESLAB_SOURCE_DIR")) + "/resources/sessions");
    const QStringList files = dir.entryList({"*.json"});
    QVERIFY(files.size() >= 3);
    for (const QString& f : files) {
      const SessionConfig c = loadSession(dir.filePath(f).toStdString());
      QVERIFY(!c.validate());
    }
  }

  void badInput_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("field");
    QTest::newRow("syntax") << "{\"dataset\": {\"name\": \"blundell\",}}"
                            << "";
    QTest::newRow("not an object") << "[1, 2]"
                                   << "";
    QTest::newRow("empty file") << ""
                                << "";
    // A number too large for a double is nlohmann's out_of_range, not a
    // parse_error (tests/fuzz/regressions/session_json/number-overflow-1e400).
    QTest::newRow("number overflow") << "{\"training\": {\"learning_rate\": 1e400}}"
                                     << "";
    QTest::newRow("unknown section") << R"({"datset": {}})"
                                     << "datset";
    QTest::newRow("section not object") << R"({"training": 5})"
                                        << "training";
    QTest::newRow("unknown training key") << R"({"training": {"stepz": 5}})"
                                          << "training.stepz";
    QTest::newRow("wrong type") << R"({"training": {"steps": "many"}})"
                                << "training.steps";
    QTest::newRow("fractional steps") << R"({"training": {"steps": 10.5}})"
                                      << "training.steps";
    QTest::newRow("negative learning rate") << R"({"training": {"learning_rate": -1}})"
                                            << "training.learning_rate";
    QTest::newRow("unknown optimizer") << R"({"training": {"optimizer": "lbfgs"}})"
                                       << "training.optimizer";
    QTest::newRow("negative seed") << R"({"training": {"seed": -3}})"
                                   << "training.seed";
    QTest::newRow("huge n_train") << R"({"dataset": {"n_train": 1e30}})"
                                  << "dataset.n_train";
    QTest::newRow("unknown dataset") << R"({"dataset": {"name": "mnist3d"}})"
                                     << "dataset.name";
    QTest::newRow("unknown dataset option") << R"({"dataset": {"name": "moons", "classes": 3}})"
                                            << "dataset.classes";
    QTest::newRow("negative noise") << R"({"dataset": {"noise": -0.1}})"
                                    << "dataset.noise";
    QTest::newRow("hidden not array") << R"({"model": {"hidden": 64}})"
                                      << "model.hidden";
    QTest::newRow("zero width") << R"({"model": {"hidden": [64, 0]}})"
                                << "model.hidden[1]";
    QTest::newRow("unknown activation") << R"({"model": {"activation": "gelu"}})"
                                        << "model.activation";
    QTest::newRow("unknown method") << R"({"method": {"name": "magic"}})"
                                    << "method.name";
    QTest::newRow("unknown method option") << R"({"method": {"name": "bbb", "rate": 1}})"
                                           << "method.rate";
    QTest::newRow("method option out of range") << R"({"method": {"name": "bbb", "init_rho": 40}})"
                                                << "method.init_rho";
    QTest::newRow("method option wrong type") << R"({"method": {"name": "bbb", "init_rho": "low"}})"
                                              << "method.init_rho";
    QTest::newRow("unknown prior") << R"({"prior": {"name": "cauchy"}})"
                                   << "prior.name";
    QTest::newRow("prior scale zero") << R"({"prior": {"scale": 0}})"
                                      << "prior.scale";
    QTest::newRow("learn_noise not bool") << R"({"likelihood": {"learn_noise": 1}})"
                                          << "likelihood.learn_noise";
    QTest::newRow("unknown likelihood") << R"({"likelihood": {"name": "poisson"}})"
                                        << "likelihood.name";
    QTest::newRow("sequential parts zero") << R"({"sequential": {"parts": 0}})"
                                           << "sequential.parts";
    QTest::newRow("sequential split unknown") << R"({"sequential": {"split": "by colour"}})"
                                              << "sequential.split";
    QTest::newRow("sequential unknown key") << R"({"sequential": {"chunks": 2}})"
                                            << "sequential.chunks";
    QTest::newRow("negative warm-up") << R"({"training": {"kl_warmup_steps": -5}})"
                                      << "training.kl_warmup_steps";
    QTest::newRow("option array") << R"({"method": {"name": "bbb", "init_rho": [1]}})"
                                  << "method.init_rho";
  }
  void badInput() {
    QFETCH(QString, text);
    QFETCH(QString, field);
    try {
      parseSessionJson(text.toStdString(), "bad.json");
      QFAIL("accepted a bad session");
    } catch (const InputError& e) {
      QCOMPARE(QString::fromStdString(e.file()), QString("bad.json"));
      QCOMPARE(QString::fromStdString(e.field()), field);
      const QString what = e.what();
      QVERIFY(!what.contains('\n'));  // one line
      QVERIFY(what.startsWith("bad.json"));
    }
  }

  void syntaxErrorNamesLine() {
    try {
      parseSessionJson("{\n  \"model\": {\n    \"hidden\": [64,, 64]\n  }\n}", "s.json");
      QFAIL("accepted");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("line 3"), e.what());
    }
  }

  void likelihoodMismatchIsCaughtWhenBuilding() {
    SessionConfig c = test::smallSession("moons", "bbb");
    c.likelihood.name = "gaussian";
    QCOMPARE(test::trainerInputErrorField(c), QString("likelihood.name"));
  }

  void saveIsAtomicAndLoadable() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.json").toStdString();
    SessionConfig c;
    saveSession(path, c);
    QVERIFY(loadSession(path) == parseSessionJson(sessionToJson(c), "x"));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, saveSession("/nonexistent-dir/s.json", c));
    QVERIFY_THROWS_EXCEPTION(InputError, loadSession(dir.filePath("missing.json").toStdString()));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestSessionJson)
#include "test_session_json.moc"
