// The cost measurement (diagnostics/cost_measurement.h): every registered method's
// parameter count against the lecture's formula on its descriptor, the memory it
// reports, complete and sane rows on a tiny session, a row with the reason for a
// method that refuses the session, and cancelling.
#include <QtTest>
#include <cmath>
#include <map>

#include "engine/diagnostics/cost_measurement.h"
#include "engine/io/cost_csv.h"
#include "engine/methods/common/gradient_method.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

constexpr Index kSteps = 20;

// Every integer option of a method moved off its default (within its range), so a
// formula that ignored an option (members, chains) would miss the count.
OptionValues nonDefaultIntegers(const MethodDescriptor& d) {
  OptionValues values;
  for (const OptionSpec& spec : d.options) {
    if (spec.kind != OptionKind::Integer || spec.key == "monitor_weight") continue;
    const double moved =
        spec.defaultNumber + 1 <= spec.maximum ? spec.defaultNumber + 1 : spec.defaultNumber - 1;
    values.set(spec.key, moved);
  }
  return values;
}

const CostRow* rowOf(const CostMeasurement& m, const std::string& id) {
  for (const CostRow& r : m.rows)
    if (r.method == id) return &r;
  return nullptr;
}

}  // namespace

class TestCost : public QObject {
  Q_OBJECT
 private slots:
  void formulaMatchesParameterCount_data();
  void formulaMatchesParameterCount();
  void stateBytesCoverWhatTrainingKeeps();
  void measurementRowsAreCompleteAndSane_data();
  void measurementRowsAreCompleteAndSane();
  void aMethodThatRefusesTheSessionGivesAReason();
  void sessionMethodKeepsItsOptions();
  void cancelStopsTheMeasurement();
  void optionsAndBudget();
  void csvHasOneRowPerMethod();
};

void TestCost::formulaMatchesParameterCount_data() {
  QTest::addColumn<QString>("method");
  QTest::addColumn<QString>("dataset");
  QTest::addColumn<bool>("hyper");  // learned noise and an empirical-Bayes prior
  QTest::addColumn<bool>("moved");  // integer options off their defaults
  for (const MethodDescriptor& d : methodRegistry()) {
    const QString id = QString::fromStdString(d.id);
    QTest::addRow("%s regression", d.id.c_str()) << id << "blundell" << false << false;
    QTest::addRow("%s classification", d.id.c_str()) << id << "moons" << false << false;
    QTest::addRow("%s learned hyperparameters", d.id.c_str()) << id << "blundell" << true << false;
    QTest::addRow("%s options moved", d.id.c_str()) << id << "blundell" << false << true;
  }
}

void TestCost::formulaMatchesParameterCount() {
  QFETCH(QString, method);
  QFETCH(QString, dataset);
  QFETCH(bool, hyper);
  QFETCH(bool, moved);
  const MethodDescriptor& d = *findMethod(method.toStdString());
  QVERIFY2(!d.parameterFormula.empty(), "the descriptor has no parameterFormula");
  QVERIFY2(d.formulaParameterCount, "the descriptor has no formulaParameterCount");
  SessionConfig c = smallSession(dataset.toStdString(), d.id, {7, 5});
  if (moved) c.method.options = nonDefaultIntegers(d);
  if (hyper) {
    c.likelihood.learnNoise = true;
    c.prior.name = "empirical_bayes";
  }
  std::unique_ptr<Trainer> trainer;
  try {
    trainer = std::make_unique<Trainer>(c);
  } catch (const InputError& e) {
    // A method may refuse learned hyperparameters, naming what it refuses.
    QVERIFY2(hyper, e.what());
    const QString field = QString::fromStdString(e.field());
    QVERIFY2(field.startsWith("prior") || field.startsWith("likelihood"), e.what());
    return;
  }
  trainer->run(3);
  const Index hyperparameters =
      trainer->likelihood().parameterCount() + trainer->prior().hyperparameterCount();
  QCOMPARE(hyperparameters, Index(hyper ? 2 : 0));
  const Index formula =
      d.formulaParameterCount(trainer->layout(), withDefaults(d.options, c.method.options));
  QCOMPARE(trainer->parameterCount() - hyperparameters, formula);
}

