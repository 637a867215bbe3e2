// The real kiosk driven by injected input under SDL's offscreen driver
// (`kiosk --drive`, kiosk/ui/input_driver.h): every button is pressed where
// the screen drew it, the model is checked after each step by the drive
// file's `expect` lines, and afterwards the records and audit log the kiosk
// wrote to its real SQLite file are read back with kioskctl. One PNG per
// `shot` line lands in the build's Testing/journey-drive folder.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/process.h"
#include "ui_sizes.h"

using kiosk::test::program;
using kiosk::test::run;
using nlohmann::json;

namespace {

struct Kiosk {
  std::filesystem::path dir;

  // `plate`: the simulated plate's plugin folder is loaded; `extra`: more config lines;
  explicit Kiosk(const std::string& name, bool plate = false, const std::string& extra = {})
      : dir(std::filesystem::path(KIOSK_BIN_DIR) / "../Testing/journey-drive" / name) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream config(dir / "kiosk.toml");
    config << extra << "\n[paths]\nplugin_dirs = [\"" << (plate ? KIOSK_PLUGIN_DIR : "/nonexistent") << "\"]\n";
  }

  // The bundled scripts in a folder of this kiosk's own, screening.lua replaced by
  // `screening`; the config's [paths] (its last table) is pointed at them.
  std::filesystem::path scripts_with_screening(const std::string& screening) const {
    const auto scripts = dir / "scripts";
    std::filesystem::copy(std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts", scripts,
                          std::filesystem::copy_options::recursive);
    std::ofstream(scripts / "screening.lua") << screening;
    std::ofstream(dir / "kiosk.toml", std::ios::app) << "script_dirs = [\"" << scripts.string() << "\"]\n";
    return scripts;
  }

  // The text of the one handout PDF the kiosk kept (no printer: saved in the data folder).
  std::string sheet_text() const {
    std::vector<std::filesystem::path> pdfs;
    for (const auto& e : std::filesystem::directory_iterator(dir / "data/handouts"))
      if (e.path().extension() == ".pdf") pdfs.push_back(e.path());
    REQUIRE(pdfs.size() == 1);
    const auto r = run("pdftotext -layout '" + pdfs[0].string() + "' -");
    std::string out;
    for (char c : r.out) out += (c == '\n' || c == ' ') ? ' ' : c;
    out.erase(std::unique(out.begin(), out.end(), [](char a, char b) { return a == ' ' && b == ' '; }), out.end());
    return out;
  }

  kiosk::test::ProcessResult drive(const std::string& file, const std::string& size = "1280x800") const {
    return run(program("kiosk") + " --config " + (dir / "kiosk.toml").string() + " --data-dir " +
                   (dir / "data").string() + " --windowed " + size + " --drive " + KIOSK_SOURCE_DIR +
                   "/tests/fixtures/drives/" + file + " --shots " + (dir / "shots").string(),
               kiosk::test::kOffscreenKioskEnv);
  }

  json ctl(const std::string& args) const {
    const auto r = run(program("kioskctl") + " --config " + (dir / "kiosk.toml").string() + " --data-dir " +
                       (dir / "data").string() + " " + args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
  }

  bool shot(const std::string& name) const {
    return std::filesystem::file_size(dir / "shots" / (name + ".png")) > 1000;
  }
};

int count_events(const json& audit, const std::string& event) {
  int n = 0;
  for (const auto& e : audit)
    if (e.value("event", "") == event) ++n;
  return n;
}

// "[staff]\npin_hash = ..." for PIN 2468, from the real `kioskctl staff set-pin`.
std::string staff_pin_config() {
  const auto r = run("echo 2468 | " + program("kioskctl") + " staff set-pin");
  REQUIRE(r.exit_code == 0);
  return "[staff]\n" + r.out;
}

}  // namespace

