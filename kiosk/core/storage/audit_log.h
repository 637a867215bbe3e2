// Reading the audit log back (writing: Database::audit). Staff and clinic
// IT read it through `kioskctl audit list`.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/storage/database.h"
#include "core/utc_time.h"

namespace kiosk::storage {

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;  // UTC, ISO 8601
  std::string kind, actor, event, detail;
};

// Entries at or after `since`, oldest first, at most `limit` (the newest ones).
std::vector<AuditEntry> read_audit(Database& db, WallClock::time_point since, int limit = 1000);

}  // namespace kiosk::storage