void TestCost::stateBytesCoverWhatTrainingKeeps() {
  for (const MethodDescriptor& d : methodRegistry()) {
    SessionConfig c = smallSession("blundell", d.id, {7, 5});
    Trainer trainer(c);
    trainer.run(kSteps);
    InferenceMethod& m = trainer.methodState();
    const auto parameterBytes = static_cast<std::size_t>(m.parameterCount()) * sizeof(Real);
    QVERIFY2(m.stateBytes() >= parameterBytes, d.id.c_str());
    // Gradient methods keep their gradient and, with Adam, two moments per parameter.
    if (dynamic_cast<GradientMethod*>(&m))
      QVERIFY2(m.stateBytes() >= 4 * parameterBytes, d.id.c_str());
  }
  const Index P = MlpLayout(1, {7, 5}, 1).parameterCount();
  const auto real = sizeof(Real);
  // SGLD keeping every iterate: the weights, their gradient and the kept draws.
  SessionConfig sgld = smallSession("blundell", "sgld", {7, 5});
  sgld.method.options.set("burn_in", 0.0);
  sgld.method.options.set("thinning", 1.0);
  sgld.method.options.set("max_samples", 100.0);
  Trainer sampler(sgld);
  const std::size_t before = sampler.methodState().stateBytes();
  sampler.run(kSteps);  // 20 draws: storage grown to 32 columns
  const std::size_t after = sampler.methodState().stateBytes();
  QCOMPARE(before, std::size_t(2 * P) * real + 100 * sizeof(Index));
  QCOMPARE(after, std::size_t(2 * P + 32 * P) * real + 100 * sizeof(Index));
  // HMC: each chain's position and gradient.
  SessionConfig hmc = smallSession("blundell", "hmc", {7, 5});
  hmc.method.options.set("chains", 3.0);
  hmc.method.options.set("max_samples", 10.0);
  Trainer chains(hmc);
  QCOMPARE(chains.methodState().stateBytes(),
           std::size_t(3 * 2 * P) * real + 3 * 10 * sizeof(Index));
  // Laplace, diagonal: Adam's state, and the curvature's diagonal and spectrum and the
  // variances in double precision.
  SessionConfig laplace = smallSession("blundell", "laplace", {7, 5});
  laplace.method.options.set("hessian", "diag_ggn");
  Trainer diagonal(laplace);
  diagonal.run(kSteps);
  QCOMPARE(diagonal.methodState().stateBytes(), std::size_t(4 * P) * real + 3 * P * sizeof(double));
  // KFAC holds per layer A, G, their eigenvectors and eigenvalues, beside P-sized scales.
  laplace.method.options.set("hessian", "kfac");
  Trainer kfac(laplace);
  kfac.run(kSteps);
  std::size_t factors = 0;
  const MlpLayout layout(1, {7, 5}, 1);
  for (const LayerShape& s : layout.layers())
    factors += 2 * (s.inputs + 1) * (s.inputs + 1) + 2 * s.outputs * s.outputs + (s.inputs + 1) +
               s.outputs;
  QCOMPARE(kfac.methodState().stateBytes(),
           std::size_t(4 * P) * real + (factors + 2 * P) * sizeof(double));
}

void TestCost::measurementRowsAreCompleteAndSane_data() {
  QTest::addColumn<QString>("dataset");
  QTest::addColumn<int>("threads");
  QTest::newRow("regression") << "blundell" << 1;
  QTest::newRow("classification, 2 threads") << "moons" << 2;
}

void TestCost::measurementRowsAreCompleteAndSane() {
  QFETCH(QString, dataset);
  QFETCH(int, threads);
  SessionConfig c = smallSession(dataset.toStdString(), "bbb", {8, 8});
  c.training.threads = threads;
  CostOptions options;
  options.steps = kSteps;
  options.predictiveDraws = 8;
  const CostMeasurement m = measureCost(c, options);
  const bool regression = dataset == "blundell";
  QCOMPARE(m.task, regression ? Task::Regression : Task::Classification);
  QCOMPARE(m.steps, kSteps);
  QCOMPARE(m.threads, threads);
  QCOMPARE(m.layout, std::string(regression ? "1-8-8-1" : "2-8-8-2"));
  QVERIFY(!m.cancelled);
  QCOMPARE(m.rows.size(), methodRegistry().size());
  for (size_t k = 0; k < m.rows.size(); ++k) {
    const CostRow& r = m.rows[k];
    const char* id = r.method.c_str();
    QCOMPARE(r.method, methodRegistry()[k].id);  // the registry's order
    QVERIFY2(r.ran, qPrintable(QString("%1: %2").arg(id, QString::fromStdString(r.note))));
    QVERIFY2(r.note.empty(), r.note.c_str());
    QCOMPARE(r.steps, kSteps);
    QVERIFY(!r.diverged);
    QVERIFY2(r.parameters > 0, id);
    QCOMPARE(r.formula, methodRegistry()[k].parameterFormula);
    QCOMPARE(r.formulaValue, r.parameters - r.hyperparameters);
    QVERIFY2(r.stateBytes >= static_cast<std::size_t>(r.parameters) * sizeof(Real), id);
    QVERIFY2(std::isfinite(r.msPerStep) && r.msPerStep > 0.0, id);
    QVERIFY2(r.msPerStep < 1e3, id);
    QVERIFY2(std::isfinite(r.msPerPredictiveSample) && r.msPerPredictiveSample > 0.0, id);
    QVERIFY2(std::isfinite(r.testLogLikelihood), id);
    if (regression) {
      QVERIFY2(std::isfinite(r.testRmse) && r.testRmse > 0.0, id);
      QVERIFY(std::isnan(r.testAccuracy));
    } else {
      QVERIFY2(r.testAccuracy >= 0.0 && r.testAccuracy <= 1.0, id);
      QVERIFY(std::isnan(r.testRmse));
    }
  }
  // Relations the lecture's table predicts.
  const CostRow& map = *rowOf(m, "map");
  QCOMPARE(rowOf(m, "bbb")->parameters, 2 * map.parameters);
  QCOMPARE(rowOf(m, "ensemble")->parameters, 5 * map.parameters);
  QCOMPARE(rowOf(m, "hmc")->parameters, 4 * map.parameters);
  // One HMC transition is 4 chains x 20 leapfrog steps over all the data; a MAP step is
  // one minibatch gradient.
  QVERIFY2(rowOf(m, "hmc")->msPerStep > 5.0 * map.msPerStep,
           qPrintable(
               QString("hmc %1 ms, map %2 ms").arg(rowOf(m, "hmc")->msPerStep).arg(map.msPerStep)));
  for (const CostRow& r : m.rows)
    qInfo("%-12s %6lld params  %8zu bytes  %.4f ms/step  %.4f ms/sample  LL %.3f", r.method.c_str(),
          static_cast<long long>(r.parameters), r.stateBytes, r.msPerStep, r.msPerPredictiveSample,
          r.testLogLikelihood);
  qInfo("whole measurement: %.2f s", m.seconds);
}

