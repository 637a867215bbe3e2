// Calibration records in a real SQLite file: stored whole, read back after
// the database is closed and reopened, audited; and the expiry policy.
#include <catch2/catch.hpp>

#include "calib_fixture.h"
#include "core/calibration/calibration_policy.h"
#include "core/storage/audit_log.h"
#include "core/storage/calibration_store.h"
#include "sim/scenario_spec.h"
#include "support/temp_dir.h"

using namespace kiosk;
using calibration::CalibrationRecord;

namespace {

CalibrationRecord calibrate_sim(const std::string& serial, calibration::RunStatus status) {
  auto spec = sim::parse_spec(
      "scenario=placements mass_kg=20 marks=0:0,-90:120,90:120,-90:-120,90:-120 "
      "cell_gains_pct=10,-10,5,-5 noise_n=0.5");
  spec.scenario.rate_hz = 500;
  const auto played = test::play_session(spec.scenario);
  CalibrationRecord r;
  r.kind = calibration::RunKind::calibration;
  r.status = status;
  r.device_serial = serial;
  r.device_id = "sim:" + serial;
  r.device_model = "Simulated plate";
  r.technician = "Ana";
  r.mass_kg = 20;
  r.positions_name = "five";
  r.marks = test::marks_of(spec.scenario);
  r.zero = played.zero;
  r.placements = played.placements;
  const auto out = calibration::fit_gains(test::sim_nominal(), played.zero, r.marks, played.placements, 20, {});
  REQUIRE(out.fit);
  r.layout = out.fit->layout;
  r.condition = out.fit->condition;
  r.verification = out.fit->verification;
  return r;
}

}  // namespace

TEST_CASE("calib: every record survives closing and reopening the database file whole") {
  test::TempDir dir;
  const auto file = dir / "kiosk.db";
  auto saved = calibrate_sim("SIM-0001", calibration::RunStatus::accepted);
  auto rejected = calibrate_sim("SIM-0001", calibration::RunStatus::rejected);
  {
    auto db = storage::Database::open(file);
    storage::CalibrationStore store(db);
    CHECK(store.save(saved, "technician", kiosk::WallClock::now() - std::chrono::hours(24)) > 0);
    store.save(rejected, "technician");
  }
  auto db = storage::Database::open(file);  // a restart
  storage::CalibrationStore store(db);
  const auto history = store.history("SIM-0001");
  REQUIRE(history.size() == 2);
  CHECK(history[0].id == rejected.id);  // newest first
  const auto& back = history[1];
  CHECK(back.id == saved.id);
  CHECK(back.technician == "Ana");
  CHECK(back.created_at == saved.created_at);
  CHECK(back.mass_kg == 20);
  CHECK(back.marks.size() == 5);
  CHECK(back.marks[2].x_mm == 90);
  CHECK(back.placements.size() == 5);
  CHECK(back.zero.mean == saved.zero.mean);
  CHECK(back.placements[3].mean == saved.placements[3].mean);
  CHECK(back.layout.gain_n_per_unit == saved.layout.gain_n_per_unit);
  CHECK(back.layout.offset_units == saved.layout.offset_units);
  CHECK(back.verification.placements.size() == 5);
  CHECK(back.verification.placements[4].cop_error_mm == saved.verification.placements[4].cop_error_mm);
  CHECK(back.passed());
  // The calibration in force is the accepted one, not the newer rejected one.
  const auto active = store.latest("SIM-0001", calibration::RunKind::calibration, true);
  REQUIRE(active);
  CHECK(active->id == saved.id);
  CHECK_FALSE(store.latest("OTHER", calibration::RunKind::calibration, true));
  // Each one audited.
  int audited = 0;
  for (const auto& e : storage::read_audit(db, {}))
    audited += e.kind == "calibration" && e.event == "calibration_saved" &&
               e.detail.find("serial=SIM-0001") != std::string::npos;
  CHECK(audited == 2);
}

TEST_CASE("calib: a calibration expires after the configured days and a failed spot check takes the plate out") {
  auto r = calibrate_sim("SIM-0001", calibration::RunStatus::accepted);
  r.id = 5;
  r.created_at = "2026-01-01T10:00:00.000Z";
  const auto day = [](const char* iso) { return *kiosk::parse_iso_utc(iso); };
  using calibration::PlateState;
  CHECK(calibration::evaluate(std::nullopt, std::nullopt, 180, day("2026-01-02")).state == PlateState::uncalibrated);
  auto s = calibration::evaluate(r, std::nullopt, 180, day("2026-06-29"));
  CHECK(s.state == PlateState::calibrated);
  CHECK(s.usable());
  CHECK(s.days_left == 1);
  CHECK(s.expires_at == "2026-06-30T10:00:00.000Z");
  s = calibration::evaluate(r, std::nullopt, 180, day("2026-07-01"));
  CHECK(s.state == PlateState::expired);
  CHECK(s.reason == "calibration 5 of 2026-01-01 expired on 2026-06-30 (after 180 days)");
  CHECK(calibration::evaluate(r, std::nullopt, 30, day("2026-02-01")).state == PlateState::expired);

  CalibrationRecord check;
  check.kind = calibration::RunKind::check;
  check.id = 6;
  check.created_at = "2026-02-01T08:00:00.000Z";
  check.refused = "";
  check.verification.passed = false;
  CHECK(calibration::evaluate(r, check, 180, day("2026-02-02")).state == PlateState::check_failed);
  check.verification.passed = true;
  CHECK(calibration::evaluate(r, check, 180, day("2026-02-02")).state == PlateState::calibrated);
  check.verification.passed = false;
  check.id = 4;  // a failed check of an older calibration does not count against this one
  CHECK(calibration::evaluate(r, check, 180, day("2026-02-02")).state == PlateState::calibrated);
}
