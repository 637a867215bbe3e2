// The fleet run behind the CI fleet test and bench/run's fleet rows:
// --kiosks simulated kiosks (fhir_fleet_kiosk, one process and data dir
// each) store --sessions sessions each, one every --interval-ms, and send
// them to the real FHIR engine (server.js) through the fault proxy, which
// fails --fail-rate of requests (500 before/after the server commits,
// resets before/after, timeouts, slow answers) and cuts the server off
// entirely for --outage-s from --outage-at-s. Then it counts, from every
// kiosk's own database against the engine's resources:
//   lost        sessions with any resource missing on the server and no longer
//               queued (must be 0); left_in_queues: still waiting (0 once drained)
//   duplicates  identifiers held by more than one resource (must be 0)
// and prints one JSON object (also the drain time after the outage and after
// the last session was stored, and the sender threads' CPU per kiosk). Exit 0 only when nothing was lost,
// nothing duplicated, and every Bundle the engine got was schema-valid.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

#include "core/export/fhir_bundle.h"
#include "core/session/session_json.h"
#include "core/storage/outbox.h"
#include "core/storage/session_store.h"
#include "node_service.h"
#include "script/catalogue.h"
#include "script/run_session.h"

using namespace kiosk;
using nlohmann::json;
using namespace std::chrono;
namespace fs = std::filesystem;

