// Divergence recovery (Trainer::resumeAfterDivergence): a step whose loss,
// gradient or parameters are not finite stops the run with the parameters at
// their last finite values; resuming goes back to the newest good checkpoint
// and, at a lower learning rate, trains.
#include <QtTest>

#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;
using namespace bayeslab::test;

namespace {

SessionConfig divergingSession(const QString& method, const QString& optimizer, double lr) {
  SessionConfig c = smallSession("cubic", method.toStdString(), {32});
  c.training.optimizer = optimizer.toStdString();
  c.training.learningRate = std::min(lr, 1e3);
  c.training.steps = 20000;
  c.training.seed = 7;
  // The data's own noise (3): a well-conditioned loss, so that a tenth of a
  // diverging rate soon trains.
  c.likelihood.noiseStd = 3.0;
  return c;
}

// A session file allows learning rates up to 1e3; larger ones reach the
// trainer as a live knob (as the window's training panel would send them).
std::unique_ptr<Trainer> makeTrainer(SessionConfig c, double lr) {
  c.training.learningRate = std::min(lr, 1e3);
  auto t = std::make_unique<Trainer>(c);
  t->setLearningRate(lr);
  return t;
}

// The parameters (posterior mean) after `steps` steps of a fresh run.
Vector meanAfter(const SessionConfig& c, double lr, Index steps) {
  auto t = makeTrainer(c, lr);
  t->run(steps);
  return t->posterior()->flatMean();
}

}  // namespace

