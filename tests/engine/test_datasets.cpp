// Every data set of the registry: sizes, task, finite values, reproducibility,
// the noise and seed knobs; CSV import round trip and bad files.
#include <QtTest>

#include "engine/data/csv_dataset.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

class TestDatasets : public QObject {
  Q_OBJECT
 private slots:
  void everySyntheticSet_data() {
    QTest::addColumn<QString>("name");
    for (const auto& d : datasetRegistry())
      if (d.generate) QTest::newRow(d.id.c_str()) << QString::fromStdString(d.id);
  }
  void everySyntheticSet() {
    QFETCH(QString, name);
    DatasetConfig c;
    c.name = name.toStdString();
    c.nTrain = 90;
    c.nTest = 30;
    const DatasetDescriptor& d = *findDataset(c.name);
    const DataSplit a = makeDataSplit(c);
    QCOMPARE(a.train.size(), Index(90));
    QCOMPARE(a.test.size(), Index(30));
    QCOMPARE(a.train.task, d.task);
    QVERIFY(a.train.inputs.allFinite());
    if (d.task == Task::Regression) {
      QCOMPARE(a.train.targets.cols(), Index(90));
      QVERIFY(a.train.targets.allFinite());
    } else {
      QCOMPARE(a.train.inputDim(), Index(2));
      QVERIFY(a.train.classes >= 2);
      QVERIFY(a.train.labels.minCoeff() >= 0);
      QVERIFY(a.train.labels.maxCoeff() < a.train.classes);
      // every class is present
      for (int k = 0; k < a.train.classes; ++k) QVERIFY((a.train.labels.array() == k).any());
    }
    // Same seed: same data; another seed: other data; train and test differ.
    const DataSplit b = makeDataSplit(c);
    QVERIFY(a.train.inputs == b.train.inputs);
    QVERIFY(!(a.train.inputs.leftCols(30) == a.test.inputs));
    c.seed = 2;
    QVERIFY(!(makeDataSplit(c).train.inputs == a.train.inputs));
  }

  void noiseKnob() {
    DatasetConfig c;
    c.name = "blundell";
    c.nTrain = 50;
    c.noise = 0.0;
    const DataSplit s = makeDataSplit(c);
    for (Index i = 0; i < 50; ++i) {
      const double x = s.train.inputs(0, i);
      QVERIFY(x >= 0.0 && x <= 0.5);
      const double y = x + 0.3 * std::sin(2 * M_PI * x) + 0.3 * std::sin(4 * M_PI * x);
      QVERIFY(std::abs(s.train.targets(0, i) - y) < 1e-5);
    }
    c.name = "linear";
    const DataSplit l = makeDataSplit(c);
    for (Index i = 0; i < 50; ++i)
      QVERIFY(std::abs(l.train.targets(0, i) - (1.5 * l.train.inputs(0, i) + 0.5)) < 1e-5);
    c.name = "cubic";
    c.noise = 3.0;
    const DataSplit cu = makeDataSplit(c);
    const Matrix residual = cu.train.targets - cu.train.inputs.array().cube().matrix();
    const double sd = std::sqrt(residual.squaredNorm() / 50);
    QVERIFY(sd > 2.0 && sd < 4.2);
  }

  void datasetOptions() {
    DatasetConfig c;
    c.name = "blobs";
    c.nTrain = 60;
    c.options.set("classes", 5.0);
    QCOMPARE(makeDataSplit(c).train.classes, 5);
    c.options.set("classes", 50.0);
    QVERIFY(c.validate().has_value());
    QCOMPARE(c.validate()->field, std::string("dataset.classes"));
    c = DatasetConfig();
    c.name = "linear";
    c.options.set("input_dim", 4.0);
    QCOMPARE(makeDataSplit(c).train.inputDim(), Index(4));
    c.name = "nonsense";
    QVERIFY_THROWS_EXCEPTION(InputError, makeDataSplit(c));
  }

  void csvRoundTrip() {
    DatasetConfig c;
    c.name = "spiral";
    c.nTrain = 40;
    const Dataset original = makeDataSplit(c).train;
    const Dataset back = parseCsvDataset(csvText(original), "mem.csv");
    QCOMPARE(back.task, Task::Classification);
    QVERIFY(back.labels == original.labels);
    QVERIFY((back.inputs - original.inputs).cwiseAbs().maxCoeff() < 1e-6);
    c.name = "cubic";
    const Dataset reg = makeDataSplit(c).train;
    const Dataset regBack = parseCsvDataset(csvText(reg), "mem.csv");
    QCOMPARE(regBack.task, Task::Regression);
    QVERIFY((regBack.targets - reg.targets).cwiseAbs().maxCoeff() < 1e-4);
  }

  void csvFileWithSplit() {
    QTemporaryDir dir;
    const QString path = dir.filePath("points.csv");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("# comment\nx0,x1,y\n");
    for (int i = 0; i < 50; ++i)
      f.write(QString("%1,%2,%3\n").arg(i * 0.1).arg(-i * 0.2).arg(i % 3).toUtf8());
    f.close();
    DatasetConfig c;
    c.name = "csv";
    c.options.set("path", path.toStdString());
    c.options.set("test_fraction", 0.2);
    const DataSplit s = makeDataSplit(c);
    QCOMPARE(s.train.size() + s.test.size(), Index(50));
    QCOMPARE(s.test.size(), Index(10));
    QCOMPARE(s.train.classes, 3);
    c.options.set("task", "regression");
    QCOMPARE(makeDataSplit(c).train.task, Task::Regression);
  }

  void csvBadInput_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("where");
    QTest::newRow("not a number") << "x0,y\n1,2\n3,abc\n"
                                  << "line 3, column 2";
    QTest::newRow("ragged") << "1,2\n3,4,5\n"
                            << "line 2";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("header only") << "x0,y\n"
                                 << "";
    QTest::newRow("one column") << "1\n2\n"
                                << "";
    QTest::newRow("not finite") << "1,2\ninf,3\n"
                                << "line 2, column 1";
    // Found by fuzz_csv (tests/fuzz/regressions/csv): finite as a double, inf as a float.
    QTest::newRow("beyond float range") << "1,2\n3.5e38,3\n"
                                        << "line 2, column 1";
    QTest::newRow("sign after plus") << "1,2\n+-3,3\n"
                                     << "line 2, column 1";
  }
  void csvBadInput() {
    QFETCH(QString, text);
    QFETCH(QString, where);
    try {
      parseCsvDataset(text.toStdString(), "bad.csv");
      QFAIL("no error");
    } catch (const InputError& e) {
      QCOMPARE(QString::fromStdString(e.file()), QString("bad.csv"));
      QCOMPARE(QString::fromStdString(e.field()), where);
      QVERIFY(!e.message().empty());
    }
  }
  void csvMissingFile() {
    QVERIFY_THROWS_EXCEPTION(InputError, readCsvDataset("/nonexistent/file.csv"));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestDatasets)
#include "test_datasets.moc"
