// Reading a script or lib file before Lua sees it: refuse files over the size
// limit (checked before reading) and text that is not UTF-8.
#pragma once
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "script/script_error.h"

namespace kiosk::script {

// 1-based line of the first byte that is not valid UTF-8, or nullopt.
std::optional<int> first_invalid_utf8_line(std::string_view text);

// The file's text, or an error naming the file (and line for bad UTF-8).
// `text` is filled only on success.
std::optional<ScriptError> read_source_file(const std::filesystem::path& file, std::size_t max_bytes,
                                            std::string& text);

}  // namespace kiosk::script
