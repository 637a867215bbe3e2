#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include "../storage/session_fixture.h"
#include "core/storage/session_store.h"
#include "kiosk_plate_sim.h"
#include "plates/plugin_host.h"
#include "plates/sim_clock.h"
#include "script/catalogue.h"
#include "staff/staff_desk.h"
#include "staff/switched_off_tests.h"
#include "support/temp_dir.h"

using namespace kiosk;
using namespace std::chrono_literals;
using staff::Page;
using staff::StaffDesk;
using test::TempDir;

namespace {

const std::filesystem::path kScripts = std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts";

// A desk over the bundled scripts, a real database and (optionally) the simulated plate.
struct Desk {
  TempDir dir;
  Config config;
  std::vector<std::pair<std::string, std::string>> audited;  // (event, detail)
  StaffGate gate{hash_staff_pin("2468"), {5, 300s, 120s}, [this](std::string_view e, std::string_view d) {
                   audited.emplace_back(e, d);
                 }};
  script::Catalogue catalogue{{kScripts}};
  storage::Database db = storage::Database::open(dir / "kiosk.db");
  plates::PluginHost host;
  std::optional<plates::DeviceManager> devices;
  std::optional<StaffDesk> desk;

  explicit Desk(bool plate = false) {
    catalogue.scan();
    if (plate) {
      host.load_from({KIOSK_PLUGIN_DIR});
      devices.emplace(host);
      devices->rescan();
    }
    make();
  }
  void make() {
    desk.emplace(StaffDesk::Parts{
        gate,
        catalogue,
        config,
        devices ? &*devices : nullptr,
        nullptr,
        {},
        &db,
        dir.path(),
        dir / "kiosk.log",
        [this](storage::AuditKind, std::string_view e, const std::string& d) { audited.emplace_back(e, d); }});
  }
  int count(const std::string& event) const {
    return static_cast<int>(std::count_if(audited.begin(), audited.end(), [&](auto& a) { return a.first == event; }));
  }
  bool available(const std::string& id) const {
    for (const auto* e : catalogue.available())
      if (e->info->id == id) return true;
    return false;
  }
};

}  // namespace

TEST_CASE("staff: the PIN pad opens the clinician page only for the right PIN and locks after five wrong") {
  Desk d;
  const StaffDesk::Clock::time_point t0{};
  d.desk->open_pin_pad(t0);
  CHECK(d.desk->page() == Page::pin);
  d.desk->show(Page::technician);  // not before the PIN
  CHECK(d.desk->page() == Page::pin);
  for (int i = 0; i < 4; ++i) CHECK(d.desk->enter_pin("1111", t0) == StaffGate::Result::wrong);
  CHECK(d.desk->tries_left() == 1);
  CHECK(d.desk->enter_pin("1111", t0) == StaffGate::Result::locked);
  CHECK(d.desk->locked_for(t0 + 10s));
  CHECK(d.desk->enter_pin("2468", t0 + 10s) == StaffGate::Result::locked);  // even the right one
  CHECK(d.desk->page() == Page::pin);
  CHECK(d.desk->enter_pin("2468", t0 + 301s) == StaffGate::Result::opened);
  CHECK(d.desk->page() == Page::clinician);
  CHECK(d.count("staff_pin_wrong") == 4);
  CHECK(d.count("staff_locked") == 1);
  CHECK(d.count("staff_opened") == 1);
}

TEST_CASE("staff: an open staff session closes itself after two minutes without a touch") {
  Desk d;
  const StaffDesk::Clock::time_point t0{};
  d.desk->open_pin_pad(t0);
  REQUIRE(d.desk->enter_pin("2468", t0) == StaffGate::Result::opened);
  d.desk->touch(t0 + 100s);
  d.desk->tick(t0 + 200s);
  CHECK(d.desk->page() == Page::clinician);  // touched at 100 s
  d.desk->tick(t0 + 221s);
  CHECK(d.desk->page() == Page::closed);
  CHECK(d.desk->today().empty());  // the list left memory with it
}

