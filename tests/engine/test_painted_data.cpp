// Painted training data (issue 12): points in the session, and the trainer
// replacing its training set between steps without a reset.
#include <QtTest>

#include "engine/data/painted_points.h"
#include "engine/training/session_json.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

// A few points of the session's kind: [x, y] or [x0, x1, class].
PointList somePoints(Task task, int n, double shift) {
  PointList p;
  for (int i = 0; i < n; ++i) {
    const double t = -1.0 + 2.0 * i / std::max(1, n - 1);
    if (task == Task::Regression)
      p.push_back({t, shift + 0.5 * t});
    else
      p.push_back({t, shift - t, static_cast<double>(i % 2)});
  }
  return p;
}

QString inputErrorField(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return QString::fromStdString(e.field());
  }
  return QStringLiteral("(accepted)");
}

}  // namespace

class TestPaintedData : public QObject {
  Q_OBJECT
 private slots:
  void pointsRoundTrip_data() {
    QTest::addColumn<QString>("dataset");
    QTest::newRow("regression") << "blundell";
    QTest::newRow("classification") << "moons";
  }
  void pointsRoundTrip() {
    QFETCH(QString, dataset);
    SessionConfig c = smallSession(dataset.toStdString(), "map");
    const Task task = dataset == "blundell" ? Task::Regression : Task::Classification;
    c.dataset.points = somePoints(task, 7, 0.3);
    // The file holds the points exactly (and the completed session reads back equal).
    const SessionConfig back = parseSessionJson(sessionToJson(c), "s.json");
    QVERIFY(back.dataset.points == c.dataset.points);
    QVERIFY(parseSessionJson(sessionToJson(back), "s.json") == back);
    // One point per line: the "points" key, 7 rows and the closing bracket.
    SessionConfig none = c;
    none.dataset.points.reset();
    QCOMPARE(QString::fromStdString(sessionToJson(c)).count('\n'),
             QString::fromStdString(sessionToJson(none)).count('\n') + 9);
    // The points are the training set; the test set is the base data set's.
    const DataSplit painted = makeDataSplit(c.dataset);
    SessionConfig plain = c;
    plain.dataset.points.reset();
    const DataSplit base = makeDataSplit(plain.dataset);
    QCOMPARE(painted.train.size(), Index(7));
    QVERIFY(pointsOf(painted.train) == pointsOf(datasetFromPoints(*c.dataset.points, base.train)));
    QCOMPARE(painted.train.inputs(0, 6), Real(1));
    QVERIFY(painted.test.inputs == base.test.inputs);
    // A float data set survives the trip through points exactly.
    QVERIFY(pointsOf(datasetFromPoints(pointsOf(base.train), base.train)) == pointsOf(base.train));
  }

