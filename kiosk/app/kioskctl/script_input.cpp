#include "kioskctl/script_input.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "kioskctl/command.h"

namespace kiosk::ctl {

nlohmann::json read_json_file(const std::filesystem::path& file, std::string_view what) {
  std::ifstream in(file);
  if (!in) throw InputError(fmt::format("{}: cannot open the {}", file.string(), what));
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
  }
}

std::vector<std::uint8_t> read_bytes_file(const std::filesystem::path& file, std::string_view what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the {}", file.string(), what));
  return {std::istreambuf_iterator<char>(in), {}};
}

script::AnswerBook read_answers_file(const std::filesystem::path& file) {
  try {
    return script::AnswerBook::read(file);
  } catch (const script::AnswerError& e) {
    throw InputError(e.what());
  }
}

std::pair<std::string, std::filesystem::path> parse_recording(const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw InputError(fmt::format("--recording {}: expected KEY=file", spec));
  std::filesystem::path file = spec.substr(eq + 1);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) throw InputError(fmt::format("--recording {}: no such file", spec));
  return {spec.substr(0, eq), file};
}

int guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const InputError& e) {
    std::fprintf(stderr, "kioskctl: %s\n", e.what());
    return kExitBadInput;
  }
}

}  // namespace kiosk::ctl