class TestDivergence : public QObject {
  Q_OBJECT
 private slots:
  void keptAndRestoredParameters_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("optimizer");
    QTest::addColumn<double>("learningRate");
    // 0: each resume divides the rate by ten (the window's button); else resume at this rate.
    QTest::addColumn<double>("resumeRate");
    // Plain SGD with a huge step: the weights blow up within a few steps.
    QTest::newRow("map-sgd") << "map"
                             << "sgd" << 50.0 << 0.0;
    // Adam moves each scalar by about lr per step: a few hundred steps of a huge
    // rate push the variational scales past the float range.
    QTest::newRow("bbb-adam") << "bbb"
                              << "adam" << 300.0 << 0.0;
    QTest::newRow("map-adam") << "map"
                              << "adam" << 1e30 << 0.0;
    // A step so large that the weights themselves overflow to infinity: they are
    // restored at once. (Forty tenths later SGD would crawl: resume at a sane rate.)
    QTest::newRow("map-sgd-overflow") << "map"
                                      << "sgd" << 1e38 << 1e-3;
  }
  void keptAndRestoredParameters() {
    QFETCH(QString, method);
    QFETCH(QString, optimizer);
    QFETCH(double, learningRate);
    QFETCH(double, resumeRate);
    const SessionConfig c = divergingSession(method, optimizer, learningRate);
    std::unique_ptr<Trainer> trainer = makeTrainer(c, learningRate);
    Trainer& t = *trainer;
    t.run();
    QCOMPARE(t.status(), TrainerStatus::Diverged);
    const DivergenceInfo& d = t.divergence();
    QCOMPARE(d.step, t.step() + 1);
    QVERIFY(!d.quantity.empty());
    QVERIFY2(QString::fromStdString(t.message()).contains(QString::number(d.step)),
             t.message().c_str());
    QVERIFY(d.restoreStep >= 0 && d.restoreStep < d.step);
    QVERIFY(d.step - 1 - d.restoreStep <= 2 * Trainer::kCheckpointEvery);
    QCOMPARE(d.learningRate, learningRate);

    // What the run keeps: the parameters of the last finite step, or the
    // checkpoint when those were themselves not finite. A fresh run to that
    // step gives exactly the same values.
    qInfo("diverged at step %lld (%s), restore step %lld, restored at once: %d",
          static_cast<long long>(d.step), d.quantity.c_str(), static_cast<long long>(d.restoreStep),
          d.restoredAlready);
    const Vector kept = t.posterior()->flatMean();
    QVERIFY(kept.allFinite());
    const Index keptStep = d.restoredAlready ? d.restoreStep : t.step();
    QVERIFY(kept == meanAfter(c, learningRate, keptStep));
    QCOMPARE(d.restoredAlready, d.quantity == "parameters");
    if (QByteArray(QTest::currentDataTag()).contains("overflow"))
      QCOMPARE(d.quantity, std::string("parameters"));
    for (const MetricsRow& row : t.history()) QVERIFY(std::isfinite(row.objective));

    // Go back and continue at lr / 10 (as the window's button), again while it
    // diverges: the parameters are those of the checkpoint, then it trains.
    double lr = learningRate;
    Index restored = -1;
    int attempts = 0;
    const Index stepsBefore = t.step();
    for (; attempts < 60 && t.status() != TrainerStatus::Finished; ++attempts) {
      QCOMPARE(t.status(), TrainerStatus::Diverged);
      const Index restoreStep = t.divergence().restoreStep;
      const Index at = t.step();
      lr = resumeRate > 0 ? resumeRate : lr / 10.0;
      restored = t.resumeAfterDivergence(lr);
      QCOMPARE(restored, restoreStep);
      QCOMPARE(t.status(), TrainerStatus::Running);
      QCOMPARE(t.step(), at);  // the step count goes on
      if (attempts == 0) QVERIFY(t.posterior()->flatMean() == meanAfter(c, learningRate, restored));
      QCOMPARE(t.config().training.learningRate, lr);
      t.run(300);
      if (t.status() == TrainerStatus::Running) break;
    }
    QCOMPARE(t.status(), TrainerStatus::Running);
    QVERIFY(t.step() >= stepsBefore + 300);
    // It trains: the mean objective of the last 50 steps is below that of the
    // first 50 after the resume, and everything stayed finite.
    const auto& h = t.history();
    const size_t n = h.size();
    QVERIFY(n >= 300);
    double first = 0, last = 0;
    for (size_t i = 0; i < 50; ++i) {
      first += h[n - 300 + i].objective;
      last += h[n - 50 + i].objective;
    }
    QVERIFY2(last < first, qPrintable(QString("objective %1 -> %2 after %3 resumes at lr %4")
                                          .arg(first / 50)
                                          .arg(last / 50)
                                          .arg(attempts + 1)
                                          .arg(lr)));
    QVERIFY(t.posterior()->flatMean().allFinite());
  }

  // A run that trains well and then gets a learning rate far too large (a live
  // knob): it goes back to the newest checkpoint whose loss was finite. When
  // the newest checkpoint was taken right after the bad step, the one before.
  void laterDivergenceGoesBackToTheGoodCheckpoint_data() {
    QTest::addColumn<int>("switchAfter");
    QTest::addColumn<int>("expectedRestore");
    const int k = static_cast<int>(Trainer::kCheckpointEvery);
    QTest::newRow("mid-interval") << 2 * k + 22 << 2 * k;
    // Step 2k applies the huge update; the checkpoint after it is not good.
    QTest::newRow("just-before-checkpoint") << 2 * k - 1 << k;
  }
  void laterDivergenceGoesBackToTheGoodCheckpoint() {
    QFETCH(int, switchAfter);
    QFETCH(int, expectedRestore);
    const SessionConfig c = divergingSession("map", "adam", 1e-2);
    Trainer t(c);
    t.run(switchAfter);
    QCOMPARE(t.status(), TrainerStatus::Running);
    t.setLearningRate(1e30);
    t.run(50);
    QCOMPARE(t.status(), TrainerStatus::Diverged);
    QCOMPARE(t.divergence().step, Index(switchAfter) + 2);
    QCOMPARE(t.divergence().restoreStep, Index(expectedRestore));
    QCOMPARE(t.resumeAfterDivergence(1e-2), Index(expectedRestore));
    QVERIFY(t.posterior()->flatMean() == meanAfter(c, 1e-2, expectedRestore));
    t.run(200);
    QCOMPARE(t.status(), TrainerStatus::Running);
  }

  // Without a divergence the checkpoints change nothing, and a resume does nothing.
  void resumeWithoutDivergenceIsRefused() {
    const SessionConfig c = divergingSession("bbb", "adam", 1e-2);
    Trainer t(c);
    t.run(200);
    QCOMPARE(t.status(), TrainerStatus::Running);
    const Vector before = t.posterior()->flatMean();
    QCOMPARE(t.resumeAfterDivergence(1e-3), Index(-1));
    QVERIFY(t.posterior()->flatMean() == before);
    QCOMPARE(t.config().training.learningRate, 1e-2);
  }

  // Checkpoints and the divergence path work with 2 threads too (the deferred
  // updates of the parallel path), and the result matches 1 thread.
  void twoThreadsMatchOne() {
    SessionConfig c = divergingSession("bbb", "adam", 300.0);
    Trainer a(c);
    a.run();
    c.training.threads = 2;
    Trainer b(c);
    b.run();
    QCOMPARE(a.status(), TrainerStatus::Diverged);
    QCOMPARE(b.status(), TrainerStatus::Diverged);
    QCOMPARE(a.divergence().step, b.divergence().step);
    a.resumeAfterDivergence(1.0);
    b.resumeAfterDivergence(1.0);
    QVERIFY(a.posterior()->flatMean() == b.posterior()->flatMean());
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestDivergence)
#include "test_divergence.moc"
