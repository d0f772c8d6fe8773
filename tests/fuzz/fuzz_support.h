#pragma once
// Shared by the libFuzzer entry points (fuzz_*.cpp): the reader under test may
// reject its input only with InputError, the documented error type of every
// reader (engine/core/errors.h). Anything else escaping, or a property check
// failing, is reported on stderr and aborts, which libFuzzer records as a
// crash and the replay driver (replay_main.cpp) as a failed test.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "engine/core/errors.h"

namespace bayeslab::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline void check(bool ok, const std::string& what) {
  if (!ok) fail("property violated: " + what);
}

// Runs `read`; true when it returned, false when it rejected the input with
// InputError. Any other exception is a bug.
template <class Fn>
bool acceptsOrRejects(Fn&& read) {
  try {
    read();
    return true;
  } catch (const InputError&) {
    return false;
  } catch (const std::exception& e) {
    fail(std::string("an exception other than InputError escaped: ") + e.what());
  } catch (...) {
    fail("a non-standard exception escaped");
  }
}

}  // namespace bayeslab::fuzz
