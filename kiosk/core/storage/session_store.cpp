#include "core/storage/session_store.h"

#include <fmt/format.h>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <array>
#include <cctype>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/log.h"
#include "core/session/session_json.h"

namespace kiosk::storage {
namespace {

constexpr std::array<std::pair<Outcome, std::string_view>, 5> kOutcomes{{
    {Outcome::unscreened, "unscreened"},
    {Outcome::completed, "completed"},
    {Outcome::red_flag, "red_flag"},
    {Outcome::cancelled, "cancelled"},
    {Outcome::timed_out, "timed_out"},
}};
constexpr std::array<std::pair<PrintStatus, std::string_view>, 5> kPrintStatuses{{
    {PrintStatus::none, "none"},
    {PrintStatus::pending, "pending"},
    {PrintStatus::printed, "printed"},
    {PrintStatus::saved, "saved"},
    {PrintStatus::failed, "failed"},
}};

template <typename E, size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table)
    if (e == value) return name;
  return "?";
}
template <typename E, size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text) {
  for (const auto& [e, name] : table)
    if (name == text) return e;
  return std::nullopt;
}

void check_record(const session::Session& s) {
  if (s.lang.empty()) throw StorageError("session record: the session needs a language");
  for (const auto* part : s.parts()) {
    if (part->test.empty() || part->version.empty())
      throw StorageError("session record: every script result needs a test and a version");
    for (const auto& m : part->measures)
      if (!std::isfinite(m.value))
        throw StorageError(fmt::format("session record: {}.{} is not a finite number", part->test, m.id));
  }
}

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

void insert_parts(SQLite::Database& sql, std::int64_t id, const session::Session& session) {
  SQLite::Statement answer(sql, "INSERT INTO answers(session_id, test, ask, value) VALUES (?, ?, ?, ?)");
  SQLite::Statement result(sql,
                           "INSERT INTO results(session_id, test, test_version, measure, side, value, unit, plate) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement finding(sql, "INSERT OR IGNORE INTO findings(session_id, test, finding) VALUES (?, ?, ?)");
  for (const auto* part : session.parts()) {
    for (const auto& [ask, value] : part->answers) {
      answer.bind(1, id);
      answer.bind(2, part->test);
      answer.bind(3, ask);
      answer.bind(4, session::to_json(value).dump());
      answer.exec();
      answer.reset();
    }
    for (const auto& m : part->measures) {
      result.bind(1, id);
      result.bind(2, part->test);
      result.bind(3, part->version);
      result.bind(4, m.id);
      if (m.side.empty())
        result.bind(5);
      else
        result.bind(5, m.side);
      result.bind(6, m.value);
      result.bind(7, m.unit);
      if (part->plate)
        result.bind(8, part->plate->device_id);
      else
        result.bind(8);
      result.exec();
      result.reset();
    }
    for (const auto& f : part->findings) {
      finding.bind(1, id);
      finding.bind(2, part->test);
      finding.bind(3, f);
      finding.exec();
      finding.reset();
    }
  }
}

void load_parts(SQLite::Database& sql, StoredSession& s) {
  SQLite::Statement answers(sql, "SELECT test, ask, value FROM answers WHERE session_id = ? ORDER BY test, ask");
  answers.bind(1, s.id);
  while (answers.executeStep()) {
    // Written by insert_parts; a value no script answer takes (a damaged row) is left out, not guessed.
    const auto value = nlohmann::json::parse(answers.getColumn(2).getString(), nullptr, /*allow_exceptions=*/false);
    if (auto a = session::answer_from_json(value))
      s.answers.push_back({answers.getColumn(0).getString(), answers.getColumn(1).getString(), std::move(*a)});
  }
  SQLite::Statement results(sql,
                            "SELECT test, test_version, measure, side, value, unit, plate FROM results "
                            "WHERE session_id = ? ORDER BY id");
  results.bind(1, s.id);
  while (results.executeStep())
    s.measures.push_back({results.getColumn(0).getString(), results.getColumn(1).getString(),
                          results.getColumn(2).getString(), text_or_empty(results.getColumn(3)),
                          results.getColumn(4).getDouble(), results.getColumn(5).getString(),
                          text_or_empty(results.getColumn(6))});
  SQLite::Statement findings(sql, "SELECT test, finding FROM findings WHERE session_id = ? ORDER BY rowid");
  findings.bind(1, s.id);
  while (findings.executeStep())
    s.findings.push_back({findings.getColumn(0).getString(), findings.getColumn(1).getString()});
}

constexpr const char* kSelectSession =
    "SELECT s.id, s.started_at, s.ended_at, s.language, s.visit_code, s.outcome, s.document, s.plan, "
    "s.print_status, s.print_detail, EXISTS(SELECT 1 FROM handouts h WHERE h.session_id = s.id) "
    "FROM sessions s ";

StoredSession read_session(SQLite::Statement& q) {
  StoredSession s;
  s.id = q.getColumn(0).getInt64();
  s.started_at = q.getColumn(1).getString();
  s.ended_at = q.getColumn(2).getString();
  s.language = q.getColumn(3).getString();
  s.visit_code = text_or_empty(q.getColumn(4));
  s.outcome = q.getColumn(5).getString();
  s.session = session::session_from_json(
      nlohmann::json::parse(q.getColumn(6).getString(), nullptr, /*allow_exceptions=*/false));
  s.plan = text_or_empty(q.getColumn(7));
  s.print_status = q.getColumn(8).getString();
  s.print_detail = q.getColumn(9).getString();
  s.has_handout = q.getColumn(10).getInt() != 0;
  for (const auto* part : s.session.parts())
    if (!part->test.empty()) s.versions[part->test] = part->version;
  return s;
}

}  // namespace

