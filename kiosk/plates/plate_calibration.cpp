#include "plates/plate_calibration.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

#include "core/log.h"
#include "core/storage/calibration_store.h"

namespace kiosk::plates {

std::variant<signal::CellLayout, std::string> nominal_layout(const kp_device_info& info) {
  if (info.cell_count != signal::kCellCount)
    return fmt::format("{} load cells: this kiosk measures with plates of {} cells", info.cell_count,
                       signal::kCellCount);
  if (!(info.newtons_per_count > 0) || !std::isfinite(info.newtons_per_count))
    return fmt::format("nominal gain {} N/count is not a positive number", info.newtons_per_count);
  signal::CellLayout layout;
  layout.half_span_x_mm = std::abs(info.cell_x_mm[1]);
  layout.half_span_y_mm = std::abs(info.cell_y_mm[0]);
  constexpr double kTolerance_mm = 0.5;
  for (std::size_t c = 0; c < signal::kCellCount; ++c) {
    if (std::abs(info.cell_x_mm[c] - layout.cell_x_mm(c)) > kTolerance_mm ||
        std::abs(info.cell_y_mm[c] - layout.cell_y_mm(c)) > kTolerance_mm || layout.half_span_x_mm < 10 ||
        layout.half_span_y_mm < 10)
      return fmt::format(
          "cell {} at ({}, {}) mm: cells must sit at the corners of a rectangle centred on the "
          "plate, front-left, front-right, back-left, back-right",
          c, info.cell_x_mm[c], info.cell_y_mm[c]);
    layout.gain_n_per_unit[c] = info.newtons_per_count;
    layout.offset_units[c] = 0;
  }
  return layout;
}

namespace {
// A fixed-size text field of kp_device_info, up to its first NUL (or its end: a plugin may fill it).
template <std::size_t N>
std::string field(const char (&text)[N]) {
  return {text, strnlen(text, N)};
}
}  // namespace

session::PlateUsed plate_used(const PlateDevice& plate, const calibration::PlateStatus& status) {
  session::PlateUsed out;
  out.device_id = field(plate.info.id);
  out.plugin = plate.plugin ? plate.plugin->id() : std::string();
  out.vendor = field(plate.info.vendor);
  out.model = field(plate.info.model);
  out.serial = field(plate.info.serial);
  out.firmware = field(plate.info.firmware);
  out.calibration_state = std::string(calibration::to_string(status.state));
  if (status.calibration) {
    out.calibrated_at = status.calibration->created_at;
    out.calibration_id = status.calibration->id;
  }
  return out;
}

namespace {
constexpr auto kCacheFor = std::chrono::minutes(1);  // expiry is in days; a stored calibration calls refresh()
}

PlateCalibrations PlateCalibrations::from_database(storage::Database* db, const Config& config) {
  const int days = config.calibration_expiry_days;
  return PlateCalibrations([db, days](const std::string& serial) {
    calibration::PlateStatus s;
    if (!db) {
      s.reason = "storage unavailable: no calibration can be read";
      return s;
    }
    try {
      storage::CalibrationStore store(*db);
      return calibration::evaluate(store.latest(serial, calibration::RunKind::calibration, true),
                                   store.latest(serial, calibration::RunKind::check, false), days,
                                   kiosk::WallClock::now());
    } catch (const std::exception& e) {
      log::get("plates")->error("calibration of {} unreadable: {}", serial, e.what());
      s.reason = fmt::format("calibration unreadable: {}", e.what());
      return s;
    }
  });
}

calibration::PlateStatus PlateCalibrations::status(const std::string& serial) const {
  const auto now = std::chrono::steady_clock::now();
  auto it = cache_.find(serial);
  if (it == cache_.end() || now - it->second.read_at >= kCacheFor)
    it = cache_.insert_or_assign(serial, Cached{lookup_(serial), now}).first;
  return it->second.status;
}

std::vector<DeviceCalibration> PlateCalibrations::statuses(const DeviceManager& devices) const {
  std::vector<DeviceCalibration> out;
  for (const auto& d : devices.devices())
    out.push_back({d.id(), d.info.serial, d.info.model, d.present, status(d.info.serial)});
  return out;
}

std::vector<std::string> PlateCalibrations::problems(const DeviceManager& devices) const {
  std::vector<std::string> out;
  for (const auto& d : statuses(devices))
    if (d.present && !d.status.usable()) out.push_back(fmt::format("{}: {}", d.device_id, d.status.reason));
  return out;
}

}  // namespace kiosk::plates
