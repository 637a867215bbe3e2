#include "core/storage/calibration_store.h"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kiosk::storage {

using calibration::CalibrationRecord;

namespace {
// A row written before reports had a format (schema v1): its gains cannot be
// applied, so it reads back as refused with the reason; history still shows it.
CalibrationRecord legacy(SQLite::Statement& q, std::int64_t id) {
  CalibrationRecord r;
  r.id = id;
  r.device_serial = q.getColumn(2).getString();
  r.technician = q.getColumn(3).getString();
  r.created_at = q.getColumn(4).getString();
  r.mass_kg = q.getColumn(5).getDouble();
  r.kind = calibration::parse_run_kind(q.getColumn(6).getString()).value_or(calibration::RunKind::calibration);
  r.status = calibration::parse_run_status(q.getColumn(7).getString()).value_or(calibration::RunStatus::accepted);
  r.refused = "stored before calibration reports had a format: its gains cannot be applied; calibrate again";
  return r;
}
}  // namespace

std::int64_t CalibrationStore::save(CalibrationRecord& r, std::string_view actor, WallClock::time_point now) {
  if (r.created_at.empty()) r.created_at = to_iso_utc(now);
  if (!(r.mass_kg > 0)) throw StorageError("calibration record: the mass must be positive");
  try {
    SQLite::Statement insert(db_.sql(),
                             "INSERT INTO calibrations(device_serial, technician, created_at, mass_kg, passed, report, "
                             "kind, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, r.device_serial);
    insert.bind(2, r.technician);
    insert.bind(3, r.created_at);
    insert.bind(4, r.mass_kg);
    insert.bind(5, r.passed() ? 1 : 0);
    insert.bind(6, calibration::to_json(r).dump());
    insert.bind(7, std::string(calibration::to_string(r.kind)));
    insert.bind(8, std::string(calibration::to_string(r.status)));
    insert.exec();
    r.id = db_.sql().getLastInsertRowid();
    // The report keeps its own id, so a history read back is whole.
    SQLite::Statement update(db_.sql(), "UPDATE calibrations SET report = ? WHERE id = ?");
    update.bind(1, calibration::to_json(r).dump());
    update.bind(2, r.id);
    update.exec();
    db_.audit(AuditKind::calibration, actor,
              r.kind == calibration::RunKind::check ? "calibration_check" : "calibration_saved",
              fmt::format("id={} serial={} technician={} status={} passed={} mass_kg={}", r.id, r.device_serial,
                          r.technician, calibration::to_string(r.status), r.passed() ? 1 : 0, r.mass_kg));
  } catch (const SQLite::Exception& e) {
    throw StorageError(fmt::format("calibration not stored: {}", e.what()));
  }
  return r.id;
}

std::vector<CalibrationRecord> CalibrationStore::query(const std::string& where, const std::vector<std::string>& args,
                                                       int limit) {
  std::vector<CalibrationRecord> out;
  try {
    SQLite::Statement q(db_.sql(),
                        "SELECT id, report, device_serial, technician, created_at, mass_kg, kind, status "
                        "FROM calibrations " +
                            where + " ORDER BY id DESC LIMIT ?");
    int i = 1;
    for (const auto& a : args) q.bind(i++, a);
    q.bind(i, limit);
    while (q.executeStep()) {
      const auto id = q.getColumn(0).getInt64();
      const auto report = nlohmann::json::parse(q.getColumn(1).getString(), nullptr, false);
      if (!report.is_object() || !report.contains("format")) {
        out.push_back(legacy(q, id));
        continue;
      }
      try {
        auto r = calibration::record_from_json(report);
        r.id = id;
        out.push_back(std::move(r));
      } catch (const std::exception& e) {
        throw StorageError(fmt::format("calibration {}: {}", id, e.what()));
      }
    }
  } catch (const SQLite::Exception& e) {
    throw StorageError(fmt::format("calibrations unreadable: {}", e.what()));
  }
  return out;
}

std::optional<CalibrationRecord> CalibrationStore::find(std::int64_t id) {
  auto r = query("WHERE id = ?", {std::to_string(id)}, 1);
  if (r.empty()) return std::nullopt;
  return r.front();
}

std::vector<CalibrationRecord> CalibrationStore::history(std::string_view serial, int limit) {
  if (serial.empty()) return query("", {}, limit);
  return query("WHERE device_serial = ?", {std::string(serial)}, limit);
}

std::optional<CalibrationRecord> CalibrationStore::latest(std::string_view serial, calibration::RunKind kind,
                                                          bool accepted_only) {
  auto r = query(accepted_only ? "WHERE device_serial = ? AND kind = ? AND status = 'accepted' AND passed = 1 "
                                 "AND json_extract(report, '$.format') IS NOT NULL"
                               : "WHERE device_serial = ? AND kind = ?",
                 {std::string(serial), std::string(calibration::to_string(kind))}, 1);
  if (r.empty()) return std::nullopt;
  return r.front();
}

}  // namespace kiosk::storage