namespace {
// The whole session by touch without a plate, in `lang`, at every size. Every frame of
// the walk is also checked for labels wider than their buttons and touch targets
// under 15 mm on the size's assumed screen (ui/input_driver.h).
void drive_whole_session(const std::string& lang) {
  const std::string size = GENERATE(from_range(kiosk::test::ui_sizes()));
  Kiosk kiosk("happy-" + size + "-" + lang);
  const auto r = kiosk.drive(lang == "en" ? "happy_path.drive" : "happy_path_es.drive", size);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const auto* name : {"attract", "welcome", "screening", "results", "finished"}) CHECK(kiosk.shot(name));
  const auto records = kiosk.ctl("records list");
  REQUIRE(records.size() == 1);
  CHECK(records[0]["outcome"] == "completed");
  CHECK(records[0]["language"] == lang);
  CHECK(records[0]["measures"].get<int>() >= 6);  // both sides of three tests, typed on the number pad
  CHECK(records[0]["handout"] == true);
}
}  // namespace

TEST_CASE("journey: ui drive by touch through the whole session without a plate", "[ui][journey]") {
  drive_whole_session("en");
}

TEST_CASE("journey: ui drive by touch through the whole session in Spanish, 800x480 included", "[ui][journey]") {
  drive_whole_session("es");
}

TEST_CASE("journey: ui drive on the simulated plate shows the live capture", "[ui][journey]") {
  Kiosk kiosk("plate", true);
  // Patients only get a calibrated plate: the technician's way first (the sim plays the technician).
  const auto cal = kiosk::test::calibrate_sim(kiosk.dir / "kiosk.toml", kiosk.dir / "data");
  INFO(cal.out << cal.err);
  REQUIRE(cal.exit_code == 0);
  const auto r = kiosk.drive("plate_path.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(kiosk.shot("live"));
  const auto records = kiosk.ctl("records list");
  REQUIRE(records.size() == 1);
  CHECK(records[0]["outcome"] == "completed");
}

namespace {
// The live views on the simulated plate in `lang`, at every size; the drive ends at the first heel-raise capture's end.
void drive_live_views(const std::string& lang) {
  const std::string size = GENERATE(from_range(kiosk::test::ui_sizes()));
  Kiosk kiosk("live-" + size + "-" + lang, true);
  const auto cal = kiosk::test::calibrate_sim(kiosk.dir / "kiosk.toml", kiosk.dir / "data");
  INFO(cal.out << cal.err);
  REQUIRE(cal.exit_code == 0);
  // Every frame of it is checked for clipped labels and small touch targets, the live views' included.
  const auto r = kiosk.drive("live_views_" + lang + ".drive", size);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const auto* name : {"heel_light", "balance_ring", "balance_touchdown", "heel_raise_count", "heel_raise_end"})
    CHECK(kiosk.shot(name));
}
}  // namespace

TEST_CASE("journey: ui drive of the live views on the simulated plate", "[ui][journey][live]") {
  drive_live_views("en");
}

TEST_CASE("journey: ui drive of the live views on the simulated plate in Spanish", "[ui][journey][live]") {
  drive_live_views("es");
}

TEST_CASE("journey: ui drive with a red flag stores no exercises", "[ui][journey]") {
  Kiosk kiosk("red-flag");
  const auto r = kiosk.drive("red_flag.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto records = kiosk.ctl("records list");
  REQUIRE(records.size() == 1);
  CHECK(records[0]["outcome"] == "red_flag");
  CHECK(records[0]["language"] == "es");
  CHECK(records[0]["measures"] == 0);
}

// The visit code is the only identity a session can hold: typed only where the clinic sends it on.
std::string visit_code_config() {
  return "[fhir]\nvisit_code_as = \"encounter\"\nvisit_code_system = \"https://clinic.example/visit\"\n";
}

TEST_CASE("journey: ui drive offers the visit code only when the clinic turned it on", "[ui][journey]") {
  for (const auto& size : kiosk::test::ui_sizes()) {  // the short screen would put both buttons on one row
    INFO(size);
    Kiosk off("welcome-no-code-" + size);
    const auto r = off.drive("welcome_no_code.drive", size);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    Kiosk on("welcome-code-" + size, false, visit_code_config());
    const auto shown = on.drive("welcome_code.drive", size);
    INFO(shown.err);
    CHECK(shown.exit_code == 0);
    CHECK(on.shot("welcome"));
    CHECK(on.shot("code_pad"));
  }
  // And the same drive without the switch fails where the code button should be.
  Kiosk off("welcome-code-refused");
  const auto r = off.drive("welcome_code.drive");
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("code"));
}