namespace {

json fixture_session(const std::string& name, const std::string& lang) {
  script::SessionInput input;
  input.answers = script::AnswerBook::read(fs::path(KIOSK_SOURCE_DIR) / "tests/fixtures/answers" / name);
  input.lang = lang;
  script::Catalogue catalogue({fs::path(KIOSK_SOURCE_DIR) / "scripts"});
  catalogue.scan();
  return session::to_json(script::run_session(catalogue, input).session);  // the document the kiosks read
}

long long epoch_ms() { return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count(); }

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

pid_t spawn(const std::vector<std::string>& args, const fs::path& out) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(out.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    dup2(fd, STDOUT_FILENO);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// Sessions of one kiosk's database with any resource missing from `server`
// that the kiosk no longer means to send (lost); those still queued are `left`.
int lost_in(const fs::path& db_file, const json& server, int& checked, int& left) {
  auto db = storage::Database::open(db_file);
  storage::SessionStore store(db, RecordsMode::results, 3650);
  storage::Outbox outbox(db);
  int lost = 0;
  for (const auto& s : store.sessions_since({})) {
    ++checked;
    const auto item = outbox.find(s.id);
    if (item && (item->state == "pending" || item->state == "parked")) {
      ++left;
      continue;
    }
    const auto bundle = records_export::fhir_transaction(store, s.id, {records_export::VisitCodeUse::off, ""});
    bool whole = true;
    for (const auto& e : bundle->value("entry", json::array())) {
      const auto& r = e["resource"];
      const auto& id = r["identifier"].is_array() ? r["identifier"][0] : r["identifier"];
      const auto key = fmt::format("{} {}|{}", r["resourceType"].get<std::string>(), id["system"].get<std::string>(),
                                   id["value"].get<std::string>());
      whole = whole && server.contains(key);
    }
    lost += !whole;
  }
  return lost;
}

}  // namespace

int main(int argc, char** argv) {
  int kiosks = 5, sessions = 20, interval_ms = 100, deadline_s = 300, seed = 1, timeout_s = 5;
  double fail_rate = 0.2, outage_at_s = 1, outage_s = 4;
  fs::path work;
  CLI::App cli{"fhir_fleet: many simulated kiosks send to the FHIR engine through the fault proxy"};
  cli.add_option("--kiosks", kiosks);
  cli.add_option("--sessions", sessions, "Sessions each kiosk stores");
  cli.add_option("--interval-ms", interval_ms, "Between two sessions of one kiosk");
  cli.add_option("--fail-rate", fail_rate);
  cli.add_option("--outage-at-s", outage_at_s);
  cli.add_option("--outage-s", outage_s);
  cli.add_option("--deadline-s", deadline_s, "Each kiosk gives up waiting for its queue to drain after this");
  cli.add_option("--seed", seed);
  cli.add_option("--request-timeout-s", timeout_s, "The kiosks' fhir.request_timeout_s");
  cli.add_option("--work", work, "A fresh folder for the kiosks' data")->required();
  CLI11_PARSE(cli, argc, argv);

  test::FhirEngine engine;
  test::FaultProxy proxy(engine, seed);
  proxy.mode({{"fail_rate", fail_rate},
              {"faults", {"500-before", "500-after", "timeout", "reset-before", "reset-after", "slow"}},
              {"slow_ms", 500}});
  fs::create_directories(work);
  std::ofstream(work / "sessions.json") << json::array({fixture_session("session_full.json", "en"),
                                                        fixture_session("session_red_flag.json", "en"),
                                                        fixture_session("session_one_leg_unsafe.json", "es")});
  std::ofstream(work / "kiosk.toml") << fmt::format(
      "[fhir]\nbase_url = \"{}\"\nconnect_timeout_s = 2\nrequest_timeout_s = {}\nbackoff_first_s = 0.2\n"
      "backoff_max_s = 4\n",
      proxy.base_url(), timeout_s);

  const auto helper = (fs::path(argv[0]).parent_path() / "fhir_fleet_kiosk").string();
  const auto t0 = steady_clock::now();
  std::vector<pid_t> pids;
  for (int k = 0; k < kiosks; ++k) {
    const auto dir = work / fmt::format("kiosk{:02}", k);
    fs::create_directories(dir);
    pids.push_back(spawn({helper, "--data-dir", dir.string(), "--config", (work / "kiosk.toml").string(), "--sessions",
                          (work / "sessions.json").string(), "--count", std::to_string(sessions), "--interval-ms",
                          std::to_string(interval_ms), "--deadline-s", std::to_string(deadline_s), "--scripts",
                          (fs::path(KIOSK_SOURCE_DIR) / "scripts").string()},
                         dir / "result.json"));
  }
  std::this_thread::sleep_until(t0 + duration<double>(outage_at_s));
  proxy.outage(true);
  std::this_thread::sleep_until(t0 + duration<double>(outage_at_s + outage_s));
  proxy.outage(false);
  const long long outage_end = epoch_ms();
  int exited_badly = 0;
  for (const auto pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    exited_badly += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  const double wall_s = duration<double>(steady_clock::now() - t0).count();

  const auto stats = engine.stats();
  const auto identifiers = engine.identifiers();
  int lost = 0, checked = 0, left = 0;
  long long drained = 0, stored_done = 0;
  double cpu_sum = 0, cpu_max = 0;
  for (int k = 0; k < kiosks; ++k) {
    const auto dir = work / fmt::format("kiosk{:02}", k);
    lost += lost_in(dir / "kiosk.db", identifiers, checked, left);
    const auto r = json::parse(read_all(dir / "result.json"), nullptr, false);
    if (!r.is_object()) continue;
    drained = std::max(drained, r.value("drained_at_ms", 0LL));
    stored_done = std::max(stored_done, r.value("stored_done_ms", 0LL));
    cpu_sum += r.value("sender_cpu_s", 0.0);
    cpu_max = std::max(cpu_max, r.value("sender_cpu_s", 0.0));
  }
  const json report{{"kiosks", kiosks},
                    {"sessions_per_kiosk", sessions},
                    {"sessions_stored", checked},
                    {"lost", lost + (checked < kiosks * sessions ? kiosks * sessions - checked : 0)},
                    {"left_in_queues", left},
                    {"duplicates", stats["duplicates"].size()},
                    {"duplicate_examples", stats["duplicates"]},
                    {"kiosks_not_drained", exited_badly},
                    {"drain_after_outage_s", drained > outage_end ? (drained - outage_end) / 1000.0 : 0.0},
                    {"drain_after_last_session_s", drained > stored_done ? (drained - stored_done) / 1000.0 : 0.0},
                    {"sender_cpu_s_per_kiosk_mean", cpu_sum / kiosks},
                    {"sender_cpu_s_per_kiosk_max", cpu_max},
                    {"wall_s", wall_s},
                    {"engine_transactions", stats["transactions"]},
                    {"schema_invalid_bundles", stats["schema_invalid"]},
                    {"schema_errors", stats["schema_errors"]},
                    {"responses_checked", stats["responses_checked"]},  // against the Questionnaire they name
                    {"responses_unchecked", stats["responses_unchecked"]},
                    {"responses_refused", stats["responses_refused"]},
                    {"proxy", proxy.stats()}};
  std::puts(report.dump(2).c_str());
  const bool ok = report["lost"] == 0 && left == 0 && report["duplicates"] == 0 && exited_badly == 0 &&
                  report["schema_invalid_bundles"] == 0 && report["responses_unchecked"] == 0 &&
                  report["responses_refused"] == 0;
  return ok ? 0 : 1;
}
