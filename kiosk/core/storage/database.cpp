#include "core/storage/database.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <chrono>

#include "core/log.h"

namespace kiosk::storage {
namespace {

namespace fs = std::filesystem;

// Errors that mean "this file is damaged", as opposed to "we cannot open it".
bool is_damage(int sqlite_code) {
  const int primary = sqlite_code & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

// Empty when healthy, else what integrity_check reported (first lines).
std::string integrity_problems(SQLite::Database& db) {
  SQLite::Statement check(db, "PRAGMA integrity_check(20)");
  std::string problems;
  while (check.executeStep()) {
    std::string row = check.getColumn(0).getString();
    if (row == "ok") continue;
    if (!problems.empty()) problems += "; ";
    problems += row;
  }
  return problems;
}

fs::path quarantine(const fs::path& file) {
  const auto stamp = fmt::format("{:%Y%m%dT%H%M%SZ}", fmt::gmtime(std::chrono::system_clock::now()));
  fs::path target = file;
  target += ".corrupt-" + stamp;
  for (int n = 2; fs::exists(target); ++n) {
    target = file;
    target += fmt::format(".corrupt-{}-{}", stamp, n);
  }
  fs::rename(file, target);
  for (const char* suffix : {"-wal", "-shm"}) {
    fs::path side = file;
    side += suffix;
    fs::path side_target = target;
    side_target += suffix;
    std::error_code ec;
    if (fs::exists(side, ec)) fs::rename(side, side_target, ec);
  }
  return target;
}

// Foreign keys are off while migrations run (a table rebuild must not cascade
// its DROP), and each migration commits only if every reference still holds.
void migrate(SQLite::Database& db, int from) {
  db.exec("PRAGMA foreign_keys = OFF");
  for (const auto& m : migrations()) {
    if (m.version <= from) continue;
    SQLite::Transaction tx(db);
    db.exec(std::string(m.sql));
    SQLite::Statement broken(db, "PRAGMA foreign_key_check");
    if (broken.executeStep())
      throw StorageError(
          fmt::format("migration {} broke a reference in table {}", m.version, broken.getColumn(0).getString()));
    db.exec(fmt::format("PRAGMA user_version = {}", m.version));
    tx.commit();
    log::get("storage")->info("migrated schema={} name={}", m.version, m.name);
  }
  db.exec("PRAGMA foreign_keys = ON");
}

}  // namespace

int latest_schema_version() { return migrations().empty() ? 0 : migrations().back().version; }

std::string_view to_string(AuditKind kind) {
  switch (kind) {
    case AuditKind::staff:
      return "staff";
    case AuditKind::script:
      return "script";
    case AuditKind::device:
      return "device";
    case AuditKind::calibration:
      return "calibration";
    case AuditKind::storage:
      return "storage";
    case AuditKind::records:
      return "records";
    case AuditKind::other:
      break;
  }
  return "other";
}

int Database::schema_version() { return db_->execAndGet("PRAGMA user_version").getInt(); }

void Database::audit(AuditKind kind, std::string_view actor, std::string_view event, std::string_view detail) {
  SQLite::Statement insert(*db_, "INSERT INTO audit_log(kind, actor, event, detail) VALUES (?, ?, ?, ?)");
  insert.bind(1, std::string(to_string(kind)));
  insert.bind(2, std::string(actor));
  insert.bind(3, std::string(event));
  insert.bind(4, std::string(detail));
  insert.exec();
}

Database Database::open(const fs::path& file, OpenReport* report) {
  auto logger = log::get("storage");
  OpenReport local;
  OpenReport& r = report ? *report : local;
  r = {};

  std::error_code ec;
  if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
  if (ec) throw StorageError(fmt::format("{}: cannot create folder: {}", file.string(), ec.message()));

  for (int attempt = 0;; ++attempt) {
    std::string damage;
    try {
      auto db = std::make_unique<SQLite::Database>(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      db->setBusyTimeout(5000);
      damage = integrity_problems(*db);
      if (damage.empty()) {
        db->exec("PRAGMA journal_mode = WAL");
        db->exec("PRAGMA synchronous = FULL");
        db->exec("PRAGMA foreign_keys = ON");
        db->exec("PRAGMA secure_delete = ON");  // deleted sessions are overwritten, not just unlinked
        Database opened(std::move(db), file);
        r.schema_before = opened.schema_version();
        if (r.schema_before > latest_schema_version()) {
          throw StorageError(
              fmt::format("{}: schema version {} is newer than this program knows ({}); refusing to change it",
                          file.string(), r.schema_before, latest_schema_version()));
        }
        migrate(opened.sql(), r.schema_before);
        r.schema_after = opened.schema_version();
        if (r.quarantined) {
          opened.audit(AuditKind::storage, "storage", "database_quarantined",
                       fmt::format("moved_to={} reason={}", r.moved_to.string(), r.reason));
        }
        return opened;
      }
    } catch (const SQLite::Exception& e) {
      if (!is_damage(e.getExtendedErrorCode())) {
        throw StorageError(fmt::format("{}: {}", file.string(), e.what()));
      }
      damage = e.what();
    }
    if (attempt > 0) {
      throw StorageError(fmt::format("{}: a fresh database is damaged too: {}", file.string(), damage));
    }
    r.quarantined = true;
    r.reason = damage;
    r.moved_to = quarantine(file);
    logger->error("database damaged, moved aside path={} moved_to={} reason=\"{}\"", file.string(), r.moved_to.string(),
                  damage);
  }
}

}  // namespace kiosk::storage
