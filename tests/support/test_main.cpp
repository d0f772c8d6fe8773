// The main of a test suite executable: runs the test named by its first
// argument (see test_main.h).
#include "tests/support/test_main.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace bayeslab::test {
namespace {

std::map<std::string, TestEntry>& registry() {
  static std::map<std::string, TestEntry> tests;
  return tests;
}

std::string testName(const char* file) {
  std::string name(file);
  if (const auto slash = name.find_last_of("/\\"); slash != std::string::npos) {
    name.erase(0, slash + 1);
  }
  if (const auto dot = name.rfind('.'); dot != std::string::npos) name.erase(dot);
  return name;
}

void listTests(std::FILE* out) {
  for (const auto& [name, entry] : registry()) std::fprintf(out, "  %s\n", name.c_str());
}

}  // namespace

bool registerTest(const char* file, TestEntry entry) {
  const auto [it, inserted] = registry().emplace(testName(file), entry);
  if (!inserted) {
    std::fprintf(stderr, "test_main: two tests named %s\n", it->first.c_str());
    std::abort();
  }
  return true;
}

}  // namespace bayeslab::test

int main(int argc, char* argv[]) {
  using namespace bayeslab::test;
  if (argc >= 2 && std::strcmp(argv[1], "--list") == 0) {
    listTests(stdout);
    return 0;
  }
  const auto it = argc < 2 ? registry().end() : registry().find(argv[1]);
  if (it == registry().end()) {
    if (argc >= 2) std::fprintf(stderr, "%s: no test named %s\n", argv[0], argv[1]);
    std::fprintf(stderr, "usage: %s TEST [QTest options and test functions]\ntests:\n", argv[0]);
    listTests(stderr);
    return 2;
  }
  // QTest sees the test's name as the program and the remaining arguments.
  std::vector<char*> args;
  args.push_back(argv[1]);
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  int count = argc - 1;
  return it->second(count, args.data());
}
