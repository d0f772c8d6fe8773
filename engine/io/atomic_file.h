#pragma once
// Whole-file writes that never leave a half-written file behind: the content
// goes to a temporary file in the same folder, which is flushed and then
// renamed over the target in one step.
#include <filesystem>
#include <functional>
#include <string_view>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

// Throws std::runtime_error naming the path on failure; the target is untouched.
void writeFileAtomically(const std::filesystem::path& path, std::string_view content);

// The same for content produced in pieces: `produce` calls the sink it is given
// with each piece in order, so a large file (data.csv of 60,000 images) never
// has to exist in memory as one string.
using TextSink = std::function<void(std::string_view)>;
void writeFileAtomically(const std::filesystem::path& path,
                         const std::function<void(const TextSink&)>& produce);

BAYESLAB_END_NAMESPACE
