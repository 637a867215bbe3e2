#include "core/calibration/calibration_policy.h"

#include <fmt/format.h>

#include <cmath>

namespace kiosk::calibration {

std::string_view to_string(PlateState state) {
  switch (state) {
    case PlateState::calibrated:
      return "calibrated";
    case PlateState::uncalibrated:
      return "uncalibrated";
    case PlateState::expired:
      return "expired";
    case PlateState::check_failed:
      return "check_failed";
  }
  return "uncalibrated";
}

PlateStatus evaluate(std::optional<CalibrationRecord> calibration, std::optional<CalibrationRecord> last_check,
                     int expiry_days, kiosk::WallClock::time_point now) {
  PlateStatus s;
  if (last_check && calibration && last_check->id < calibration->id) last_check.reset();  // a check of an older one
  s.last_check = std::move(last_check);
  s.calibration = std::move(calibration);
  const auto made = s.calibration ? kiosk::parse_iso_utc(s.calibration->created_at) : std::nullopt;
  if (!s.calibration || !s.calibration->passed() || !made) {
    s.state = PlateState::uncalibrated;
    s.reason =
        s.calibration ? fmt::format("calibration {} cannot be used", s.calibration->id) : "no calibration on record";
    return s;
  }
  const auto expires = *made + std::chrono::days(expiry_days);
  s.expires_at = kiosk::to_iso_utc(expires);
  s.days_left = static_cast<int>(std::floor(std::chrono::duration<double, std::ratio<86400>>(expires - now).count()));
  if (now >= expires) {
    s.state = PlateState::expired;
    s.reason = fmt::format("calibration {} of {} expired on {} (after {} days)", s.calibration->id,
                           s.calibration->created_at.substr(0, 10), s.expires_at.substr(0, 10), expiry_days);
  } else if (s.last_check && !s.last_check->passed()) {
    s.state = PlateState::check_failed;
    s.reason =
        fmt::format("the spot check of {} failed: calibrate the plate again", s.last_check->created_at.substr(0, 10));
  } else {
    s.state = PlateState::calibrated;
    s.reason = fmt::format("calibrated on {}, {} days left", s.calibration->created_at.substr(0, 10), s.days_left);
  }
  return s;
}

}  // namespace kiosk::calibration
