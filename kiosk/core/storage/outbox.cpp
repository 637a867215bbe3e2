#include "core/storage/outbox.h"

#include <fmt/format.h>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "core/log.h"

namespace kiosk::storage {
namespace {

constexpr const char* kSelectItem =
    "SELECT session_id, state, queued_at, attempts, next_attempt_at, last_error, coalesce(sent_at, '') FROM outbox ";

OutboxItem read_item(SQLite::Statement& q) {
  return {q.getColumn(0).getInt64(),  q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getInt(),
          q.getColumn(4).getString(), q.getColumn(5).getString(), q.getColumn(6).getString()};
}

std::string info(Database& db, const char* key) {
  SQLite::Statement q(db.sql(), "SELECT value FROM kiosk_info WHERE key = ?");
  q.bind(1, key);
  return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

void set_info(Database& db, const char* key, std::string_view value) {
  SQLite::Statement q(db.sql(), "INSERT OR REPLACE INTO kiosk_info(key, value) VALUES (?, ?)");
  q.bind(1, key);
  q.bind(2, std::string(value));
  q.exec();
}

// Runs `body`; an SQLite failure becomes a StorageError naming `what`.
template <typename F>
auto guarded(Database& db, std::string_view what, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    throw StorageError(fmt::format("{}: outbox: {}: {}", db.file().string(), what, e.what()));
  }
}

}  // namespace

std::vector<std::int64_t> Outbox::due(std::optional<WallClock::time_point> now, int limit) {
  return guarded(db_, "not read", [&] {
    SQLite::Statement q(db_.sql(),
                        "SELECT session_id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? "
                        "ORDER BY next_attempt_at, session_id LIMIT ?");
    q.bind(1, now ? to_iso_utc(*now) : std::string("9999"));
    q.bind(2, limit);
    std::vector<std::int64_t> ids;
    while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
    return ids;
  });
}

std::optional<OutboxItem> Outbox::find(std::int64_t session_id) {
  return guarded(db_, "not read", [&]() -> std::optional<OutboxItem> {
    SQLite::Statement q(db_.sql(), std::string(kSelectItem) + "WHERE session_id = ?");
    q.bind(1, session_id);
    if (!q.executeStep()) return std::nullopt;
    return read_item(q);
  });
}

std::vector<OutboxItem> Outbox::items(std::string_view state, int limit) {
  return guarded(db_, "not read", [&] {
    SQLite::Statement q(db_.sql(), std::string(kSelectItem) + "WHERE state = ? ORDER BY session_id DESC LIMIT ?");
    q.bind(1, std::string(state));
    q.bind(2, limit);
    std::vector<OutboxItem> out;
    while (q.executeStep()) out.push_back(read_item(q));
    return out;
  });
}

OutboxSummary Outbox::summary() {
  return guarded(db_, "not summed up", [&] {
    OutboxSummary s;
    SQLite::Transaction tx(db_.sql());  // one consistent snapshot
    SQLite::Statement q(db_.sql(), "SELECT state, count(*) FROM outbox GROUP BY state");
    while (q.executeStep()) {
      const auto state = q.getColumn(0).getString();
      const auto n = q.getColumn(1).getInt64();
      (state == "pending" ? s.pending : state == "parked" ? s.parked : state == "sent" ? s.sent : s.dropped) = n;
    }
    s.last_error = info(db_, "fhir.last_error");
    s.last_error_at = info(db_, "fhir.last_error_at");
    s.last_sent_at = info(db_, "fhir.last_sent_at");
    SQLite::Statement next(db_.sql(), "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'");
    if (next.executeStep() && !next.getColumn(0).isNull()) s.next_attempt_at = next.getColumn(0).getString();
    return s;
  });
}

std::optional<WallClock::time_point> Outbox::next_due() {
  const auto s = summary();
  if (s.next_attempt_at.empty()) return std::nullopt;
  return parse_iso_utc(s.next_attempt_at);
}

void Outbox::mark_sent(std::int64_t session_id, WallClock::time_point now) {
  guarded(db_, "not marked sent", [&] {
    SQLite::Transaction tx(db_.sql());
    SQLite::Statement q(db_.sql(),
                        "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = '' "
                        "WHERE session_id = ? AND state = 'pending'");
    q.bind(1, to_iso_utc(now));
    q.bind(2, session_id);
    q.exec();
    set_info(db_, "fhir.last_sent_at", to_iso_utc(now));
    set_info(db_, "fhir.last_error", "");
    set_info(db_, "fhir.last_error_at", "");
    tx.commit();
  });
}

void Outbox::note_error(std::string_view error, WallClock::time_point now) {
  set_info(db_, "fhir.last_error", error);
  set_info(db_, "fhir.last_error_at", to_iso_utc(now));
}

void Outbox::mark_failed(std::int64_t session_id, std::string_view error, WallClock::time_point now,
                         WallClock::time_point next_attempt) {
  guarded(db_, "failure not noted", [&] {
    SQLite::Transaction tx(db_.sql());
    SQLite::Statement q(db_.sql(),
                        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
                        "WHERE session_id = ? AND state = 'pending'");
    q.bind(1, std::string(error));
    q.bind(2, to_iso_utc(next_attempt));
    q.bind(3, session_id);
    q.exec();
    note_error(error, now);
    tx.commit();
  });
}

void Outbox::defer(std::int64_t session_id, std::string_view error, WallClock::time_point now,
                   WallClock::time_point next_attempt) {
  guarded(db_, "deferral not noted", [&] {
    SQLite::Transaction tx(db_.sql());
    SQLite::Statement q(
        db_.sql(), "UPDATE outbox SET last_error = ?, next_attempt_at = ? WHERE session_id = ? AND state = 'pending'");
    q.bind(1, std::string(error));
    q.bind(2, to_iso_utc(next_attempt));
    q.bind(3, session_id);
    q.exec();
    note_error(error, now);
    tx.commit();
  });
}

void Outbox::park(std::int64_t session_id, std::string_view reason, WallClock::time_point now) {
  guarded(db_, "not parked", [&] {
    SQLite::Transaction tx(db_.sql());
    SQLite::Statement q(db_.sql(),
                        "UPDATE outbox SET state = 'parked', attempts = attempts + 1, last_error = ? "
                        "WHERE session_id = ? AND state = 'pending'");
    q.bind(1, std::string(reason));
    q.bind(2, session_id);
    if (q.exec() == 1) db_.audit(AuditKind::records, "fhir", "fhir_parked", fmt::format("session={}", session_id));
    note_error(reason, now);
    tx.commit();
  });
  log::get("fhir")->warn("session parked id={} reason=\"{}\"", session_id, reason);
}

int Outbox::retry(std::optional<std::int64_t> session_id, std::string_view actor) {
  return guarded(db_, "not retried", [&] {
    SQLite::Transaction tx(db_.sql());
    SQLite::Statement q(db_.sql(),
                        "UPDATE outbox SET state = 'pending', next_attempt_at = ?1 "
                        "WHERE state = 'parked' AND (?2 IS NULL OR session_id = ?2)");
    q.bind(1, to_iso_utc(WallClock::now()));
    if (session_id)
      q.bind(2, *session_id);
    else
      q.bind(2);
    const int n = q.exec();
    if (n > 0)
      db_.audit(AuditKind::records, actor, "fhir_retry",
                session_id ? fmt::format("session={}", *session_id) : fmt::format("parked={}", n));
    tx.commit();
    return n;
  });
}

bool Outbox::drop(std::int64_t session_id, std::string_view actor) {
  return guarded(db_, "not dropped", [&] {
    SQLite::Transaction tx(db_.sql());
    SQLite::Statement q(db_.sql(),
                        "UPDATE outbox SET state = 'dropped' WHERE session_id = ? AND state IN ('pending', 'parked')");
    q.bind(1, session_id);
    const bool dropped = q.exec() == 1;
    if (dropped) db_.audit(AuditKind::records, actor, "fhir_drop", fmt::format("session={}", session_id));
    tx.commit();
    return dropped;
  });
}

}  // namespace kiosk::storage
