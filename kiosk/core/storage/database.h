// The kiosk's SQLite database: one file in the data dir, WAL mode, schema
// brought up to date by numbered migrations at open. A file that is not a
// database or fails `PRAGMA integrity_check` is moved aside (never deleted)
// and a fresh one created; the event is logged and written to the audit log.
// Thread: one Database per thread (SQLite connection rules).
#pragma once
#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>

namespace kiosk::storage {

class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database's name in the data dir.
inline constexpr const char* kDatabaseFileName = "kiosk.db";

struct Migration {
  int version;  // 1, 2, 3 … in order; never renumbered or edited once shipped
  std::string_view name;
  std::string_view sql;
};
// Every migration, in order (storage/migrations.cpp).
std::span<const Migration> migrations();
int latest_schema_version();

struct OpenReport {
  bool quarantined = false;        // a damaged file was moved aside
  std::filesystem::path moved_to;  // where it went
  std::string reason;              // what SQLite said about it
  int schema_before = 0;           // user_version found (0 = new file)
  int schema_after = 0;
};

// What an audit entry is about (the `kind` column, schema v2).
enum class AuditKind { staff, script, device, calibration, storage, records, other };
std::string_view to_string(AuditKind kind);

class Database {
 public:
  // Opens (creating if needed) and migrates. Throws StorageError when the
  // file cannot be used at all (folder unwritable, schema newer than this
  // program) — damage is handled by quarantine, not by throwing.
  static Database open(const std::filesystem::path& file, OpenReport* report = nullptr);

  SQLite::Database& sql() { return *db_; }
  int schema_version();
  const std::filesystem::path& file() const { return file_; }

  // Appends to the audit log (staff actions, script changes, device,
  // calibration, storage and records events). `detail` is "key=value ..."
  // and never holds patient data (the audit log outlives retention).
  void audit(AuditKind kind, std::string_view actor, std::string_view event, std::string_view detail = {});
  // Kind "other": for callers that predate kinds.
  void audit(std::string_view actor, std::string_view event, std::string_view detail = {}) {
    audit(AuditKind::other, actor, event, detail);
  }

 private:
  Database(std::unique_ptr<SQLite::Database> db, std::filesystem::path file)
      : db_(std::move(db)), file_(std::move(file)) {}
  std::unique_ptr<SQLite::Database> db_;
  std::filesystem::path file_;
};

}  // namespace kiosk::storage