// Runs `body`; an SQLite failure becomes a StorageError naming the file and `what`.
template <typename F>
auto SessionStore::guarded(std::string_view what, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    throw StorageError(fmt::format("{}: {}: {}", db_.file().string(), what, e.what()));
  }
}

std::string_view to_string(Outcome outcome) { return name_of(kOutcomes, outcome); }

Outcome outcome_of(const session::Session& session, std::string_view ended) {
  if (ended == "timed_out") return Outcome::timed_out;
  if (ended != "finished") return Outcome::cancelled;
  switch (session.safety.state()) {
    case safety::SafetyState::cleared:
      return Outcome::completed;
    case safety::SafetyState::unscreened:
      return Outcome::unscreened;
    case safety::SafetyState::red_flag:
      return Outcome::red_flag;
  }
  return Outcome::red_flag;  // never "completed" by default
}
SessionRecord record_of(const session::Session& session, std::string_view ended, WallClock::time_point started_at,
                        WallClock::time_point ended_at) {
  SessionRecord r;
  r.started_at = started_at;
  r.ended_at = ended_at;
  r.outcome = outcome_of(session, ended);
  if (is_valid_visit_code(session.visit_code)) r.visit_code = session.visit_code;
  r.session = session;
  return r;
}

std::string_view to_string(PrintStatus status) { return name_of(kPrintStatuses, status); }
std::optional<Outcome> parse_outcome(std::string_view text) { return value_of(kOutcomes, text); }
std::optional<PrintStatus> parse_print_status(std::string_view text) { return value_of(kPrintStatuses, text); }

bool is_valid_visit_code(std::string_view code) {
  if (code.size() < 3 || code.size() > 20) return false;
  bool digit = false;
  for (char c : code) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '-') return false;
    digit = digit || std::isdigit(u);
  }
  return digit;
}

SessionStore::SessionStore(Database& db, RecordsMode mode, int retention_days, bool keep_unsent)
    : db_(db), mode_(mode), retention_days_(retention_days), keep_unsent_(keep_unsent) {}

