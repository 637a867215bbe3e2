#include <catch2/catch.hpp>

#include "script/source_file.h"
#include "script_fixture.h"

using namespace kiosk::script;

TEST_CASE("valid UTF-8 (Spanish text) passes, bad bytes report their line") {
  CHECK_FALSE(first_invalid_utf8_line("hola\nniño, ¿qué tal? 😀\n"));
  CHECK(first_invalid_utf8_line("ok\nok\n\xff\n") == 3);
  CHECK(first_invalid_utf8_line("\xc3") == 1);              // truncated
  CHECK(first_invalid_utf8_line("a\n\xc0\xaf") == 2);       // overlong
  CHECK(first_invalid_utf8_line("\xed\xa0\x80") == 1);      // surrogate
  CHECK(first_invalid_utf8_line("\xf4\x90\x80\x80") == 1);  // above U+10FFFF
}

TEST_CASE("read_source_file refuses big files before reading them") {
  test::TempDir dir;
  const auto file = dir.write("big.lua", std::string(2000, '-'));
  std::string text;
  auto err = read_source_file(file, 1000, text);
  REQUIRE(err);
  CHECK(err->file == file.string());
  CHECK_THAT(err->message, Catch::Contains("2000 bytes") && Catch::Contains("1000"));
  CHECK(text.empty());
  CHECK_FALSE(read_source_file(file, 4000, text));
  CHECK(text.size() == 2000);
}

TEST_CASE("read_source_file names a missing file") {
  std::string text;
  auto err = read_source_file("/nonexistent/x.lua", 1000, text);
  REQUIRE(err);
  CHECK(err->file == "/nonexistent/x.lua");
  CHECK_THAT(err->message, Catch::Contains("not found"));
}
