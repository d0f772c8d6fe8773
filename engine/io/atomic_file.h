#pragma once
// Whole-file writes that never leave a half-written file behind: the content
// goes to a temporary file in the same folder, which is flushed and then
// renamed over the target in one step.
#include <filesystem>
#include <string_view>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

// Throws std::runtime_error naming the path on failure; the target is untouched.
void writeFileAtomically(const std::filesystem::path& path, std::string_view content);

BAYESLAB_END_NAMESPACE