TEST_CASE("journey: ui drive left alone is wiped after the idle timeout", "[ui][journey]") {
  Kiosk kiosk("idle", false, "[kiosk]\nidle_timeout_s = 15\nstill_there_s = 5\n" + visit_code_config());
  const auto r = kiosk.drive("idle_wipe.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(kiosk.shot("still_there"));
  const auto records = kiosk.ctl("records list");
  REQUIRE(records.size() == 1);
  CHECK(records[0]["outcome"] == "timed_out");
  CHECK(records[0]["visit_code"] == "4711");  // kept as configured, but gone from the screen:
  std::ifstream log(kiosk.dir / "data/logs/kiosk.log");
  const std::string text{std::istreambuf_iterator<char>(log), {}};
  CHECK(text.find("session ended: timed_out") != std::string::npos);
}

// A follow-up: the first visit with code 4711 stored (as `kioskctl session run --store` stores it), then
// the patient types 4711 and each result says what changed since then; another code sees no history.
void drive_follow_up(const std::string& lang, const std::string& size) {
  Kiosk kiosk("followup-" + lang + "-" + size, false, visit_code_config());
  kiosk.ctl("session run --answers " + std::string(KIOSK_SOURCE_DIR) +
            "/tests/fixtures/answers/followup_first_visit.json --store --visit-code 4711");
  const auto r = kiosk.drive(lang == "en" ? "followup.drive" : "followup_es.drive", size);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(kiosk.shot("results_since"));
  const auto records = kiosk.ctl("records list");
  REQUIRE(records.size() == 2);
  CHECK(records[1]["visit_code"] == "4711");
  // The handout says the same on paper.
  CHECK_THAT(kiosk.sheet_text(),
             Catch::Contains(lang == "en" ? "Since last time" : "Desde la última vez") &&
                 Catch::Contains(lang == "en" ? "left 6 to 8.5 cm, better" : "izquierda de 6 a 8.5 cm, mejor"));
}

TEST_CASE("journey: ui drive of a follow-up visit shows what changed since last time", "[ui][journey]") {
  const std::string size = GENERATE(from_range(kiosk::test::ui_sizes()));
  drive_follow_up("en", size);
}

TEST_CASE("journey: ui drive of a follow-up visit in Spanish", "[ui][journey]") { drive_follow_up("es", "800x480"); }

TEST_CASE("journey: ui drive - another code, or no code, sees no history", "[ui][journey]") {
  Kiosk kiosk("followup-other", false, visit_code_config());
  kiosk.ctl("session run --answers " + std::string(KIOSK_SOURCE_DIR) +
            "/tests/fixtures/answers/followup_first_visit.json --store --visit-code 4711");
  const auto r = kiosk.drive("followup_other_code.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(kiosk.ctl("records list").size() == 3);
}

TEST_CASE("ui: staff drive shows a visit code's per-visit charts", "[ui][staff]") {
  Kiosk kiosk("staff-history", false, staff_pin_config() + visit_code_config());
  const std::string answers = std::string(KIOSK_SOURCE_DIR) + "/tests/fixtures/answers/";
  kiosk.ctl("session run --answers " + answers + "followup_first_visit.json --store --visit-code 4711");
  kiosk.ctl("session run --answers " + answers + "session_full.json --store --visit-code 5822");
  kiosk.ctl("session run --answers " + answers + "session_full.json --store --visit-code 4711");
  const auto r = kiosk.drive("staff_history.drive", "1080x1920");  // the tall screen: the section in view unscrolled
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(kiosk.shot("history"));
  const auto audit = kiosk.ctl("audit list");
  CHECK(count_events(audit, "visit_history_viewed") == 1);
}

TEST_CASE("ui: staff drive locks the PIN pad after five wrong PINs and audits each", "[ui][staff]") {
  Kiosk kiosk("staff-lockout", false, staff_pin_config());
  const auto r = kiosk.drive("staff_lockout.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(kiosk.shot("locked"));
  const auto audit = kiosk.ctl("audit list");
  CHECK(count_events(audit, "staff_pin_wrong") == 4);
  CHECK(count_events(audit, "staff_locked") == 1);
  CHECK(count_events(audit, "staff_opened") == 0);
}

TEST_CASE("ui: staff pages have finger-sized buttons and labels that fit at every screen size", "[ui][staff]") {
  for (const auto& size : kiosk::test::ui_sizes()) {
    INFO(size);
    Kiosk kiosk("staff-sizes-" + size, true, staff_pin_config());
    kiosk.ctl("session run --answers " + std::string(KIOSK_SOURCE_DIR) +
              "/tests/fixtures/answers/session_full.json --store");
    const auto r = kiosk.drive("staff_sizes.drive", size);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(kiosk.shot("technician"));
  }
}

TEST_CASE("ui: staff drive lists today's session reprints it and switches a test off", "[ui][staff]") {
  Kiosk kiosk("staff-pages", false, staff_pin_config());
  auto r = kiosk.drive("happy_path.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  r = kiosk.drive("staff_pages.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const auto* name : {"pin", "clinician", "technician"}) CHECK(kiosk.shot(name));
  const auto audit = kiosk.ctl("audit list");
  CHECK(count_events(audit, "staff_opened") == 1);
  CHECK(count_events(audit, "test_switched_off") == 1);
  CHECK(count_events(audit, "staff_print") == 2);  // the reprint and the printer test page
  std::ifstream switched(kiosk.dir / "data/switched-off-tests.txt");
  const std::string text{std::istreambuf_iterator<char>(switched), {}};
  CHECK(text.find("heel_raise") != std::string::npos);
  const auto records = kiosk.ctl("records list");
  REQUIRE(records.size() == 2);
  for (const auto& f : records[1]["findings"]) CHECK(f.get<std::string>().find("calf") == std::string::npos);
  CHECK(records[0]["findings"].dump().find("calf") != std::string::npos);
}

// ---- patient safety (issue 13): each path through the real kiosk ----

TEST_CASE("ui: safety - a broken screening script at start shows no start button and starts no session",
          "[ui][safety]") {
  const std::string size = GENERATE(from_range(kiosk::test::ui_sizes()));
  const std::string lang = GENERATE(std::string("en"), std::string("es"));
  Kiosk kiosk("blocked-" + size + "-" + lang, false, "[kiosk]\nlanguage = \"" + lang + "\"\n");
  kiosk.scripts_with_screening("return {");  // does not check
  const auto r = kiosk.drive("blocked.drive", size);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(kiosk.shot("blocked"));
  CHECK(kiosk.ctl("records list").empty());
}

TEST_CASE("ui: safety - a screening script that fails while it runs gives no test screen and no exercise sheet",
          "[ui][safety]") {
  const std::string size = GENERATE(from_range(kiosk::test::ui_sizes()));
  const std::string lang = GENERATE(std::string("en"), std::string("es"));
  Kiosk kiosk("unscreened-" + size + "-" + lang);
  kiosk.scripts_with_screening(
      "return { api = 1, id = 'screening', version = '9', kind = 'screening', title = { en = 'S' },\n"
      "  run = function(t) error('broken on purpose') end }\n");
  const auto r = kiosk.drive(lang == "en" ? "unscreened.drive" : "unscreened_es.drive", size);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(kiosk.shot("unscreened"));
  const auto records = kiosk.ctl("records list");
  REQUIRE(records.size() == 1);
  CHECK(records[0]["outcome"] == "unscreened");
  CHECK(records[0]["measures"] == 0);
  const auto sheet = kiosk.sheet_text();
  CHECK_THAT(sheet, Catch::Contains(lang == "en" ? "Please speak to the clinic team" : "equipo"));
  CHECK_THAT(sheet, !Catch::Contains(lang == "en" ? "Your exercises" : "Tus ejercicios"));
  std::ifstream log(kiosk.dir / "data/logs/kiosk.log");
  const std::string text{std::istreambuf_iterator<char>(log), {}};
  CHECK_THAT(text, Catch::Contains("broken on purpose"));  // staff see the detail
}

TEST_CASE("ui: safety - no Back on the refer screen, a staff override is audited and the patient goes on",
          "[ui][safety]") {
  Kiosk kiosk("refer-override", false, staff_pin_config());
  const auto r = kiosk.drive("refer_sticks.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const auto* name : {"refer", "override"}) CHECK(kiosk.shot(name));
  const auto audit = kiosk.ctl("audit list");
  CHECK(count_events(audit, "red_flag_overridden") == 1);
  const auto records = kiosk.ctl("records list");
  REQUIRE(records.size() == 1);
  CHECK(records[0]["outcome"] == "completed");
}

TEST_CASE("ui: safety - staff who keep the stop leave the patient with no tests", "[ui][safety]") {
  Kiosk kiosk("refer-kept", false, staff_pin_config());
  const auto r = kiosk.drive("refer_kept.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto records = kiosk.ctl("records list");
  REQUIRE(records.size() == 1);
  CHECK(records[0]["outcome"] == "red_flag");
  CHECK(records[0]["measures"] == 0);
  CHECK(count_events(kiosk.ctl("audit list"), "red_flag_overridden") == 0);
}

TEST_CASE("ui: safety - a one-leg-unsafe patient's printed sheet has no one-leg, step or running work",
          "[ui][safety]") {
  Kiosk kiosk("one-leg-unsafe");
  const auto r = kiosk.drive("one_leg_unsafe.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto sheet = kiosk.sheet_text();
  INFO(sheet);
  CHECK_THAT(sheet, Catch::Contains("Heel raises holding a wall"));
  CHECK_THAT(sheet, Catch::Contains("talk to a member of our team before you"));
  for (const auto* banned : {"on a step", "one leg:", "Balance on one leg", "run about half", "Slow heel drops",
                             "Do it on one leg", "Use one leg"})
    CHECK_THAT(sheet, !Catch::Contains(banned));
}

TEST_CASE("ui: safety - a pain stop is kept as its own finding", "[ui][safety]") {
  Kiosk kiosk("pain-stop");
  const auto r = kiosk.drive("pain_stop.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto records = kiosk.ctl("records list");
  REQUIRE(records.size() == 1);
  CHECK(records[0]["findings"].dump().find("calf_pain_stop") != std::string::npos);
  CHECK_THAT(kiosk.sheet_text(), Catch::Contains("Pain stopped your heel raises today"));
}

TEST_CASE("ui: safety - under 18 is sent to the team before any test", "[ui][safety]") {
  Kiosk kiosk("under-18");
  const auto r = kiosk.drive("under_18.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto records = kiosk.ctl("records list");
  REQUIRE(records.size() == 1);
  CHECK(records[0]["outcome"] == "red_flag");
  CHECK(records[0]["measures"] == 0);
}

// ---- the patient's aids (issue 18): large text, high contrast ----

TEST_CASE("ui: aids - large text is kept through the session and forgotten with the patient", "[ui][journey]") {
  const std::string size = GENERATE(from_range(kiosk::test::ui_sizes()));  // in Spanish
  Kiosk kiosk("large-text-" + size);
  const auto r = kiosk.drive("large_text.drive", size);  // every frame: labels fit, targets >= 15 mm
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const auto* name : {"welcome_large", "screening_large", "results_large"}) CHECK(kiosk.shot(name));
}

// English on the 7" panel, where large text grows from the 24 px floor and pages scroll (the drive
// above walks it in Spanish at every size); Spanish on the 10" panel.
TEST_CASE("ui: aids - high contrast with large text walks the session in both languages", "[ui][journey]") {
  const std::string lang = GENERATE(std::string("en"), std::string("es"));
  const std::string size = lang == "en" ? "800x480" : "1280x800";
  Kiosk kiosk("high-contrast-" + lang, false, "[kiosk]\nhigh_contrast = true\n");
  const auto r = kiosk.drive("access_" + lang + ".drive", size);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const auto* name : {"welcome", "welcome-large-text", "results-large-text"}) CHECK(kiosk.shot(name));
  CHECK(kiosk.ctl("records list").size() == 1);
}