void TestCost::aMethodThatRefusesTheSessionGivesAReason() {
  // Samplers refuse a learned noise; Laplace and the samplers an empirical-Bayes prior.
  SessionConfig c = smallSession("blundell", "map", {6});
  c.likelihood.learnNoise = true;
  c.prior.name = "empirical_bayes";
  CostOptions options;
  options.steps = 5;
  options.predictiveDraws = 4;
  const CostMeasurement m = measureCost(c, options);
  QCOMPARE(m.rows.size(), methodRegistry().size());
  int refused = 0;
  for (const CostRow& r : m.rows) {
    if (r.ran) {
      QVERIFY(std::isfinite(r.msPerStep));
      QVERIFY2(r.note.find("2 learned") != std::string::npos, r.note.c_str());
      continue;
    }
    ++refused;
    QVERIFY2(r.note.rfind("cannot run on this session: ", 0) == 0, r.note.c_str());
    QVERIFY(std::isnan(r.msPerStep));
    QVERIFY(std::isnan(r.testLogLikelihood));
    QCOMPARE(r.steps, Index(0));
  }
  for (const char* id : {"laplace", "sgld", "hmc"}) QVERIFY2(!rowOf(m, id)->ran, id);
  QVERIFY(rowOf(m, "map")->ran);
  QVERIFY(rowOf(m, "bbb")->ran);
  QVERIFY(refused >= 3);
  QVERIFY(rowOf(m, "laplace")->note.find("prior.name") != std::string::npos);
  // In the CSV the refused rows are empty apart from the formula and the reason.
  const QStringList lines = QString::fromStdString(costCsv(m)).split('\n', Qt::SkipEmptyParts);
  for (const QString& line : lines)
    if (line.startsWith("hmc,")) QVERIFY2(line.contains(",,,,,,,,cannot run"), qPrintable(line));
}

void TestCost::sessionMethodKeepsItsOptions() {
  SessionConfig c = smallSession("blundell", "ensemble", {6});
  c.method.options.set("members", 3.0);
  CostOptions options;
  options.methods = {"ensemble", "hmc", "map"};
  options.steps = 5;
  options.predictiveDraws = 4;
  const CostMeasurement m = measureCost(c, options);
  QCOMPARE(m.rows.size(), size_t(3));
  QCOMPARE(m.rows[0].method, std::string("ensemble"));
  QCOMPARE(m.rows[1].method, std::string("hmc"));
  QCOMPARE(m.rows[2].method, std::string("map"));
  // The session's ensemble has 3 members; HMC, not the session's method, its default 4 chains.
  QCOMPARE(m.rows[0].parameters, 3 * m.rows[2].parameters);
  QCOMPARE(m.rows[1].parameters, 4 * m.rows[2].parameters);
}