TEST_CASE("staff: today's sessions come from the database and a kept handout is reprinted") {
  Desk d;
  storage::SessionStore store(d.db, d.config);
  const auto now = kiosk::WallClock::now();
  const auto with_pdf = store.commit(test::fixture_record(test::fixture_session("session_full.json"), now, 3000));
  const auto without = store.commit(test::fixture_record(test::fixture_session("session_red_flag.json"), now));
  store.commit(test::fixture_record(test::fixture_session("session_full.json"), now - 72h, 3000));  // not today
  REQUIRE(with_pdf);
  REQUIRE(without);
  d.desk->open_pin_pad({});
  REQUIRE(d.desk->enter_pin("2468", {}) == StaffGate::Result::opened);
  REQUIRE(d.desk->today().size() == 2);
  CHECK(d.desk->today()[0].has_handout != d.desk->today()[1].has_handout);

  CHECK_FALSE(d.desk->reprint(*without));
  CHECK(d.desk->problem().find("no handout") != std::string::npos);
  REQUIRE(d.desk->reprint(*with_pdf));
  // No printer configured: the job keeps the PDF in the handouts folder, byte for byte.
  for (int i = 0; i < 200 && !d.desk->print_progress()->finished(); ++i) std::this_thread::sleep_for(10ms);
  const auto st = *d.desk->print_progress();
  CHECK(st.state == handout::PrintState::done);
  REQUIRE_FALSE(st.saved_to.empty());
  CHECK(std::filesystem::file_size(st.saved_to) == 3000);
  d.desk->tick({});
  CHECK(d.count("staff_print") == 1);
  CHECK(d.count("staff_print_done") == 1);
}

TEST_CASE("staff: a switched-off test leaves the session and stays off after a restart") {
  Desk d;
  REQUIRE(d.available("heel_raise"));
  CHECK_FALSE(d.desk->switch_test("screening", true));  // the red flags always run
  CHECK(d.available("screening"));
  CHECK(d.desk->switch_test("heel_raise", true));
  CHECK_FALSE(d.available("heel_raise"));
  CHECK(staff::load_switched_off(d.dir / "switched-off-tests.txt") == std::set<std::string>{"heel_raise"});
  CHECK(d.count("test_switched_off") == 1);

  // A restart: a fresh catalogue, and the desk reads the file back.
  d.catalogue = script::Catalogue({kScripts});
  d.catalogue.scan();
  CHECK(d.available("heel_raise"));
  d.make();
  CHECK_FALSE(d.available("heel_raise"));
  d.desk->reload_scripts();  // a rescan keeps it off
  CHECK_FALSE(d.available("heel_raise"));
  CHECK(d.desk->switch_test("heel_raise", false));
  CHECK(d.available("heel_raise"));
  CHECK(staff::load_switched_off(d.dir / "switched-off-tests.txt").empty());
}

TEST_CASE("staff: the script list shows each script's errors") {
  Desk d;
  std::filesystem::create_directories(d.dir / "scripts");
  std::filesystem::copy(kScripts, d.dir / "scripts", std::filesystem::copy_options::recursive);
  std::ofstream(d.dir / "scripts/broken.lua") << "return { id = 'broken', \n";
  d.catalogue = script::Catalogue({d.dir / "scripts"});
  d.make();
  d.desk->reload_scripts();
  bool found = false;
  for (const auto& s : d.desk->scripts()) {
    if (s.file.find("broken.lua") == std::string::npos) {
      CHECK(s.problems.empty());
      continue;
    }
    found = true;
    REQUIRE_FALSE(s.problems.empty());
    CHECK(s.problems[0].find("broken.lua:") != std::string::npos);
  }
  CHECK(found);
  CHECK(d.count("scripts_reloaded") == 1);
}

