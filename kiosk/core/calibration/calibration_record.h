// One calibration or spot check as it is stored (storage/calibration_store.h)
// and printed (the certificate): who, when, which plate, the mass and marks,
// the raw means, the fitted gains and offsets, the residuals, pass/fail.
// Its JSON is the `report` column of the calibrations table, format 1
// (a public surface: `kioskctl calibrate history --json` prints it).
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calibration/calibration_math.h"

namespace kiosk::calibration {

inline constexpr int kRecordFormat = 1;

enum class RunKind { calibration, check };             // full calibration, or the daily spot check
enum class RunStatus { accepted, rejected, refused };  // technician's decision, or the maths refused
std::string_view to_string(RunKind kind);
std::string_view to_string(RunStatus status);
std::optional<RunKind> parse_run_kind(std::string_view text);
std::optional<RunStatus> parse_run_status(std::string_view text);

struct CalibrationRecord {
  std::int64_t id = 0;  // database id once stored
  RunKind kind = RunKind::calibration;
  RunStatus status = RunStatus::refused;
  std::string device_serial;  // the plate's identity (calibration follows the serial)
  std::string device_id, device_model;
  std::string technician;
  std::string created_at;  // UTC, ISO 8601; the store fills it when empty
  double mass_kg = 0;
  std::string positions_name;  // the positions file's name, or "centre" for a check
  std::vector<Mark> marks;
  Reading zero;                         // the empty plate
  std::vector<Reading> placements;      // the mass at marks[i] (may be fewer when refused)
  signal::CellLayout layout;            // calibration: fitted; check: the stored gains with the fresh zero
  double condition = 0;                 // of the least-squares system (calibration)
  Verification verification;            // residuals at every placement
  std::string refused;                  // why the maths or the wizard refused; empty otherwise
  std::int64_t checks_calibration = 0;  // check: the calibration it checked

  bool passed() const { return refused.empty() && verification.passed; }
};

nlohmann::json to_json(const CalibrationRecord& record);
// Throws std::runtime_error naming the key it cannot read.
CalibrationRecord record_from_json(const nlohmann::json& json);

}  // namespace kiosk::calibration
