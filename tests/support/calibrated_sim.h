// The simulated plate calibrated through the real wizard — the sim plays
// the technician (mass on the five standard marks) on its virtual clock,
// 0.1 s of plate time a frame — and the record stored in a real database. Tests that need a plate patients
// may use call this first; nothing is exempted from the calibration policy.
#pragma once
#include <catch2/catch.hpp>

#include <chrono>

#include "core/storage/calibration_store.h"
#include "plates/calibration_wizard.h"
#include "plates/device_manager.h"
#include "plates/sim_clock.h"

namespace kiosk::test {

// `age`: how long ago it is recorded as made (an expired plate: > expiry).
inline calibration::CalibrationRecord calibrate_sim(plates::DeviceManager& devices, storage::Database& db,
                                                    std::chrono::hours age = std::chrono::hours(0)) {
  const auto* plate = devices.first_present();
  REQUIRE(plate);
  plates::WizardSetup setup;
  setup.mass_kg = 20;
  setup.positions_name = "standard five marks";
  setup.marks = calibration::standard_marks(150, 200);
  setup.technician = "test";
  REQUIRE(plates::act_out_on_sim(*plate->plugin, setup, plates::SimPace::virtual_clock()));
  plates::CalibrationWizard wizard(devices.open(plate->id()), setup);
  for (int i = 0; i < 4000 && !wizard.finished() && wizard.phase() != plates::CalibrationWizard::Phase::report; ++i) {
    REQUIRE(plates::advance_sim(*plate->plugin, 0.1) == KP_OK);
    wizard.pump();
  }
  INFO(wizard.refusal());
  REQUIRE(wizard.phase() == plates::CalibrationWizard::Phase::report);
  wizard.accept();
  auto record = wizard.record();
  storage::CalibrationStore(db).save(record, "test", kiosk::WallClock::now() - age);
  return record;
}

}  // namespace kiosk::test
