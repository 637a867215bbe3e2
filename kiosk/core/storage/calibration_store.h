// Calibrations and spot checks of the plates, kept for good (they are not
// patient data: retention and wipes leave them alone), each also written
// to the audit log. Keyed by the plate's serial, so a plate keeps its
// calibration across unplugging and restarts.
//   CalibrationStore store(db);
//   store.save(record, "technician");   // fills id and created_at
//   store.latest(serial, RunKind::calibration, /*accepted_only=*/true);
// Throws StorageError. Thread: like Database, one thread per store.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/calibration/calibration_record.h"
#include "core/storage/database.h"
#include "core/utc_time.h"

namespace kiosk::storage {

class CalibrationStore {
 public:
  explicit CalibrationStore(Database& db) : db_(db) {}

  // Stores `record` (its id and, when empty, created_at are filled in) and
  // audits it as `actor`. Returns the id.
  std::int64_t save(calibration::CalibrationRecord& record, std::string_view actor,
                    WallClock::time_point now = WallClock::now());
  std::optional<calibration::CalibrationRecord> find(std::int64_t id);
  // Newest first; `serial` empty: every plate.
  std::vector<calibration::CalibrationRecord> history(std::string_view serial = {}, int limit = 1000);
  // The newest record of `kind` for the plate; with accepted_only, only
  // accepted ones that passed (the calibration in force).
  std::optional<calibration::CalibrationRecord> latest(std::string_view serial, calibration::RunKind kind,
                                                       bool accepted_only);

 private:
  std::vector<calibration::CalibrationRecord> query(const std::string& where, const std::vector<std::string>& args,
                                                    int limit);
  Database& db_;
};

}  // namespace kiosk::storage
