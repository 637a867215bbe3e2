// Which calibration the host applies to a plate's raw cells: the nominal
// one from the plate's own description (counts→newtons, cell positions)
// gives the geometry and the wizard's starting point; the technician's
// stored calibration (PlateCalibrations) is what patients are measured
// with. The maths itself is signal::cells_to_load, the one home for it.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "core/calibration/calibration_policy.h"
#include "core/config.h"
#include "core/session/session.h"
#include "core/storage/database.h"
#include "kiosk_plate.h"
#include "plates/device_manager.h"
#include "signal/cell_layout.h"

namespace kiosk::plates {

// A layout, or why this plate cannot be used (for staff screens and the log):
// the host's maths handles four cells at the corners of a rectangle centred
// on the plate (c0 front-left, c1 front-right, c2 back-left, c3 back-right).
std::variant<signal::CellLayout, std::string> nominal_layout(const kp_device_info& info);

// The plate and the calibration it measures with, as a capture records them
// in the session (and the FHIR export sends them as Device and DeviceMetric).
session::PlateUsed plate_used(const PlateDevice& plate, const calibration::PlateStatus& status);

// A plate and its calibration status (staff screens).
struct DeviceCalibration {
  std::string device_id, serial, model;
  bool present = true;
  calibration::PlateStatus status;
};

// The calibration each plate measures with, by serial: the newest accepted
// one from the store, judged by the expiry policy (calibration_policy.h).
// Patient captures use its gains and offsets instead of the nominal ones;
// a plate that is not `usable()` is not offered to patients. The technician
// screen and the staff banner read statuses(). Statuses are cached and
// re-read every minute, or at once after refresh() (a calibration stored).
// Thread: main thread (it owns no Database; the lookup does the reading).
class PlateCalibrations {
 public:
  // serial → status now. Must not throw (a storage failure is a status with its reason).
  using Lookup = std::function<calibration::PlateStatus(const std::string& serial)>;
  explicit PlateCalibrations(Lookup lookup) : lookup_(std::move(lookup)) {}
  // From the kiosk's database, with config calibration.expiry_days. `db` may be null
  // (storage unavailable): every plate is then uncalibrated, with that reason.
  static PlateCalibrations from_database(storage::Database* db, const Config& config);

  calibration::PlateStatus status(const std::string& serial) const;
  // Every plate the manager knows (present or not), for staff screens.
  std::vector<DeviceCalibration> statuses(const DeviceManager& devices) const;
  // Present plates that patients cannot use, as "id: reason" lines (the staff banner); empty: all fine.
  std::vector<std::string> problems(const DeviceManager& devices) const;
  void refresh() { cache_.clear(); }

 private:
  struct Cached {
    calibration::PlateStatus status;
    std::chrono::steady_clock::time_point read_at;
  };
  Lookup lookup_;
  mutable std::map<std::string, Cached, std::less<>> cache_;
};

}  // namespace kiosk::plates
