// IDX loading: round trips (raw and gzip), the real Fashion-MNIST files from
// Debian's dataset-fashion-mnist, and corrupt or truncated files giving a clear
// error without a crash or a huge allocation.
#include <zlib.h>

#include <QtTest>

#include "engine/data/idx_reader.h"
#include "engine/data/image_datasets.h"
#include "tests/support/test_main.h"
#include "tests/support/test_support.h"

using namespace bayeslab;

namespace {

std::vector<std::uint8_t> gzipBytes(const std::vector<std::uint8_t>& raw) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::vector<std::uint8_t> out(deflateBound(&z, static_cast<uLong>(raw.size())) + 64);
  z.next_in = const_cast<Bytef*>(raw.data());
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

IdxArray smallImages() {
  IdxArray a;
  a.dims = {3, 4, 5};
  for (int i = 0; i < 60; ++i) a.data.push_back(static_cast<std::uint8_t>(i * 4));
  return a;
}

void writeBytes(const QString& path, const std::vector<std::uint8_t>& bytes) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
}

const char* kFashion = "/usr/share/datasets/fashion-mnist";

}  // namespace

class TestIdxReader : public QObject {
  Q_OBJECT
 private slots:
  void roundTrip() {
    const IdxArray a = smallImages();
    const std::vector<std::uint8_t> raw = encodeIdx(a);
    QCOMPARE(raw.size(), size_t(4 + 12 + 60));
    for (const auto& bytes : {raw, gzipBytes(raw)}) {
      const IdxArray b = parseIdx(bytes, "mem");
      QVERIFY(b.dims == a.dims);
      QVERIFY(b.data == a.data);
    }
    QTemporaryDir dir;
    writeBytes(dir.filePath("x.gz"), gzipBytes(raw));
    QVERIFY(readIdxFile(dir.filePath("x.gz").toStdString()).data == a.data);
  }

  void imageDatasetScalesAndChecks() {
    IdxArray labels;
    labels.dims = {3};
    labels.data = {0, 7, 3};
    const Dataset d = imageDataset(smallImages(), labels, "img", "lab");
    QCOMPARE(d.size(), Index(3));
    QCOMPARE(d.imageWidth, 5);
    QCOMPARE(d.imageHeight, 4);
    QCOMPARE(d.classes, 8);
    QVERIFY(std::abs(d.inputs(1, 0) - 4.0f / 255.0f) < 1e-7);
    labels.dims = {2};
    labels.data.pop_back();
    QVERIFY_THROWS_EXCEPTION(InputError, imageDataset(smallImages(), labels, "img", "lab"));
  }

