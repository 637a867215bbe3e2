// Test helpers: scripts written to a private temp folder, run headless.
#pragma once
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "script/runner.h"

namespace kiosk::script::test {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() / fmt::format("kiosk-script-test-{}-{}", ::getpid(), counter++);
    std::filesystem::create_directories(path / "lib");
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::filesystem::path write(const std::string& name, std::string_view text) const {
    const auto file = path / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  SandboxOptions options() const {
    SandboxOptions o;
    o.lib_dirs = {path / "lib"};
    return o;
  }
};

// A minimal valid script whose run(t) body is `body` (after `top` lines).
inline std::string probe_script(std::string_view body, std::string_view top = "") {
  return fmt::format(
      "{}\nreturn {{ api = 1, id = \"probe\", version = \"1\", title = {{ en = \"Probe\" }},\n"
      "  run = function(t)\n{}\n  end }}\n",
      top, body);
}

// 1-based line of the first line containing `marker` ("--here").
inline int line_of(std::string_view text, std::string_view marker) {
  const auto at = text.find(marker);
  int line = 1;
  for (size_t i = 0; i < at && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

struct Timed {
  RunOutcome outcome;
  double seconds = 0;
};

inline Timed run_timed(const std::filesystem::path& file, const SandboxOptions& options,
                       nlohmann::json answers = nlohmann::json::object()) {
  JsonAnswers source(std::move(answers));
  NoPlate no_plate;
  const auto t0 = std::chrono::steady_clock::now();
  Timed t;
  t.outcome = run_script(file, options, RunContext{}, source, no_plate);
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return t;
}

}  // namespace kiosk::script::test