std::optional<std::int64_t> SessionStore::commit(const SessionRecord& r) {
  if (mode_ == RecordsMode::none) {
    log::get("storage")->info("session not stored (records.store = none)");
    return std::nullopt;
  }
  if (!r.visit_code.empty() && !is_valid_visit_code(r.visit_code))
    throw StorageError("session record: a visit code is 3 to 20 letters, digits or '-', with a digit");
  check_record(r.session);
  auto& sql = db_.sql();
  try {
    // IMMEDIATE: the write lock first (waiting for the sender thread's writes), so the id read below stays true.
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    // Ids are never used twice, not even after a wipe: the clinic's server knows sessions by them.
    const std::int64_t id =
        sql.execAndGet(
               "SELECT max(coalesce((SELECT max(id) FROM sessions), 0), "
               "coalesce((SELECT CAST(value AS INTEGER) FROM kiosk_info WHERE key = 'last_session_id'), 0)) + 1")
            .getInt64();
    SQLite::Statement last(sql, "INSERT OR REPLACE INTO kiosk_info(key, value) VALUES ('last_session_id', ?)");
    last.bind(1, std::to_string(id));
    last.exec();
    SQLite::Statement insert(sql,
                             "INSERT INTO sessions(started_at, ended_at, language, visit_code, outcome, "
                             "document, plan, print_status, print_detail, print_updated_at, id) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const auto ended = to_iso_utc(r.ended_at);
    insert.bind(1, to_iso_utc(r.started_at));
    insert.bind(2, ended);
    insert.bind(3, r.session.lang);
    if (r.visit_code.empty())
      insert.bind(4);
    else
      insert.bind(4, r.visit_code);
    insert.bind(5, std::string(to_string(r.outcome)));
    insert.bind(6, session::to_json(r.session).dump());
    if (r.plan.empty())
      insert.bind(7);
    else
      insert.bind(7, r.plan);
    insert.bind(8, std::string(to_string(r.print)));
    insert.bind(9, r.print_detail);
    insert.bind(10, ended);
    insert.bind(11, id);
    insert.exec();
    insert_parts(sql, id, r.session);
    if (!r.handout_pdf.empty()) {
      SQLite::Statement pdf(sql, "INSERT INTO handouts(session_id, pdf, created_at) VALUES (?, ?, ?)");
      pdf.bind(1, id);
      pdf.bind(2, r.handout_pdf.data(), static_cast<int>(r.handout_pdf.size()));
      pdf.bind(3, ended);
      pdf.exec();
    }
    SQLite::Statement queue(sql, "INSERT INTO outbox(session_id, queued_at, next_attempt_at) VALUES (?, ?, ?)");
    const auto now = to_iso_utc(WallClock::now());
    queue.bind(1, id);
    queue.bind(2, now);
    queue.bind(3, now);
    queue.exec();
    tx.commit();
    log::get("storage")->info("session stored id={} outcome={} tests={} handout_bytes={}", id, to_string(r.outcome),
                              r.session.tests.size(), r.handout_pdf.size());
    return id;
  } catch (const SQLite::Exception& e) {
    throw StorageError(fmt::format("{}: session not stored: {}", db_.file().string(), e.what()));
  }
}

void SessionStore::set_print_status(std::int64_t id, PrintStatus status, std::string_view detail) {
  return guarded("print status not updated", [&] {
    SQLite::Statement update(db_.sql(),
                             "UPDATE sessions SET print_status = ?, print_detail = ?, print_updated_at = ? "
                             "WHERE id = ?");
    update.bind(1, std::string(to_string(status)));
    update.bind(2, std::string(detail));
    update.bind(3, to_iso_utc(WallClock::now()));
    update.bind(4, id);
    if (update.exec() != 1) throw StorageError(fmt::format("no stored session {}", id));
  });
}

std::vector<std::uint8_t> SessionStore::handout_pdf(std::int64_t id) {
  return guarded("handout not read", [&]() -> std::vector<std::uint8_t> {
    SQLite::Statement q(db_.sql(), "SELECT pdf FROM handouts WHERE session_id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return {};
    const auto col = q.getColumn(0);
    const auto* bytes = static_cast<const std::uint8_t*>(col.getBlob());
    return {bytes, bytes + col.getBytes()};
  });
}

std::optional<StoredSession> SessionStore::find(std::int64_t id) {
  return guarded("session not read", [&]() -> std::optional<StoredSession> {
    SQLite::Statement q(db_.sql(), std::string(kSelectSession) + "WHERE s.id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    auto s = read_session(q);
    load_parts(db_.sql(), s);
    return s;
  });
}

std::vector<StoredSession> SessionStore::sessions_since(WallClock::time_point since) {
  return guarded("sessions not read", [&] {
    SQLite::Transaction tx(db_.sql());  // one consistent snapshot
    SQLite::Statement q(db_.sql(), std::string(kSelectSession) + "WHERE s.ended_at >= ? ORDER BY s.ended_at, s.id");
    q.bind(1, to_iso_utc(since));
    std::vector<StoredSession> out;
    while (q.executeStep()) out.push_back(read_session(q));
    for (auto& s : out) load_parts(db_.sql(), s);
    return out;
  });
}

std::int64_t SessionStore::count_since(WallClock::time_point since) {
  return guarded("sessions not counted", [&] {
    SQLite::Statement q(db_.sql(), "SELECT count(*) FROM sessions WHERE ended_at >= ?");
    q.bind(1, to_iso_utc(since));
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

std::vector<StoredSession> SessionStore::visits_of(std::string_view visit_code, WallClock::time_point now) {
  if (mode_ == RecordsMode::none || visit_code.empty()) return {};
  return guarded("visits not read", [&] {
    SQLite::Transaction tx(db_.sql());  // one consistent snapshot
    SQLite::Statement q(db_.sql(), std::string(kSelectSession) +
                                       "WHERE s.visit_code = ?1 AND s.ended_at >= ?2 AND s.ended_at < ?3 "
                                       "AND EXISTS (SELECT 1 FROM results r WHERE r.session_id = s.id) "
                                       "ORDER BY s.ended_at, s.id");
    q.bind(1, std::string(visit_code));
    q.bind(2, to_iso_utc(now - std::chrono::days(retention_days_)));
    q.bind(3, to_iso_utc(now));
    std::vector<StoredSession> out;
    while (q.executeStep()) out.push_back(read_session(q));
    for (auto& s : out) load_parts(db_.sql(), s);
    return out;
  });
}

std::optional<StoredSession> SessionStore::last_for_visit_code(std::string_view visit_code, WallClock::time_point now) {
  auto visits = visits_of(visit_code, now);
  if (visits.empty()) return std::nullopt;
  return std::move(visits.back());
}

int SessionStore::purge_expired(WallClock::time_point now, std::string_view actor) {
  return guarded("retention not applied", [&] {
    last_purge_ = now;
    const auto cutoff = to_iso_utc(now - std::chrono::days(retention_days_));
    SQLite::Transaction tx(db_.sql());
    SQLite::Statement del(
        db_.sql(),
        "DELETE FROM sessions WHERE ended_at < ?1 AND (?2 = 0 OR NOT EXISTS ("
        "SELECT 1 FROM outbox o WHERE o.session_id = sessions.id AND o.state IN ('pending', 'parked')))");
    del.bind(1, cutoff);
    del.bind(2, keep_unsent_ ? 1 : 0);
    const int deleted = del.exec();
    if (deleted > 0)
      db_.audit(AuditKind::records, actor, "retention_purge",
                fmt::format("deleted={} ended_before={} retention_days={} unsent_kept={}", deleted, cutoff,
                            retention_days_, keep_unsent_));
    tx.commit();
    if (deleted > 0) log::get("storage")->info("retention deleted={} ended_before={}", deleted, cutoff);
    return deleted;
  });
}

bool SessionStore::purge_if_due(WallClock::time_point now) {
  if (last_purge_ && now - *last_purge_ < std::chrono::hours(24)) return false;
  purge_expired(now);
  return true;
}

int SessionStore::wipe_all(std::string_view actor) {
  return guarded("records not wiped", [&] {
    int deleted = 0;
    {
      SQLite::Transaction tx(db_.sql());
      deleted = db_.sql().exec("DELETE FROM sessions");
      db_.audit(AuditKind::staff, actor, "records_wiped", fmt::format("deleted={}", deleted));
      tx.commit();
    }
    // Copy the overwritten pages into the file and empty the WAL, so no old page survives there.
    db_.sql().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    log::get("storage")->warn("all records wiped deleted={} by={}", deleted, actor);
    return deleted;
  });
}

std::string SessionStore::install_id() {
  return guarded("install id not read", [&] {
    return db_.sql().execAndGet("SELECT value FROM kiosk_info WHERE key = 'install_id'").getString();
  });
}

}  // namespace kiosk::storage