void TestCost::cancelStopsTheMeasurement() {
  SessionConfig c = smallSession("blundell", "bbb", {6});
  CostOptions options;
  options.steps = 50;
  options.predictiveDraws = 4;
  int calls = 0, callsAfterStop = 0;
  bool stopped = false, halfway = false;
  double lastFraction = 0.0;
  bool monotone = true;
  const CostMeasurement m = measureCost(c, options, [&](const CostProgress& p) {
    ++calls;
    if (stopped) ++callsAfterStop;
    monotone = monotone && p.fraction() >= lastFraction;
    lastFraction = p.fraction();
    // Stop halfway through the second method.
    if (p.method == 1 && p.step == 25) {
      // Halfway: as much training time left as taken.
      halfway = p.seconds > 0.0 && std::abs(p.secondsLeft() - p.seconds) <= 1e-12 * p.seconds;
      stopped = true;
      return CallbackResult::Stop;
    }
    return CallbackResult::Continue;
  });
  QVERIFY(stopped);
  QVERIFY(halfway);
  QCOMPARE(callsAfterStop, 0);
  QVERIFY(m.cancelled);
  QCOMPARE(m.rows.size(), size_t(1));  // the first method's complete row only
  QCOMPARE(m.rows[0].method, methodRegistry()[0].id);
  QVERIFY(m.rows[0].ran);
  QVERIFY(monotone);
  QVERIFY(lastFraction > 0.0 && lastFraction < 2.0 / static_cast<double>(methodRegistry().size()));
  QVERIFY(calls > 50);
  // Stopping before the first method: no rows.
  const CostMeasurement none =
      measureCost(c, options, [](const CostProgress&) { return CallbackResult::Stop; });
  QVERIFY(none.cancelled);
  QVERIFY(none.rows.empty());
}

void TestCost::optionsAndBudget() {
  SessionConfig c = smallSession("blundell", "bbb", {6});
  CostOptions options;
  c.training.steps = 50;
  QCOMPARE(options.budget(c), Index(50));
  c.training.steps = 100000;
  QCOMPARE(options.budget(c), CostOptions::kDefaultStepCap);
  options.steps = 7;
  QCOMPARE(options.budget(c), Index(7));
  QCOMPARE(options.methodIds().size(), methodRegistry().size());

  const auto field = [&](const CostOptions& o) {
    try {
      measureCost(c, o);
    } catch (const InputError& e) {
      return QString::fromStdString(e.field());
    }
    return QStringLiteral("(accepted)");
  };
  CostOptions unknown;
  unknown.methods = {"map", "nope"};
  QCOMPARE(field(unknown), QString("methods"));
  CostOptions twice;
  twice.methods = {"map", "map"};
  QCOMPARE(field(twice), QString("methods"));
  CostOptions negative;
  negative.steps = -1;
  QCOMPARE(field(negative), QString("steps"));
  // A bad session is the session's error, not a row.
  SessionConfig bad = c;
  bad.training.learningRate = 0.0;
  CostOptions ok;
  ok.steps = 2;
  try {
    measureCost(bad, ok);
    QFAIL("a bad session was measured");
  } catch (const InputError& e) {
    QCOMPARE(QString::fromStdString(e.field()), QString("training.learning_rate"));
  }
  SessionConfig wrongLikelihood = smallSession("moons", "bbb", {6});
  wrongLikelihood.likelihood.name = "gaussian";
  try {
    measureCost(wrongLikelihood, ok);
    QFAIL("a likelihood that does not fit the data was measured");
  } catch (const InputError& e) {
    QCOMPARE(QString::fromStdString(e.field()), QString("likelihood.name"));
  }
  // Sequential sessions are measured on all the data, and the measurement says so.
  SessionConfig sequential = c;
  sequential.sequential.parts = 3;
  ok.methods = {"map", "sgld"};
  const CostMeasurement m = measureCost(sequential, ok);
  QVERIFY(m.rows[0].ran && m.rows[1].ran);
  QVERIFY(m.note.find("sequential") != std::string::npos);
}

void TestCost::csvHasOneRowPerMethod() {
  SessionConfig c = smallSession("moons", "bbb", {6});
  CostOptions options;
  options.methods = {"map", "hmc"};
  options.steps = 5;
  options.predictiveDraws = 4;
  const CostMeasurement m = measureCost(c, options);
  const QStringList lines = QString::fromStdString(costCsv(m)).split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), 3);
  QCOMPARE(lines[0], QString("method,name,parameters,parameters_formula,formula_value,state_bytes,"
                             "ms_per_step,ms_per_predictive_sample,test_log_likelihood,"
                             "test_accuracy,steps,note"));
  // The HMC formula holds a comma-free text with an apostrophe; the name a comma-free one.
  QVERIFY2(lines[1].startsWith("map,MAP / MLE,"), qPrintable(lines[1]));
  QVERIFY2(lines[2].startsWith("hmc,Hamiltonian Monte Carlo,"), qPrintable(lines[2]));
  QCOMPARE(lines[1].count(','), lines[0].count(','));
}

BAYESLAB_TEST_GUILESS_MAIN(TestCost)
#include "test_cost.moc"