  void corrupt_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    const std::vector<std::uint8_t> good = encodeIdx(smallImages());
    const auto cut = [&](size_t n) {
      return QByteArray(reinterpret_cast<const char*>(good.data()), static_cast<int>(n));
    };
    QTest::newRow("empty") << QByteArray() << "too short";
    QTest::newRow("bad magic") << QByteArray("\x12\x34\x08\x03", 4) << "magic";
    QTest::newRow("float data") << QByteArray("\x00\x00\x0d\x01\x00\x00\x00\x01\x00\x00\x00\x00",
                                              12)
                                << "data type";
    QTest::newRow("header cut") << cut(10) << "header is truncated";
    QTest::newRow("data cut") << cut(good.size() - 7) << "truncated";
    QTest::newRow("trailing bytes") << cut(good.size()) + QByteArray("xyz") << "longer";
    // A header claiming 4 billion images must be refused before any allocation.
    QTest::newRow("absurd header")
        << QByteArray("\x00\x00\x08\x03\xff\xff\xff\xff\x00\x00\x00\x1c\x00\x00\x00\x1c", 16)
        << "256 MiB";
    // The header's claim is checked before the data are read: 2^31 x 2^31 bytes
    // (the product overflows 64 bits) and a 2^28-byte claim just over the cap.
    QTest::newRow("header 2^31 x 2^31")
        << QByteArray("\x00\x00\x08\x02\x80\x00\x00\x00\x80\x00\x00\x00", 12) << "256 MiB";
    QTest::newRow("header 4 x 2^32-1")
        << QByteArray("\x00\x00\x08\x04", 4) + QByteArray(16, '\xff') << "4294967295 x 4294967295";
    QTest::newRow("header 1 byte over the cap")
        << QByteArray("\x00\x00\x08\x02\x00\x00\x40\x00\x00\x00\x40\x01", 12)
        << "more than the 256 MiB";
    // A gzip bomb's header: 256 MiB (allowed) claimed by a stream too short to
    // inflate to it (deflate expands at most 1032-fold) is refused before the
    // 256 MiB are allocated.
    std::vector<std::uint8_t> bomb = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0x40, 0, 0, 0, 0x40, 0};
    bomb.resize(bomb.size() + 4096, 0);
    const std::vector<std::uint8_t> bombGz = gzipBytes(bomb);
    QTest::newRow("gzip claims more than it can hold")
        << QByteArray(reinterpret_cast<const char*>(bombGz.data()), static_cast<int>(bombGz.size()))
        << "gzip file can hold";
    const std::vector<std::uint8_t> gz = gzipBytes(good);
    QTest::newRow("gzip cut") << QByteArray(reinterpret_cast<const char*>(gz.data()),
                                            static_cast<int>(gz.size() / 2))
                              << "truncated";
    std::vector<std::uint8_t> broken = gz;
    for (size_t i = 12; i < broken.size() - 8; ++i) broken[i] ^= 0x5a;
    QTest::newRow("gzip garbage") << QByteArray(reinterpret_cast<const char*>(broken.data()),
                                                static_cast<int>(broken.size()))
                                  << "corrupt";
  }
  void corrupt() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    const std::span<const unsigned char> span(
        reinterpret_cast<const unsigned char*>(bytes.constData()),
        static_cast<size_t>(bytes.size()));
    try {
      parseIdx(span, "bad-idx");
      QFAIL("accepted a corrupt file");
    } catch (const InputError& e) {
      QCOMPARE(QString::fromStdString(e.file()), QString("bad-idx"));
      QVERIFY2(QString(e.what()).contains(message), e.what());
    }
  }

  void realFashionMnist() {
    if (!QFileInfo::exists(QString(kFashion) + "/t10k-images-idx3-ubyte.gz"))
      QSKIP("dataset-fashion-mnist is not installed");
    const IdxArray images = readIdxFile(std::string(kFashion) + "/t10k-images-idx3-ubyte.gz");
    const IdxArray labels = readIdxFile(std::string(kFashion) + "/t10k-labels-idx1-ubyte.gz");
    QVERIFY((images.dims == std::vector<std::uint32_t>{10000, 28, 28}));
    QVERIFY((labels.dims == std::vector<std::uint32_t>{10000}));
    const Dataset d = imageDataset(images, labels, "images", "labels");
    QCOMPARE(d.classes, 10);
    for (int k = 0; k < 10; ++k) QCOMPARE((d.labels.array() == k).count(), Index(1000));
    QVERIFY(d.inputs.maxCoeff() <= 1.0f && d.inputs.minCoeff() >= 0.0f);
  }

  void folderDataSet() {
    if (!QFileInfo::exists(QString(kFashion) + "/train-images-idx3-ubyte.gz"))
      QSKIP("dataset-fashion-mnist is not installed");
    DatasetConfig c;
    c.name = "idx";
    c.options.set("path", kFashion);
    c.options.set("digits", "0-4");
    c.nTrain = 500;
    c.nTest = 200;
    const DataSplit s = makeDataSplit(c);
    QCOMPARE(s.train.size(), Index(500));
    QCOMPARE(s.test.size(), Index(200));
    QCOMPARE(s.outOfDistribution.size(), Index(200));
    QVERIFY(s.train.labels.maxCoeff() <= 4);
    QVERIFY(s.outOfDistribution.labels.minCoeff() >= 5);
    c.options.set("path", "/nonexistent");
    QVERIFY_THROWS_EXCEPTION(InputError, makeDataSplit(c));
  }

  void folderWithMissingOrBadFiles() {
    QTemporaryDir dir;
    DatasetConfig c;
    c.name = "idx";
    c.options.set("path", dir.path().toStdString());
    QVERIFY_THROWS_EXCEPTION(InputError, makeDataSplit(c));
    const std::vector<std::uint8_t> images = encodeIdx(smallImages());
    IdxArray labels;
    labels.dims = {3};
    labels.data = {0, 1, 2};
    writeBytes(dir.filePath("train-images-idx3-ubyte"), images);
    writeBytes(dir.filePath("train-labels-idx1-ubyte"), encodeIdx(labels));
    writeBytes(dir.filePath("t10k-images-idx3-ubyte.gz"), gzipBytes(images));
    std::vector<std::uint8_t> truncated = encodeIdx(labels);
    truncated.pop_back();
    writeBytes(dir.filePath("t10k-labels-idx1-ubyte"), truncated);
    try {
      makeDataSplit(c);
      QFAIL("accepted");
    } catch (const InputError& e) {
      QVERIFY2(QString::fromStdString(e.file()).endsWith("t10k-labels-idx1-ubyte"), e.what());
    }
  }

  void classSelection() {
    QVERIFY((parseClassSelection("0-4", 10) == std::vector<bool>{1, 1, 1, 1, 1, 0, 0, 0, 0, 0}));
    QVERIFY(
        (parseClassSelection("1, 3,7-8", 10) == std::vector<bool>{0, 1, 0, 1, 0, 0, 0, 1, 1, 0}));
    for (const char* bad : {"", "10", "4-2", "a", "1,,2", "0-"})
      QVERIFY_THROWS_EXCEPTION(InputError, parseClassSelection(bad, 10));
  }
};

BAYESLAB_TEST_APPLESS_MAIN(TestIdxReader)
#include "test_idx_reader.moc"
