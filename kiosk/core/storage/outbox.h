// The outbox to the clinic's FHIR server: one row per stored session, queued
// by SessionStore::commit in the session's own transaction (so a session is
// never stored without being queued, nor queued without being stored).
// States: pending (to send; `next_attempt_at` holds the backoff), parked (the
// server refused it with a 4xx and an OperationOutcome: staff retry or drop),
// sent, dropped (staff gave up; retention may then delete the session).
// The sender (core/fhir/fhir_sender.h) moves items on; staff steer them with
// retry and drop (audited). Thread: like Database, one thread per Outbox.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage/database.h"
#include "core/utc_time.h"

namespace kiosk::storage {

struct OutboxItem {
  std::int64_t session_id = 0;
  std::string state;      // pending, parked, sent, dropped
  std::string queued_at;  // UTC, ISO 8601
  int attempts = 0;
  std::string next_attempt_at;  // UTC; pending items are not tried before it
  std::string last_error;       // why the last try failed or why it is parked
  std::string sent_at;          // empty until sent
};

struct OutboxSummary {
  std::int64_t pending = 0, parked = 0, sent = 0, dropped = 0;
  std::string last_error, last_error_at;  // the sender's last failure (any item); empty: none since the last success
  std::string last_sent_at;               // empty: never
  std::string next_attempt_at;            // the earliest pending item's; empty: none pending
};

class Outbox {
 public:
  explicit Outbox(Database& db) : db_(db) {}

  // Pending items whose backoff has passed at `now` (all pending items when
  // `now` is nullopt), oldest first, at most `limit`.
  std::vector<std::int64_t> due(std::optional<WallClock::time_point> now, int limit);
  std::optional<OutboxItem> find(std::int64_t session_id);
  std::vector<OutboxItem> items(std::string_view state, int limit = 100);  // newest first
  OutboxSummary summary();
  // The earliest next_attempt_at of a pending item; nullopt: none pending.
  std::optional<WallClock::time_point> next_due();

  // ---- the sender ----
  void mark_sent(std::int64_t session_id, WallClock::time_point now);
  // A failure to retry: attempts + 1, not before `next_attempt`.
  void mark_failed(std::int64_t session_id, std::string_view error, WallClock::time_point now,
                   WallClock::time_point next_attempt);
  // A failure that is not this item's (auth refused, server misconfigured): retried later, attempts kept.
  void defer(std::int64_t session_id, std::string_view error, WallClock::time_point now,
             WallClock::time_point next_attempt);
  void park(std::int64_t session_id, std::string_view reason, WallClock::time_point now);

  // ---- staff (audited as `actor`) ----
  // Parked items back to pending, due now: one, or every parked item (nullopt). Returns how many.
  int retry(std::optional<std::int64_t> session_id, std::string_view actor);
  // A pending or parked item is given up: it is never sent. False: no such unsent item.
  bool drop(std::int64_t session_id, std::string_view actor);

 private:
  void note_error(std::string_view error, WallClock::time_point now);
  Database& db_;
};

}  // namespace kiosk::storage
