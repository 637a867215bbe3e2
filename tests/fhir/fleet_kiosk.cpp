// One simulated kiosk of the fleet test and bench (tests/fhir/fleet.cpp starts
// many): the real SessionStore and SenderThread on its own data dir, as the
// kiosk runs them. It stores --count sessions (documents from --sessions, in
// turn) one every --interval-ms, waking the sender after each commit (which
// sends the Questionnaires of --scripts, as the kiosk does), then
// waits until the outbox is empty or --deadline-s passed, and prints JSON:
//   {"install_id", "stored", "left", "stored_done_ms" (epoch ms of the last
//    commit), "drained_at_ms" (epoch ms the queue was first seen empty after
//    it; 0: never), "sender_cpu_s", "process_cpu_s"}
#include <sys/resource.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "core/fhir/fhir_sender.h"
#include "core/log.h"
#include "core/session/session_json.h"
#include "core/storage/outbox.h"
#include "core/storage/session_store.h"
#include "script/questionnaire.h"
#include "script/session.h"

using namespace kiosk;
using namespace std::chrono;

namespace {
double process_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}
long long epoch_ms() { return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count(); }
}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path data_dir, config_file, sessions_file, scripts_dir;
  int count = 10, interval_ms = 100, deadline_s = 120;
  CLI::App cli{"fhir_fleet_kiosk: one simulated kiosk storing and sending sessions"};
  cli.add_option("--data-dir", data_dir)->required();
  cli.add_option("--config", config_file)->required();
  cli.add_option("--sessions", sessions_file)->required();
  cli.add_option("--scripts", scripts_dir, "The script folder whose Questionnaires go ahead of the responses");
  cli.add_option("--count", count);
  cli.add_option("--interval-ms", interval_ms);
  cli.add_option("--deadline-s", deadline_s);
  CLI11_PARSE(cli, argc, argv);

  log::init({data_dir / "logs", "info", false, "", "kiosk.log"});
  const auto config = load_config_file(config_file);
  std::ifstream in(sessions_file);
  const auto sessions = nlohmann::json::parse(in);
  auto db = storage::Database::open(data_dir / storage::kDatabaseFileName);
  storage::SessionStore store(db, config);
  storage::Outbox outbox(db);
  const auto deadline = steady_clock::now() + seconds(deadline_s);
  long long drained_at = 0, stored_done = 0;
  double sender_cpu = 0;
  {
    script::Catalogue catalogue({scripts_dir});
    if (!scripts_dir.empty()) catalogue.scan();
    fhir::SenderThread sender(data_dir / storage::kDatabaseFileName, config, data_dir,
                              script::questionnaires(catalogue, script::clinic_context(config)));
    for (int k = 0; k < count; ++k) {
      storage::SessionRecord r;
      r.ended_at = kiosk::WallClock::now();
      r.started_at = r.ended_at - minutes(5);
      r.session = session::session_from_json(sessions[static_cast<size_t>(k) % sessions.size()]);
      r.outcome = r.session.safety.allows_tests() ? storage::Outcome::completed : storage::Outcome::red_flag;
      store.commit(r);
      sender.wake();
      std::this_thread::sleep_for(milliseconds(interval_ms));
    }
    stored_done = epoch_ms();
    while (steady_clock::now() < deadline) {
      const auto s = outbox.summary();
      if (s.pending + s.parked == 0) {
        drained_at = epoch_ms();
        break;
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    sender_cpu = duration<double>(sender.cpu_time()).count();
  }
  const auto s = outbox.summary();
  std::puts(nlohmann::json{{"install_id", store.install_id()},
                           {"stored", count},
                           {"left", s.pending + s.parked},
                           {"stored_done_ms", stored_done},
                           {"drained_at_ms", drained_at},
                           {"sender_cpu_s", sender_cpu},
                           {"process_cpu_s", process_cpu_s()}}
                .dump()
                .c_str());
  return s.pending + s.parked == 0 ? 0 : 1;
}
