#include "core/export/csv_table.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/session/session_json.h"

namespace kiosk::records_export {
namespace {

// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
std::string field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string number(double v) { return fmt::format("{}", v); }

// A choice as its value; anything else as the session document writes it (8.0, true, [7.0,8.5]).
std::string answer_cell(const session::Answer& a) {
  if (const auto* s = std::get_if<std::string>(&a)) return *s;
  return session::to_json(a).dump();
}

}  // namespace

std::string csv_table(storage::SessionStore& store, kiosk::WallClock::time_point since, bool visit_code) {
  std::string out =
      "session_id,started_at,ended_at,visit_code,outcome,language,print_status,kind,test,test_version,item,"
      "side,value,unit\r\n";
  for (const auto& s : store.sessions_since(since)) {
    const auto head = fmt::format("{},{},{},{},{},{},{}", s.id, s.started_at, s.ended_at,
                                  field(visit_code ? s.visit_code : ""), s.outcome, s.language, s.print_status);
    auto row = [&](std::string_view kind, std::string_view test, std::string_view item, std::string_view side,
                   std::string_view value, std::string_view unit) {
      const auto version = s.versions.find(std::string(test));
      out += fmt::format("{},{},{},{},{},{},{},{}\r\n", head, kind, field(test),
                         field(version == s.versions.end() ? "" : version->second), field(item), side, field(value),
                         field(unit));
    };
    row("session", "", "", "", "", "");
    for (const auto& a : s.answers) row("answer", a.test, a.ask, "", answer_cell(a.value), "");
    for (const auto& m : s.measures) row("measure", m.test, m.id, m.side, number(m.value), m.unit);
    for (const auto& f : s.findings) row("finding", f.test, f.id, "", "", "");
  }
  return out;
}

}  // namespace kiosk::records_export
