#include <catch2/catch.hpp>

#include <fstream>

#include "core/text_catalog.h"
#include "support/temp_dir.h"

using kiosk::TextCatalog;

namespace {
const std::filesystem::path kStrings = KIOSK_SOURCE_DIR "/assets/strings";
}

TEST_CASE("every shipped language has exactly the English keys / none empty") {
  const auto catalog = TextCatalog::load(kStrings);
  const auto english = catalog.keys("en");
  REQUIRE_FALSE(english.empty());
  for (auto lang : kiosk::supported_languages()) {
    INFO("language " << lang);
    CHECK(catalog.keys(lang) == english);
    for (const auto& key : english) CHECK_FALSE(catalog.get(lang, key).empty());
  }
}

TEST_CASE("languages really differ where they should") {
  const auto catalog = TextCatalog::load(kStrings);
  CHECK(catalog.get("en", "attract.start") != catalog.get("es", "attract.start"));
}

TEST_CASE("a missing text falls back to English / then to the key") {
  kiosk::test::TempDir dir;
  std::ofstream(dir / "en.toml") << "[a]\nonly_en = \"Hello\"\n";
  std::ofstream(dir / "es.toml") << "[a]\n";
  const auto catalog = TextCatalog::load(dir.path());
  CHECK(catalog.get("es", "a.only_en") == "Hello");
  CHECK(catalog.get("es", "a.nowhere") == "a.nowhere");
  CHECK_FALSE(catalog.has("es", "a.only_en"));
}

TEST_CASE("a malformed strings file is an error naming the file and line") {
  kiosk::test::TempDir dir;
  std::ofstream(dir / "en.toml") << "[a]\nok = \"fine\"\nbad = 3\n";
  std::ofstream(dir / "es.toml") << "";
  CHECK_THROWS_WITH(TextCatalog::load(dir.path()), Catch::Contains("en.toml:3: a.bad: texts must be quoted strings"));
}

TEST_CASE("values.toml's numbers fill every language's words: the check's minutes are measured, not in C++") {
  const auto catalog = TextCatalog::load(kStrings);
  std::ifstream values(kStrings / "values.toml");
  std::string line, minutes;
  while (std::getline(values, line))
    if (line.rfind("check_minutes = ", 0) == 0) minutes = line.substr(16);
  REQUIRE_FALSE(minutes.empty());
  CHECK(catalog.get("en", "attract.subtitle").find("about " + minutes + " minutes") != std::string_view::npos);
  CHECK(catalog.get("en", "welcome.not_diagnosis").find("about " + minutes + " minutes") != std::string_view::npos);
  CHECK(catalog.get("es", "attract.subtitle").find("unos " + minutes + " minutos") != std::string_view::npos);
  CHECK(catalog.get("es", "welcome.not_diagnosis").find("unos " + minutes + " minutos") != std::string_view::npos);
  for (auto lang : kiosk::supported_languages())
    for (const auto& key : catalog.keys(lang))
      CHECK(catalog.get(lang, key).find("{check_minutes}") == std::string_view::npos);
}

TEST_CASE("a value fills its slot wherever it stands, and a value that is not a whole number is an error") {
  kiosk::test::TempDir dir;
  std::ofstream(dir / "en.toml") << "[a]\nt = \"{n} and {n}, not {m}\"\n";
  std::ofstream(dir / "es.toml") << "[a]\nt = \"{n}\"\n";
  std::ofstream(dir / "values.toml") << "n = 12\n";
  const auto catalog = TextCatalog::load(dir.path());
  CHECK(catalog.get("en", "a.t") == "12 and 12, not {m}");
  CHECK(catalog.get("es", "a.t") == "12");
  std::ofstream(dir / "values.toml") << "n = 12\nm = \"six\"\n";
  CHECK_THROWS_WITH(TextCatalog::load(dir.path()), Catch::Contains("values.toml:2: m: must be a whole number"));
}
