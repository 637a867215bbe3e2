// Helper for crash_test.cpp (not a test itself): commits sessions through the
// real SessionStore in an endless loop until it is killed, and says on
// stdout, unbuffered, "begin K" before and "done K ID" after each commit.
// Every 8th commit it also applies retention, every 5th updates a print status.
// With CONFIG (a kiosk.toml whose [fhir] names a server) the kiosk's sender
// thread runs beside it, woken after each commit, so kills land mid-send too;
// retention then keeps what is not sent yet.
//   storage_crash_writer DB SESSIONS.json FIRST_K [CONFIG]
// SESSIONS.json: a JSON list of session documents, used in turn. Commit K ends
// at 2024-01-01 + K × 30 min and carries a PDF of 48 KiB when K is even.
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>

#include "core/fhir/fhir_sender.h"
#include "core/session/session_json.h"
#include "core/storage/session_store.h"

namespace {
void say(const std::string& line) {
  const std::string text = line + "\n";
  if (::write(STDOUT_FILENO, text.data(), text.size()) < 0) std::_Exit(3);
}
}  // namespace

int main(int argc, char** argv) {
  using namespace kiosk::storage;
  using kiosk::parse_iso_utc;
  if (argc != 4 && argc != 5) {
    std::fputs("usage: storage_crash_writer DB SESSIONS.json FIRST_K [CONFIG]\n", stderr);
    return 2;
  }
  std::ifstream in(argv[2]);
  const auto sessions = nlohmann::json::parse(in);
  const long first = std::atol(argv[3]);
  auto db = Database::open(argv[1]);
  const auto config = argc == 5 ? kiosk::load_config_file(argv[4]) : kiosk::Config{};
  std::optional<kiosk::fhir::SenderThread> sender;
  if (argc == 5) sender.emplace(argv[1], config, std::filesystem::path(argv[1]).parent_path());
  SessionStore store(db, kiosk::RecordsMode::results, 1, /*keep_unsent=*/argc == 5);
  const auto t0 = *parse_iso_utc("2024-01-01");
  for (long k = first;; ++k) {
    SessionRecord r;
    r.ended_at = t0 + std::chrono::minutes(30 * k);
    r.started_at = r.ended_at - std::chrono::minutes(5);
    r.session = kiosk::session::session_from_json(sessions[static_cast<size_t>(k) % sessions.size()]);
    r.outcome = r.session.safety.allows_tests() ? Outcome::completed : Outcome::red_flag;
    const size_t pdf_bytes = k % 2 == 0 ? 48 * 1024 : 0;
    r.plan = nlohmann::json{{"k", k}, {"pdf_bytes", pdf_bytes}}.dump();
    for (size_t i = 0; i < pdf_bytes; ++i) r.handout_pdf.push_back(static_cast<std::uint8_t>((i * 7 + k) & 0xff));
    r.print = pdf_bytes ? PrintStatus::pending : PrintStatus::none;
    say(fmt::format("begin {}", k));
    const auto id = store.commit(r);
    say(fmt::format("done {} {}", k, *id));
    if (sender) sender->wake();
    if (k % 5 == 0) store.set_print_status(*id, PrintStatus::printed);
    if (k % 8 == 0) store.purge_expired(r.ended_at);
  }
}
