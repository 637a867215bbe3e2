#include <catch2/catch.hpp>

#include "plates/plugin_host.h"

using kiosk::plates::PluginHost;

namespace {
std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(FIXTURE_PLUGIN_DIR) / (name + ".so");
}
}  // namespace

TEST_CASE("a valid plugin loads and its devices are listed") {
  PluginHost host;
  CHECK(host.load(fixture("fixture_ok")).empty());
  REQUIRE(host.loaded().size() == 1);
  const auto& p = host.loaded()[0];
  CHECK(p.id() == "fixture");
  kp_device_info infos[8];
  for (auto& i : infos) i.struct_size = sizeof(kp_device_info);
  CHECK(p.devices->enumerate(infos, 8) == 4);
  CHECK(std::string(infos[0].id) == "fixture:steady");
  CHECK(infos[0].cell_count == 4);
}

TEST_CASE("each broken plugin is refused with a reason and the host runs on") {
  const std::pair<const char*, const char*> cases[] = {
      {"fixture_no_entry", "no kiosk_plate_entry symbol"},
      {"fixture_wrong_abi", "built for plugin ABI 2, this kiosk speaks ABI 1"},
      {"fixture_small_struct", "descriptor is"},
      {"fixture_null_init", "required callback init is NULL"},
      {"fixture_null_start", "required callback start of kiosk.plate.devices/1 is NULL"},
      {"fixture_no_devices", "does not provide the required extension kiosk.plate.devices/1"},
      {"fixture_init_fails", "init failed with code -5"},
      {"not_elf", "cannot load"},
  };
  PluginHost host;
  for (const auto& [file, reason] : cases) {
    INFO(file);
    CHECK_THAT(host.load(fixture(file)), Catch::Contains(reason));
  }
  CHECK(host.loaded().empty());
  CHECK(host.refused().size() == std::size(cases));
  CHECK(host.load(fixture("fixture_ok")).empty());  // still works after all that
}

TEST_CASE("a folder scan loads the good plugin once and refuses the rest") {
  PluginHost host;
  host.load_from({FIXTURE_PLUGIN_DIR, "/nonexistent/plugins"});
  REQUIRE(host.loaded().size() == 1);
  CHECK(host.loaded()[0].file.filename() == "fixture_ok.so");
  CHECK(host.refused().size() == 8);
}

TEST_CASE("a second plugin with the same id is refused") {
  PluginHost host;
  CHECK(host.load(fixture("fixture_ok")).empty());
  CHECK_THAT(host.load(fixture("fixture_ok")), Catch::Contains("already loaded"));
}
