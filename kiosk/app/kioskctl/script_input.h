// Input files shared by `script run` and `session run`.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "script/answers.h"

namespace kiosk::ctl {

// A bad input file or argument: the message names it. Exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Any JSON file; `what` names it in errors ("plan file"). Throws InputError.
nlohmann::json read_json_file(const std::filesystem::path& file, std::string_view what);
// A whole file as bytes. Throws InputError.
std::vector<std::uint8_t> read_bytes_file(const std::filesystem::path& file, std::string_view what);

// The answers file (script::AnswerBook::read). Throws InputError naming the file.
script::AnswerBook read_answers_file(const std::filesystem::path& file);

// "KEY=path" → {KEY, path}; the file must exist. Throws InputError.
std::pair<std::string, std::filesystem::path> parse_recording(const std::string& spec);

// Runs `body`; an InputError is printed and becomes kExitBadInput.
int guarded(const std::function<int()>& body);

}  // namespace kiosk::ctl
