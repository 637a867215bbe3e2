#include "core/storage/audit_log.h"

#include <SQLiteCpp/Statement.h>
#include <algorithm>

namespace kiosk::storage {

std::vector<AuditEntry> read_audit(Database& db, WallClock::time_point since, int limit) {
  SQLite::Statement q(db.sql(),
                      "SELECT id, at, kind, actor, event, detail FROM audit_log WHERE at >= ? "
                      "ORDER BY id DESC LIMIT ?");
  q.bind(1, to_iso_utc(since));
  q.bind(2, limit);
  std::vector<AuditEntry> out;
  while (q.executeStep())
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                   q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString()});
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace kiosk::storage
