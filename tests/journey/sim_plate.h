// The simulated plate as the kiosk wires it, for journey tests: plugin,
// devices, a database of calibrations (empty until a test calibrates, see
// support/calibrated_sim.h), the demo actor on the sim's virtual clock:
// plate time moves only as the test plays it (play()).
#pragma once
#include <catch2/catch.hpp>

#include "core/config.h"
#include "journey/plate_access.h"
#include "plates/plate_calibration.h"
#include "plates/plugin_host.h"
#include "plates/sim_clock.h"
#include "support/calibrated_sim.h"
#include "support/temp_dir.h"

namespace kiosk::test {

struct SimPlate {
  plates::PluginHost host;
  plates::DeviceManager devices{host};
  TempDir dir;
  storage::Database db = storage::Database::open(dir / "kiosk.db");
  plates::PlateCalibrations calibrations = plates::PlateCalibrations::from_database(&db, Config{});
  journey::DevicePlates plates{devices, calibrations, /*demo_actor=*/true, plates::SimPace::virtual_clock()};
  SimPlate() {
    REQUIRE(host.load(std::filesystem::path(KIOSK_PLUGIN_DIR) / "sim.so").empty());
    devices.rescan();
  }
  // Plays `seconds` of plate time: its samples are in the capture's stream when this returns.
  void play(double seconds) { REQUIRE(plates::advance_sim(host.loaded().at(0), seconds) == KP_OK); }
};

}  // namespace kiosk::test