  void badPoints_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("field");
    QTest::newRow("not an array") << R"({"dataset": {"name": "blundell", "points": 3}})"
                                  << "dataset.points";
    QTest::newRow("empty") << R"({"dataset": {"name": "blundell", "points": []}})"
                           << "dataset.points";
    QTest::newRow("not a row") << R"({"dataset": {"name": "blundell", "points": [[0, 1], 2]}})"
                               << "dataset.points[1]";
    QTest::newRow("text") << R"({"dataset": {"name": "blundell", "points": [[0, "a"]]}})"
                          << "dataset.points[0]";
    QTest::newRow("ragged") << R"({"dataset": {"name": "moons", "points": [[0, 1, 0], [0, 1]]}})"
                            << "dataset.points[1]";
  }
  void badPoints() {
    QFETCH(QString, text);
    QFETCH(QString, field);
    const QString got = inputErrorField([&] { parseSessionJson(text.toStdString(), "bad.json"); });
    QCOMPARE(got, field);
  }

  // Points that parse but do not fit the data set fail when the data are built.
  void pointsMustFitTheDataSet_data() {
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("points");
    QTest::addColumn<QString>("field");
    QTest::newRow("regression row too long") << "blundell"
                                             << "[[0, 1, 2], [1, 2, 3]]"
                                             << "dataset.points[0]";
    QTest::newRow("class out of range") << "moons"
                                        << "[[0, 1, 0], [0, 1, 2]]"
                                        << "dataset.points[1]";
    QTest::newRow("class not whole") << "moons"
                                     << "[[0, 1, 0.5]]"
                                     << "dataset.points[0]";
    QTest::newRow("2-D point for 1-D") << "cubic"
                                       << "[[0, 1, 2]]"
                                       << "dataset.points[0]";
  }
  void pointsMustFitTheDataSet() {
    QFETCH(QString, dataset);
    QFETCH(QString, points);
    QFETCH(QString, field);
    const QString text =
        QString(R"({"dataset": {"name": "%1", "n_train": 16, "n_test": 8, "points": %2}})")
            .arg(dataset, points);
    const SessionConfig c = parseSessionJson(text.toStdString(), "s.json");
    QCOMPARE(trainerInputErrorField(c), field);
  }

  // Replacing the data before the first step is training on them from the start.
  void replaceBeforeFirstStepEqualsPaintedSession_data() {
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("method");
    QTest::newRow("map regression") << "blundell"
                                    << "map";
    QTest::newRow("bbb regression") << "blundell"
                                    << "bbb";
    QTest::newRow("bbb classification") << "moons"
                                        << "bbb";
    QTest::newRow("sgld classification") << "moons"
                                         << "sgld";
  }
  void replaceBeforeFirstStepEqualsPaintedSession() {
    QFETCH(QString, dataset);
    QFETCH(QString, method);
    SessionConfig c = smallSession(dataset.toStdString(), method.toStdString());
    Trainer plain(c);
    const PointList points = somePoints(plain.data().train.task, 21, 0.4);
    plain.replaceTrainingData(datasetFromPoints(points, plain.data().train));
    c.dataset.points = points;
    Trainer painted(c);
    plain.run();
    painted.run();
    QVERIFY(plain.posterior()->flatMean() == painted.posterior()->flatMean());
    // The trainer's session records the points it trains on (at the engine's precision).
    QVERIFY(plain.config().dataset.points == pointsOf(painted.data().train));
  }

  void replaceMidRunIsDeterministic() {
    const SessionConfig c = smallSession("blundell", "bbb");
    Trainer a(c), b(c), untouched(c);
    for (Trainer* t : {&a, &b, &untouched}) t->run(20);
    const Dataset test = a.data().test;
    const Dataset painted = datasetFromPoints(somePoints(Task::Regression, 9, 2.0), a.data().train);
    a.replaceTrainingData(painted);
    b.replaceTrainingData(painted);
    for (Trainer* t : {&a, &b, &untouched}) t->run(20);
    QCOMPARE(a.step(), Index(40));
    QVERIFY(a.posterior()->flatMean() == b.posterior()->flatMean());
    QVERIFY(a.posterior()->flatMean() != untouched.posterior()->flatMean());
    QVERIFY(a.history()[30].elbo == b.history()[30].elbo);
    // The new points train; the test set stays.
    QCOMPARE(a.data().train.size(), Index(9));
    QVERIFY(a.data().test.inputs == test.inputs);
    QVERIFY(std::isfinite(a.evaluateTest(8).logLikelihood));
  }

  // The fit follows the painted points: all targets moved to 3 pull the mean there.
  void trainingFollowsThePaintedPoints() {
    SessionConfig c = smallSession("blundell", "map", {16});
    c.training.steps = 900;
    c.training.learningRate = 0.02;
    Trainer t(c);
    t.run(300);
    PointList points;
    for (int i = 0; i < 32; ++i) points.push_back({-0.5 + i / 31.0, 3.0});
    t.replaceTrainingData(datasetFromPoints(points, t.data().train));
    t.run();
    // Training loss on the painted points: near the noise floor when the mean is at 3.
    const double meanLogLik = t.history().back().expectedLogLikelihood / 32.0;
    QVERIFY2(meanLogLik > -5.0, qPrintable(QString::number(meanLogLik)));
    const double startLogLik = t.history()[300].expectedLogLikelihood / 32.0;
    QVERIFY2(meanLogLik > startLogLik + 5.0,
             qPrintable(QString("%1 -> %2").arg(startLogLik).arg(meanLogLik)));
  }

  void replaceRejectsOtherKinds() {
    Trainer t(smallSession("moons", "map"));
    const Dataset& train = t.data().train;
    QCOMPARE(inputErrorField([&] { t.replaceTrainingData(train.emptyLike()); }),
             QString("dataset.points"));
    Dataset wrongClass = train.subset({0, 1});
    wrongClass.labels(1) = 5;
    QCOMPARE(inputErrorField([&] { t.replaceTrainingData(wrongClass); }),
             QString("dataset.points"));
    Trainer regression(smallSession("blundell", "map"));
    QCOMPARE(inputErrorField([&] { t.replaceTrainingData(regression.data().train); }),
             QString("dataset.points"));
    SessionConfig sequential = smallSession("blundell", "bbb");
    sequential.sequential.parts = 2;
    Trainer s(sequential);
    QCOMPARE(inputErrorField([&] { s.replaceTrainingData(s.data().train); }),
             QString("dataset.points"));
    // A rejected replacement leaves the data alone.
    QCOMPARE(t.data().train.size(), Index(48));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestPaintedData)
#include "test_painted_data.moc"
