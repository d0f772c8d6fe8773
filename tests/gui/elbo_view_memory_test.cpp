// The training curves of an overnight run keep a flat size: the ELBO view's
// export rows are bounded (MetricsHistory), the first and the latest step and
// the evaluated rows are kept, and the CSV export still covers the whole run.
#include <QLineSeries>
#include <QtTest>

#include "engine/methods/method_registry.h"
#include "tests/support/test_main.h"
#include "ui/views/elbo_view.h"

using namespace bayeslab;
using namespace bayeslab::ui;

class ElboViewMemoryTest : public QObject {
  Q_OBJECT

 private slots:
  void longRunKeepsBoundedRows() {
    ElboView view;
    const Index steps = 40000, evalEvery = 20;
    view.setRun(*findMethod("map"), Task::Regression, steps);
    std::vector<MetricsRow> chunk;
    qsizetype largest = 0;
    for (Index t = 1; t <= steps; ++t) {
      MetricsRow r;
      r.step = t;
      r.elbo = -1000.0 / static_cast<double>(t);
      r.expectedLogLikelihood = r.elbo;
      r.kl = 1.0;
      if (t % evalEvery == 0) {
        r.testLogLikelihood = -1.0;
        r.testRmse = 0.5;
      }
      chunk.push_back(r);
      if (chunk.size() == 250 || t == steps) {  // as the snapshots deliver them
        view.appendRows(chunk);
        chunk.clear();
        largest = std::max(largest, view.rowCount());
      }
    }
    QCOMPARE(view.rowsSeen(), qint64(steps));
    const qsizetype bound =
        qsizetype(MetricsHistory::kDefaultRows + MetricsHistory::kDefaultEvaluations + 2);
    QVERIFY2(largest <= bound, qPrintable(QString::number(largest)));
    QVERIFY(view.rowCount() >= qsizetype(MetricsHistory::kDefaultRows / 2));
    // The drawn curve still spans the run.
    QVERIFY(view.elboSeries()->count() > 0);
    QCOMPARE(view.elboSeries()->points().back().x() > 0.9 * steps, true);
    const auto tables = view.csvTables();
    QCOMPARE(tables.size(), size_t(1));
    const QStringList lines = tables.front().text.trimmed().split('\n');
    QCOMPARE(lines.size(), view.rowCount() + 1);  // + the header
    QVERIFY(lines.at(1).startsWith("1,"));
    QVERIFY(lines.back().startsWith(QString::number(steps) + ","));
  }
};

BAYESLAB_TEST_MAIN(ElboViewMemoryTest)
#include "elbo_view_memory_test.moc"
