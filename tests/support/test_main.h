#pragma once
// Test entry points. The tests of one kind (engine, double-precision engine,
// GUI, CLI) are linked into one executable each (tests/CMakeLists.txt); a test
// registers itself under its file's name and CTest runs
//   <suite> <test-file-name> [QTest arguments...]
// One executable per family instead of one per file saves a link and an
// automoc pass per test: most of a first build's time (README "Build time").
//
// The names are unique per test class, so that the tests of a suite can be
// compiled in unity batches (file-local names must be unique across a suite).
//
// Use these instead of QTEST_MAIN, QTEST_APPLESS_MAIN and QTEST_GUILESS_MAIN;
// the application each creates is the one QTest's macro would have created.
#include <QtTest>

namespace bayeslab::test {

using TestEntry = int (*)(int argc, char* argv[]);

// Registers `entry` under the file name (no folder, no extension) of `file`.
// Called from static initialisers; returns true.
bool registerTest(const char* file, TestEntry entry);

}  // namespace bayeslab::test

#define BAYESLAB_TEST_ENTRY_(TestObject, ...)                                 \
  namespace {                                                                 \
  int bayeslabTestEntry##TestObject(int argc, char* argv[]) {                 \
    QT_PREPEND_NAMESPACE(QTest::Internal::callInitMain)<TestObject>();        \
    __VA_ARGS__                                                               \
    TestObject tc;                                                            \
    QTEST_SET_MAIN_SOURCE_PATH                                                \
    return QTest::qExec(&tc, argc, argv);                                     \
  }                                                                           \
  [[maybe_unused]] const bool bayeslabTestRegistered##TestObject =            \
      bayeslab::test::registerTest(__FILE__, &bayeslabTestEntry##TestObject); \
  }

// A QApplication (widgets), QGuiApplication or QCoreApplication, as QTEST_MAIN.
#define BAYESLAB_TEST_MAIN(TestObject) BAYESLAB_TEST_ENTRY_(TestObject, QTEST_MAIN_SETUP())
// No application object, as QTEST_APPLESS_MAIN.
#define BAYESLAB_TEST_APPLESS_MAIN(TestObject) BAYESLAB_TEST_ENTRY_(TestObject)
// A QCoreApplication, as QTEST_GUILESS_MAIN.
#define BAYESLAB_TEST_GUILESS_MAIN(TestObject) \
  BAYESLAB_TEST_ENTRY_(TestObject, QTEST_QAPP_SETUP(QCoreApplication))
