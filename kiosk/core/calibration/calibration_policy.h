// Whether a plate may measure patients: it needs an accepted calibration
// that passed, younger than calibration.expiry_days, and no failed spot
// check since. Otherwise patients get the manual tests and staff see why.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/calibration/calibration_record.h"
#include "core/utc_time.h"

namespace kiosk::calibration {

enum class PlateState {
  calibrated,    // in force: its gains and offsets replace the nominal ones
  uncalibrated,  // no accepted calibration on record
  expired,       // older than the expiry
  check_failed,  // the latest spot check after it failed: recalibrate
};
std::string_view to_string(PlateState state);

struct PlateStatus {
  PlateState state = PlateState::uncalibrated;
  std::string reason;                            // for staff and the log, in English; screens use state + dates
  std::optional<CalibrationRecord> calibration;  // the newest accepted one, if any (even expired)
  std::optional<CalibrationRecord> last_check;   // the newest spot check after it
  std::string expires_at;                        // UTC ISO 8601; empty without a calibration
  int days_left = 0;                             // whole days until expiry (negative: ago)
  bool usable() const { return state == PlateState::calibrated; }
};

PlateStatus evaluate(std::optional<CalibrationRecord> calibration, std::optional<CalibrationRecord> last_check,
                     int expiry_days, kiosk::WallClock::time_point now);

}  // namespace kiosk::calibration
