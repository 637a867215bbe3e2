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

struct Migration {
  int version;              // 1, 2, 3 … in order; never renumbered or edited once shipped
  std::string_view name;
  std::string_view sql;
};
// Every migration, in order (storage/migrations.cpp).
std::span<const Migration> migrations();
int latest_schema_version();

struct OpenReport {
  bool quarantined = false;            // a damaged file was moved aside
  std::filesystem::path moved_to;      // where it went
  std::string reason;                  // what SQLite said about it
  int schema_before = 0;               // user_version found (0 = new file)
  int schema_after = 0;
};

class Database {
 public:
  // Opens (creating if needed) and migrates. Throws StorageError when the
  // file cannot be used at all (folder unwritable, schema newer than this
  // program) — damage is handled by quarantine, not by throwing.
  static Database open(const std::filesystem::path& file, OpenReport* report = nullptr);

  SQLite::Database& sql() { return *db_; }
  int schema_version();
  const std::filesystem::path& file() const { return file_; }

  // Appends to the audit log (staff actions, device, script and storage events).
  void audit(std::string_view actor, std::string_view event, std::string_view detail = {});

 private:
  Database(std::unique_ptr<SQLite::Database> db, std::filesystem::path file)
      : db_(std::move(db)), file_(std::move(file)) {}
  std::unique_ptr<SQLite::Database> db_;
  std::filesystem::path file_;
};

}  // namespace kiosk::storage
