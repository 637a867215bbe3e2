#include <catch2/catch.hpp>

#include <cstdlib>

#include "core/paths.h"

TEST_CASE("the data dir comes from the command line / then the config / then the environment") {
  kiosk::Config config;
  config.data_dir = "/from/config";
  CHECK(kiosk::resolve_paths(config, "/from/cli").data_dir == "/from/cli");
  CHECK(kiosk::resolve_paths(config, {}).data_dir == "/from/config");
  config.data_dir.clear();
  ::setenv("KIOSK_DATA_DIR", "/from/env", 1);
  CHECK(kiosk::resolve_paths(config, {}).data_dir == "/from/env");
  ::unsetenv("KIOSK_DATA_DIR");
  ::setenv("XDG_STATE_HOME", "/xdg", 1);
  CHECK(kiosk::resolve_paths(config, {}).data_dir == "/xdg/heel-kiosk");
}

TEST_CASE("bundled assets and scripts are found from a build tree") {
  const auto p = kiosk::resolve_paths(kiosk::Config{}, "/tmp/x");
  CHECK(std::filesystem::exists(p.assets_dir / "strings" / "en.toml"));
  REQUIRE(p.script_dirs.size() == 1);
  CHECK(p.script_dirs[0] == std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts");
  REQUIRE(p.plugin_dirs.size() == 1);
  CHECK(p.plugin_dirs[0].filename() == "plugins");
}

TEST_CASE("configured folders win over the bundled ones") {
  kiosk::Config config;
  config.script_dirs = {"/clinic/scripts"};
  config.assets_dir = "/clinic/assets";
  const auto p = kiosk::resolve_paths(config, "/tmp/x");
  CHECK(p.script_dirs == std::vector<std::filesystem::path>{"/clinic/scripts"});
  CHECK(p.assets_dir == "/clinic/assets");
}
