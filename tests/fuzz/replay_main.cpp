// A plain main for the fuzz entry points (fuzz_*.cpp) in the normal build: feeds
// every file named on the command line (directories: every file in them, in
// name order) to LLVMFuzzerTestOneInput once, so that CTest replays the seed
// corpora and every crash reproducer without clang or libFuzzer.
//
// Without a sanitizer the process's address space is capped (kAddressSpaceCap),
// so an input that makes a reader allocate gigabytes fails here with
// std::bad_alloc (reported by fuzz_support.h) as it fails the fuzzer's
// -malloc_limit_mb. Under ASan or TSan (which reserve terabytes of shadow
// memory) the cap is left to the sanitizer.
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// 512 MiB of address space: a replay needs a few MB. A hostile header claims
// more (the IDX reader refuses over 256 MiB), so a reader that allocated what
// a header claims before checking it would fail here.
constexpr rlim_t kAddressSpaceCap = rlim_t(512) << 20;

std::vector<std::filesystem::path> inputs(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      std::vector<std::filesystem::path> inDir;
      for (const auto& e : std::filesystem::directory_iterator(p))
        if (e.is_regular_file()) inDir.push_back(e.path());
      std::sort(inDir.begin(), inDir.end());
      files.insert(files.end(), inDir.begin(), inDir.end());
    } else {
      files.push_back(p);
    }
  }
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
    return 2;
  }
  if (!kSanitized) {
    const rlimit cap{kAddressSpaceCap, kAddressSpaceCap};
    setrlimit(RLIMIT_AS, &cap);
  }
  const auto files = inputs(argc, argv);
  if (files.empty()) {
    std::fprintf(stderr, "no input files\n");
    return 2;
  }
  for (const auto& file : files) {
    std::ifstream f(file, std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "cannot read %s\n", file.c_str());
      return 2;
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(f)),
                                  std::istreambuf_iterator<char>());
    std::printf("replay %s (%zu bytes)\n", file.c_str(), bytes.size());
    std::fflush(stdout);
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%zu inputs replayed, no failure\n", files.size());
  return 0;
}
