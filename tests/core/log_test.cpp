#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "core/log.h"
#include "support/temp_dir.h"

TEST_CASE("log lines go to the file at or above the configured level / with component and time") {
  kiosk::test::TempDir dir;
  kiosk::log::Options options;
  options.dir = dir.path();
  options.level = "info";
  options.to_stderr = false;
  kiosk::log::init(options);
  auto logger = kiosk::log::get("storage");
  logger->debug("hidden detail");
  logger->info("migrated schema={}", 3);
  logger->flush();

  std::ifstream in(dir / "kiosk.log");
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  CHECK_THAT(text, Catch::Contains("info  storage: migrated schema=3"));
  CHECK_THAT(text, !Catch::Contains("hidden detail"));
  CHECK(text.substr(0, 2) == "20");  // ISO 8601 timestamp first
  kiosk::log::init({});              // back to stderr only for other tests
}
