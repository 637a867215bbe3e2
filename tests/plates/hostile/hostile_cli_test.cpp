// `kioskctl device list` with each hostile plugin beside the simulated plate:
// it exits normally, lists the good plates and names the broken plugin
// (refused with the reason, or failed with how its plate host ended).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

#include "hostile.h"
#include "support/process.h"
#include "support/temp_dir.h"

using kiosk::test::Hostile;
using kiosk::test::TempDir;

namespace {
// kioskctl with the sim plugin and one hostile plugin, a short call deadline.
nlohmann::json device_list(const TempDir& dir, const Hostile& h) {
  const auto sim_dir = dir / "sim";
  std::filesystem::create_directories(sim_dir);
  std::filesystem::create_symlink(std::filesystem::path(KIOSK_PLUGIN_DIR) / "sim.so", sim_dir / "sim.so");
  const auto config = dir / "kiosk.toml";
  std::ofstream(config) << "[paths]\nplugin_dirs = [\"" << sim_dir.string() << "\", \"" << h.dir().string()
                        << "\"]\n[plates]\ncall_deadline_ms = 400\n";
  const auto r = kiosk::test::run(kiosk::test::program("kioskctl") + " --config " + config.string() + " --data-dir " +
                                  (dir / "data").string() + " device list --json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}
}  // namespace

TEST_CASE("kioskctl device list lists the good plates and names each hostile plugin", "[plates][hostile][cli]") {
  for (const auto& h : kiosk::test::hostile_plugins()) {
    INFO(h.name);
    TempDir dir;
    const auto j = device_list(dir, h);
    bool sim = false;
    for (const auto& d : j["devices"]) sim |= d["id"] == "sim:SIM-0001";
    CHECK(sim);
    const auto named = [&](const char* list) {
      for (const auto& p : j[list])
        if (p.dump().find(h.name) != std::string::npos) return true;
      return false;
    };
    CHECK(named("refused_plugins") == h.refused());
    // Plugins that die as soon as they are loaded or listed; the rest die later in use (open, start, ...).
    const bool dies_listing = h.fails() && (h.has("_at_entry") || h.has("_at_init") || h.has("_at_enumerate"));
    if (dies_listing) CHECK(named("failed_plugins"));
    if (!h.fails()) CHECK_FALSE(named("failed_plugins"));
  }
}
