// The clinician guide's first tutorial (scripts/README.md, "Write your first
// test"), run as written: its code blocks become the files, its commands run
// as the real programs, and what it says they print is what they print.
#include <fmt/format.h>
#include <sys/wait.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "script_fixture.h"

using kiosk::script::test::TempDir;
using nlohmann::json;

namespace {

std::string slurp(const std::filesystem::path& f) {
  std::ifstream in(f);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Block {
  std::string lang, text;
};

// The fenced code blocks of the tutorial section, in order.
std::vector<Block> tutorial_blocks() {
  const auto guide = slurp(std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts/README.md");
  const auto start = guide.find("## Write your first test");
  const auto end = guide.find("\n## ", start + 1);
  REQUIRE(start != std::string::npos);
  std::istringstream in(guide.substr(start, end - start));
  std::vector<Block> out;
  std::string line;
  std::optional<Block> open;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) {
      if (open) {
        out.push_back(*open);
        open.reset();
      } else {
        open = Block{line.substr(3), ""};
      }
    } else if (open) {
      open->text += line + "\n";
    }
  }
  return out;
}

struct Ran {
  int exit_code = -1;
  std::string out, err;
};

// Runs one line of the guide in `dir`: "kioskctl ..." as the built program
// with its own data dir and `config`, anything else as written.
Ran run_line(const std::filesystem::path& dir, std::string line, const std::filesystem::path& config) {
  if (line.rfind("kioskctl ", 0) == 0)
    line = fmt::format("'{}/kioskctl' --config '{}' --data-dir '{}' {}", KIOSK_BIN_DIR, config.string(),
                       (dir / "data").string(), line.substr(9));
  const auto out = dir / "out.txt", err = dir / "err.txt";
  const int status =
      std::system(fmt::format("cd '{}' && {} >'{}' 2>'{}'", dir.string(), line, out.string(), err.string()).c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("tutorial: the big-toe lift in scripts/README.md works exactly as written") {
  const auto blocks = tutorial_blocks();
  // lua script, toml motions, draw command, check command, json answers, run commands, json result
  REQUIRE(blocks.size() == 7);
  REQUIRE(blocks[0].lang == "lua");
  REQUIRE(blocks[1].lang == "toml");
  REQUIRE(blocks[4].lang == "json");
  REQUIRE(blocks[6].lang == "json");

  TempDir work;  // the clinic's checkout: scripts/ beside the shipped assets/
  std::filesystem::create_symlink(std::filesystem::path(KIOSK_SOURCE_DIR) / "assets", work.path / "assets");
  work.write("scripts/toe_lift.lua", blocks[0].text);
  work.write("scripts/illustrations/motions.toml", blocks[1].text);
  work.write("toe_lift.json", blocks[4].text);
  // The kiosk's script folders: the bundled ones (kit, norms) and the clinic's.
  const auto config = work.write("kiosk.toml", fmt::format("[paths]\nscript_dirs = [\"{}/scripts\", \"{}\"]\n",
                                                           KIOSK_SOURCE_DIR, (work.path / "scripts").string()));

  // 1 and 2: the script, and its picture drawn by the house tool.
  const auto drawn = run_line(work.path, lines_of(blocks[2].text).at(0), config);
  INFO(drawn.err);
  REQUIRE(drawn.exit_code == 0);
  CHECK(std::filesystem::is_regular_file(work.path / "scripts/illustrations/toe_lift/illustration.toml"));
  CHECK(std::filesystem::is_regular_file(work.path / "scripts/illustrations/toe_lift/still.svg"));

  // 3: check says nothing and exits 0.
  const auto checked = run_line(work.path, lines_of(blocks[3].text).at(0), config);
  INFO(checked.out << checked.err);
  CHECK(checked.exit_code == 0);
  CHECK(checked.out.empty());

  // 4: run prints the result the guide shows (English); Spanish runs too.
  const auto runs = lines_of(blocks[5].text);
  REQUIRE(runs.size() == 2);
  const auto en = run_line(work.path, runs[0], config);
  INFO(en.err);
  REQUIRE(en.exit_code == 0);
  CHECK(json::parse(en.out) == json::parse(blocks[6].text));
  const auto es = run_line(work.path, runs[1], config);
  REQUIRE(es.exit_code == 0);
  CHECK(json::parse(es.out)["interpretation"] == "Los músculos de tus dedos necesitan trabajo.");

  // 5: the catalogue offers it after the bundled tests, with no errors or warnings.
  const auto listed = run_line(work.path, "kioskctl script list", config);
  INFO(listed.err);
  REQUIRE(listed.exit_code == 0);
  const auto available = json::parse(listed.out)["available"];
  REQUIRE(!available.empty());
  const auto& last = available.back();
  CHECK(last["id"] == "toe_lift");
  CHECK(last["errors"].empty());
  CHECK(last["warnings"].empty());
}

TEST_CASE("tutorial: check and list name a missing illustration the same way") {
  TempDir work;
  // The guide's script, but naming a picture nobody drew.
  auto script = tutorial_blocks().at(0).text;
  const auto at = script.find("illustration = \"toe_lift\"");
  REQUIRE(at != std::string::npos);
  script.replace(at, 25, "illustration = \"toe_lfit\"");
  work.write("scripts/toe_lift.lua", script);
  const auto config = work.write("kiosk.toml", fmt::format("[paths]\nscript_dirs = [\"{}/scripts\", \"{}\"]\n",
                                                           KIOSK_SOURCE_DIR, (work.path / "scripts").string()));
  const auto checked = run_line(work.path, "kioskctl script check scripts/toe_lift.lua", config);
  CHECK(checked.exit_code == 0);  // still offered: the step shows without a picture
  const auto warnings = lines_of(checked.out);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains(": warning: illustration \"toe_lfit\": no such illustration"));

  const auto listed = run_line(work.path, "kioskctl script list", config);
  REQUIRE(listed.exit_code == 0);
  const auto last = json::parse(listed.out)["available"].back();
  CHECK(last["id"] == "toe_lift");
  CHECK(last["errors"].empty());
  // The same warning, the same line, the same choices (the catalogue names files by their full path).
  REQUIRE(last["warnings"].size() == 1);
  const std::string listed_warning = last["warnings"][0];
  const auto from_check = [&](std::string_view mark) { return warnings[0].substr(warnings[0].find(mark)); };
  CHECK_THAT(listed_warning,
             Catch::Contains("toe_lift.lua:" + std::to_string(std::stoi(from_check(".lua:").substr(5))) +
                             ": warning: illustration \"toe_lfit\": no such illustration in "));
  CHECK_THAT(listed_warning, Catch::EndsWith(from_check("(there are: ")));
}
