#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>

#include "core/config.h"

using kiosk::Config;
using kiosk::ConfigError;
using kiosk::parse_config;

namespace {
std::string error_of(const std::string& toml) {
  try {
    parse_config(toml, "kiosk.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("an empty config gives the documented defaults") {
  const Config c = parse_config("", "empty.toml");
  CHECK(c == Config{});
  CHECK(c.language == "en");
  CHECK(c.idle_timeout == std::chrono::seconds(90));
  CHECK(c.retention_days == 30);
  CHECK(c.records == kiosk::RecordsMode::results);
}

TEST_CASE("the example config documents every key / each at its default") {
  const std::string file = KIOSK_SOURCE_DIR "/deploy/kiosk.example.toml";
  CHECK(kiosk::load_config_file(file) == Config{});

  std::ifstream in(file);
  std::set<std::string> documented;
  std::string line, section;
  const std::regex section_re(R"(^\[([a-z_]+)\]\s*$)"), key_re(R"(^([a-z_0-9]+)\s*=)");
  for (std::smatch m; std::getline(in, line);) {
    if (std::regex_search(line, m, section_re))
      section = m[1];
    else if (std::regex_search(line, m, key_re))
      documented.insert(section + "." + std::string(m[1]));
  }
  const auto keys = kiosk::config_keys();
  CHECK(documented == std::set<std::string>(keys.begin(), keys.end()));
}

TEST_CASE("valid values are applied") {
  const Config c = parse_config(R"(
[kiosk]
language = "es"
idle_timeout_s = 120
[clinic]
name = "Clínica Sur"
[paths]
plugin_dirs = ["/opt/a", "/opt/b"]
[printing]
printer = "ipp://127.0.0.1:8631/ipp/print"
paper = "letter"
[staff]
pin_hash = "$argon2id$v=19$m=65536,t=2,p=1$abc$def"
[records]
store = "none"
retention_days = 7
)",
                                "k.toml");
  CHECK(c.language == "es");
  CHECK(c.idle_timeout == std::chrono::seconds(120));
  CHECK(c.clinic_name == "Clínica Sur");
  REQUIRE(c.plugin_dirs.size() == 2);
  CHECK(c.plugin_dirs[1] == "/opt/b");
  CHECK(c.paper == "letter");
  CHECK(c.records == kiosk::RecordsMode::none);
  CHECK(c.retention_days == 7);
}

TEST_CASE("a bad value is an error naming file / line and key") {
  CHECK(error_of("[kiosk]\nidle_timeout_s = 5\n") ==
        "kiosk.toml:2: kiosk.idle_timeout_s: must be a whole number from 15 to 900 (got 5)");
  CHECK(error_of("[kiosk]\n\nidle_timeout_s = \"90\"\n") ==
        "kiosk.toml:3: kiosk.idle_timeout_s: must be a whole number from 15 to 900 (got \"90\")");
  CHECK(error_of("[kiosk]\nlanguage = \"fr\"\n") == "kiosk.toml:2: kiosk.language: must be one of en, es (got \"fr\")");
  CHECK(error_of("[printing]\npaper = \"A4\"\n") ==
        "kiosk.toml:2: printing.paper: must be one of a4, letter (got \"A4\")");
  CHECK(error_of("[records]\nretention_days = 0\n") ==
        "kiosk.toml:2: records.retention_days: must be a whole number from 1 to 3650 (got 0)");
  CHECK(error_of("[paths]\nplugin_dirs = \"/opt\"\n").rfind("kiosk.toml:2: paths.plugin_dirs: must be a list", 0) == 0);
  CHECK(error_of("[staff]\npin_hash = \"1234\"\n").rfind("kiosk.toml:2: staff.pin_hash: must be an argon2id hash", 0) ==
        0);
  CHECK(error_of("[clinic]\nname = \"" + std::string(81, 'x') + "\"\n") ==
        "kiosk.toml:2: clinic.name: must be at most 80 characters");
}

TEST_CASE("unknown keys are refused / not ignored") {
  CHECK(error_of("[kiosk]\nlanguag = \"en\"\n") ==
        "kiosk.toml:2: kiosk.languag: unknown key (see deploy/kiosk.example.toml)");
  CHECK(error_of("language = \"en\"\n") == "kiosk.toml:1: language: unknown key (see deploy/kiosk.example.toml)");
  CHECK(error_of("[kiosk.sub]\nx = 1\n").rfind("kiosk.toml:1: kiosk.sub: unknown key", 0) == 0);
}

TEST_CASE("a TOML syntax error names the line") {
  CHECK(error_of("[kiosk]\nlanguage = \"en\"\nidle_timeout_s = = 3\n").rfind("kiosk.toml:3: ", 0) == 0);
}

TEST_CASE("an unreadable config file is an error naming it") {
  CHECK_THROWS_WITH(kiosk::load_config_file("/nonexistent/kiosk.toml"),
                    "/nonexistent/kiosk.toml: cannot read the config file");
}

TEST_CASE("handout links: http(s), no spaces, {exercise} only in exercise_link, short enough for a QR code") {
  const Config c = parse_config(
      "[handout]\nexercise_link = \"https://clinic.example/v/{exercise}\"\nsheet_link = \"http://10.0.0.5/book\"\n",
      "k.toml");
  CHECK(c.exercise_link == "https://clinic.example/v/{exercise}");
  CHECK(c.sheet_link == "http://10.0.0.5/book");
  CHECK(error_of("[handout]\nsheet_link = \"ftp://clinic.example/book\"\n") ==
        "kiosk.toml:2: handout.sheet_link: must start with https:// or http://, or be empty (got "
        "\"ftp://clinic.example/book\")");
  CHECK(error_of("[handout]\nsheet_link = \"javascript:alert(1)\"\n")
            .rfind("kiosk.toml:2: handout.sheet_link: must start", 0) == 0);
  CHECK(error_of("[handout]\nexercise_link = \"https://clinic.example/videos\"\n") ==
        "kiosk.toml:2: handout.exercise_link: must contain {exercise}, where each card's exercise id goes");
  CHECK(error_of("[handout]\nsheet_link = \"https://clinic.example/{exercise}\"\n") ==
        "kiosk.toml:2: handout.sheet_link: may hold no { } ({exercise} is for exercise_link)");
  CHECK(error_of("[handout]\nexercise_link = \"https://c.example/{exercise}/{lang}\"\n") ==
        "kiosk.toml:2: handout.exercise_link: may hold no { } other than {exercise}");
  CHECK(error_of("[handout]\nsheet_link = \"https://clinic.example/book now\"\n")
            .rfind("kiosk.toml:2: handout.sheet_link: must be a plain web address", 0) == 0);
  // 150 characters is the longest that scans from paper; the exercise id counts as 32.
  const std::string base = "https://clinic.example/";
  CHECK(parse_config("[handout]\nsheet_link = \"" + base + std::string(150 - base.size(), 'a') + "\"\n", "k.toml")
            .sheet_link.size() == 150);
  CHECK(
      error_of("[handout]\nsheet_link = \"" + base + std::string(151 - base.size(), 'a') + "\"\n") ==
      "kiosk.toml:2: handout.sheet_link: is too long for a QR code that scans from paper: at most 150 characters (got "
      "151)");
  CHECK(error_of("[handout]\nexercise_link = \"" + base + std::string(110, 'a') + "{exercise}\"\n") ==
        "kiosk.toml:2: handout.exercise_link: is too long for a QR code that scans from paper: at most 150 characters "
        "with a 32-character exercise id in place of {exercise} (got 165)");
  CHECK(error_of("[handout]\nsheet_link = \"" + base + std::string(5000, 'a') + "\"\n") ==
        "kiosk.toml:2: handout.sheet_link: must be at most 4096 characters");
}
