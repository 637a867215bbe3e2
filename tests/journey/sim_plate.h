// The simulated plate as the kiosk wires it, for journey tests: plugin,
// devices, a database of calibrations (empty until a test calibrates, see
// support/calibrated_sim.h), the demo actor 25 times faster than life.
#pragma once
#include <catch2/catch.hpp>

#include "core/config.h"
#include "journey/plate_access.h"
#include "plates/plate_calibration.h"
#include "plates/plugin_host.h"
#include "support/calibrated_sim.h"
#include "support/temp_dir.h"

namespace kiosk::test {

struct SimPlate {
  plates::PluginHost host;
  plates::DeviceManager devices{host};
  TempDir dir;
  storage::Database db = storage::Database::open(dir / "kiosk.db");
  plates::PlateCalibrations calibrations = plates::PlateCalibrations::from_database(&db, Config{});
  journey::DevicePlates plates{devices, calibrations, /*demo_actor=*/true, /*actor_speed=*/25};
  SimPlate() {
    REQUIRE(host.load(std::filesystem::path(KIOSK_PLUGIN_DIR) / "sim.so").empty());
    devices.rescan();
  }
};

}  // namespace kiosk::test
