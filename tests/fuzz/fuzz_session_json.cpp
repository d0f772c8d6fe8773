// libFuzzer entry point for the session reader (engine/training/session_json.h):
// the bytes are read as a session file. An accepted session must save
// (sessionToJson) to a file the reader accepts again and that saves to the same
// text: what the GUI saves, the CLI and the GUI can reopen.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/training/session_json.h"
#include "tests/fuzz/fuzz_support.h"

using namespace bayeslab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  SessionConfig config;
  if (!fuzz::acceptsOrRejects([&] { config = parseSessionJson(text, "fuzz.json"); })) return 0;
  std::string saved;
  if (!fuzz::acceptsOrRejects([&] { saved = sessionToJson(config); }))
    fuzz::fail("sessionToJson() threw InputError for an accepted session");
  SessionConfig reopened;
  if (!fuzz::acceptsOrRejects([&] { reopened = parseSessionJson(saved, "saved.json"); }))
    fuzz::fail("the saved form of an accepted session is rejected:\n" + saved);
  fuzz::check(sessionToJson(reopened) == saved, "save, reopen, save gives the same text");
  return 0;
}