TEST_CASE("staff: the live raw view streams the simulated plate's cells") {
  Desk d(true);
  const auto plates = d.desk->plates();
  REQUIRE(plates.size() == 1);
  CHECK(plates[0].present);
  const auto& sim = *d.devices->find(plates[0].id)->plugin;  // on its virtual clock: 20 ms of plate time a frame
  const auto* ext = static_cast<const kp_sim_v1*>(sim.plugin->get_extension(KP_EXT_SIM_V1));
  REQUIRE(ext);
  REQUIRE(ext->set_scenario((std::string("scenario=quiet_stance ") + plates::kSteppedClock).c_str()) == KP_OK);
  d.desk->watch(plates[0].id);
  REQUIRE(d.desk->watching());
  for (int i = 0; i < 10; ++i) {
    REQUIRE(plates::advance_sim(sim, 0.02) == KP_OK);
    d.desk->tick({});
  }
  const auto* w = d.desk->watching();
  CHECK(w->problem().empty());
  CHECK(w->rate_hz() == 100);        // the lowest rate the plate offers: one point a sample
  CHECK(w->history().size() == 20);  // 0.2 s of plate time
  CHECK(w->stats().received == 20);
  CHECK(w->latest()[0] > 10000);  // a person standing: ~175 N a cell at 0.01 N a count
  CHECK(w->stats().lost == 0);
  d.desk->watch({});
  CHECK_FALSE(d.desk->watching());
  d.desk->watch("sim:no-such-plate");
  REQUIRE(d.desk->watching());
  CHECK_FALSE(d.desk->watching()->problem().empty());
}

TEST_CASE("staff: the log tail gives the last lines of a long log") {
  TempDir dir;
  {
    std::ofstream log(dir / "kiosk.log");
    for (int i = 0; i < 20000; ++i) log << "line " << i << " of the kiosk's log, padded to be long enough\n";
  }
  const auto tail = staff::tail_lines(dir / "kiosk.log", 3);
  REQUIRE(tail.size() == 3);
  CHECK(tail[0].rfind("line 19997 ", 0) == 0);
  CHECK(tail[2].rfind("line 19999 ", 0) == 0);
  CHECK(staff::tail_lines(dir / "missing.log", 3).empty());
}

TEST_CASE("staff: a visit code's history gives one series per measure, oldest visit first, only that code's") {
  Desk d;
  storage::SessionStore store(d.db, d.config);
  const auto now = WallClock::now();
  auto commit = [&](const std::string& answers, const std::string& code, std::chrono::hours ago) {
    auto record = test::fixture_record(test::fixture_session(answers), now - ago);
    record.visit_code = code;
    REQUIRE(store.commit(record));
  };
  commit("followup_first_visit.json", "4711", std::chrono::hours(24 * 14));
  commit("session_full.json", "4711", std::chrono::hours(2));
  commit("session_full.json", "5822", std::chrono::hours(1));  // another patient

  CHECK_FALSE(d.desk->show_visit_history("4711"));  // not before the PIN
  d.desk->open_pin_pad({});
  REQUIRE(d.desk->enter_pin("2468", {}) == StaffGate::Result::opened);
  CHECK_FALSE(d.desk->show_visit_history("ab"));
  CHECK_FALSE(d.desk->problem().empty());
  REQUIRE(d.desk->show_visit_history("4711"));
  CHECK(d.desk->history_code() == "4711");
  const auto& h = d.desk->history();
  REQUIRE(h.size() == 3);
  CHECK(h[0].test == "knee_to_wall");
  CHECK(h[0].unit == "cm");
  REQUIRE(h[0].points.size() == 2);  // 5822's visit is not among them
  CHECK(h[0].points[0].left == 6);
  CHECK(h[0].points[0].right == 10.5);
  CHECK(h[0].points[1].left == 8.5);
  CHECK(h[0].points[0].date < h[0].points[1].date);
  CHECK(h[2].points[0].left == 25);
  CHECK(d.count("visit_history_viewed") == 1);
  REQUIRE(d.desk->show_visit_history("9999"));  // unknown: an empty history
  CHECK(d.desk->history().empty());
  d.desk->close();
  CHECK(d.desk->history_code().empty());  // forgotten with the staff session
}
