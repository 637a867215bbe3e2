// The patient journey driven headless, as the screens drive it, over the
// bundled scripts: happy path without a plate and with the simulated plate,
// red flag, Back, idle timeout, Cancel. Each asserts the model's state.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <functional>
#include <thread>

#include "core/paths.h"
#include "core/session/session_json.h"
#include "core/storage/session_store.h"
#include "handout/assets.h"
#include "handout/chart_rows.h"
#include "handout/handout_service.h"
#include "journey/autopilot.h"
#include "journey/journey.h"
#include "kiosk_plate_sim.h"
#include "sim_plate.h"
#include "support/calibrated_sim.h"
#include "support/temp_dir.h"

using namespace kiosk;
using journey::Journey;
using journey::Stage;
using kiosk::Paths;
using Clock = Journey::Clock;
using namespace std::chrono_literals;
using test::SimPlate;

namespace {

nlohmann::json fixture(const std::string& name) {
  std::ifstream in(std::string(KIOSK_SOURCE_DIR) + "/tests/fixtures/answers/" + name);
  return nlohmann::json::parse(in);
}

struct Patient {
  script::Catalogue catalogue{{std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts"}};
  journey::NoPlates no_plates;
  Clock::time_point now = Clock::now();
  std::vector<std::pair<kiosk::session::Session, std::string>> ended;  // sessions handed to storage
  std::vector<std::optional<handout::HandoutRecord>> handouts;         // and their handouts
  std::unique_ptr<Journey> j;
  std::function<void(double)> play_plate;  // plays plate time (the sim's virtual clock), s

  // On the simulated plate: 125 ms of plate time for every 5 ms of the journey's clock.
  explicit Patient(SimPlate& sim) : Patient(&sim.plates) {
    play_plate = [&sim](double s) { sim.play(s); };
  }
  explicit Patient(journey::PlateAccess* plates = nullptr, bool visit_codes = true) {
    catalogue.scan();
    journey::JourneySettings settings;
    settings.visit_codes = visit_codes;  // this clinic sends visit codes on
    j = std::make_unique<Journey>(catalogue, plates ? *plates : no_plates, settings);
    j->on_session_end([this](const journey::EndedSession& e) {
      ended.emplace_back(e.session, e.how);
      handouts.push_back(e.handout);
    });
  }
  void tap() { j->touch(now); }
  void walk_up(const std::string& lang = "en") {
    tap();
    j->start();
    tap();
    j->choose_language(lang);
    tap();
    REQUIRE_FALSE(j->accept_welcome("A-17"));
  }
  std::string key() const { return j->script_info()->id + "." + j->step()->id; }
  // Answers every step from `answers` (session-file keys) until the scripts are done.
  void answer_all(const nlohmann::json& answers) {
    journey::Autopilot pilot(script::AnswerBook::from_json(answers));
    for (int guard = 0; guard < 300 && j->stage() == Stage::step; ++guard) {
      tap();
      if (j->step()->kind == script::StepKind::capture) {
        capture();
      } else {
        INFO(key());
        REQUIRE(pilot.act(*j));
      }
    }
  }
  void capture() {
    j->start_capture();
    now += 3100ms;  // the 3-2-1
    // Until the capture answered: the next step is no longer a capture in progress.
    for (int i = 0; i < 1000 && j->stage() == Stage::step && j->step()->kind == script::StepKind::capture &&
                    j->capture_phase() != journey::CapturePhase::ready;
         ++i) {
      j->tick(now);
      if (j->live() && j->step()->detector == "heel_contact" && j->live()->elapsed_s() > 3) j->finish_capture();
      REQUIRE(play_plate);
      play_plate(0.125);
      now += 5ms;
    }
  }
  const kiosk::session::ScriptPart* test(const std::string& id) const {
    for (const auto& t : j->session()->tests)
      if (t.test == id) return &t;
    return nullptr;
  }
};

double measure(const kiosk::session::ScriptPart& test, const std::string& id, const std::string& side) {
  for (const auto& m : test.measures)
    if (m.id == id && m.side == side) return m.value;
  FAIL("no measure " << id << " " << side);
  return 0;
}

}  // namespace

TEST_CASE("journey: the whole path without a plate ends on the results and then forgets the patient", "[journey]") {
  Patient p;
  CHECK(p.j->stage() == Stage::attract);
  p.walk_up("es");
  CHECK(p.j->lang() == "es");
  REQUIRE(p.j->stage() == Stage::step);
  CHECK(p.j->script_info()->id == "screening");
  p.answer_all(fixture("session_full.json"));
  REQUIRE(p.j->stage() == Stage::results);
  CHECK(p.j->session()->tests.size() == 3);
  CHECK(p.j->session()->visit_code == "A-17");
  CHECK(measure(*p.test("knee_to_wall"), "distance_cm", "left") == 8.5);  // best of the tries
  for (const auto& t : p.j->session()->tests) CHECK_FALSE(t.plate);       // typed in: no plate to name
  CHECK(measure(*p.test("single_leg_balance"), "stance_s", "left") == 38.2);
  CHECK(measure(*p.test("heel_raise"), "reps", "right") == 24);
  CHECK(p.ended.empty());

  p.tap();
  p.j->next();
  CHECK(p.j->stage() == Stage::finished);
  p.tap();
  p.j->next();
  CHECK(p.j->stage() == Stage::attract);
  REQUIRE(p.ended.size() == 1);
  CHECK(p.ended[0].second == "finished");
  CHECK(p.ended[0].first.tests.size() == 3);
  CHECK(p.ended[0].first.lang == "es");
  // Nothing of this patient is left for the next one.
  CHECK_FALSE(p.j->session());
  CHECK(p.j->visit_code().empty());
  CHECK(p.j->lang() == "en");
}

TEST_CASE("journey: a red flag stops the tests and asks the person to speak to the team", "[journey]") {
  Patient p;
  p.walk_up();
  p.answer_all(fixture("session_red_flag.json"));
  REQUIRE(p.j->stage() == Stage::speak_to_team);
  CHECK_FALSE(p.j->session()->safety.allows_tests());
  CHECK(p.j->session()->tests.empty());
  CHECK(p.j->session()->safety.state() == kiosk::safety::SafetyState::red_flag);
  CHECK(p.j->session()->safety.flags().at(0).raised_by == "screening.night_pain");
  p.tap();
  p.j->next();
  CHECK(p.j->stage() == Stage::attract);
  REQUIRE(p.ended.size() == 1);
  CHECK(p.ended[0].first.findings.at(0) == "red_flag");
  CHECK(storage::outcome_of(p.ended[0].first, p.ended[0].second) == storage::Outcome::red_flag);
}

TEST_CASE("journey: Back returns to the previous question and the new answer counts", "[journey]") {
  Patient p;
  p.walk_up();
  p.tap();
  p.j->next();  // screening's introduction
  REQUIRE(p.key() == "screening.numbness");
  p.tap();
  REQUIRE_FALSE(p.j->answer("no"));
  REQUIRE(p.key() == "screening.night_pain");
  p.tap();
  p.j->back();
  REQUIRE(p.key() == "screening.numbness");
  p.tap();
  REQUIRE_FALSE(p.j->answer("no"));
  REQUIRE(p.key() == "screening.night_pain");
  // Back before the first answer goes to the welcome screen.
  for (int i = 0; i < 10 && p.j->stage() == Stage::step; ++i) p.j->back();
  CHECK(p.j->stage() == Stage::welcome);
  p.j->back();
  CHECK(p.j->stage() == Stage::language);
}

TEST_CASE("journey: an answer out of range is refused with the ask id and nothing moves", "[journey]") {
  Patient p;
  p.walk_up();
  auto answers = fixture("session_full.json");
  for (int i = 0; i < 20 && p.key() != "screening.pain_now"; ++i) {
    if (script::is_question(p.j->step()->kind))
      REQUIRE_FALSE(p.j->answer(*session::answer_from_json(answers[p.key()])));
    else
      p.j->next();
  }
  REQUIRE(p.key() == "screening.pain_now");
  const auto problem = p.j->answer(11.0);
  REQUIRE(problem);
  CHECK_THAT(*problem, Catch::Contains("pain_now"));
  CHECK(p.key() == "screening.pain_now");
}

TEST_CASE("journey: idle asks if anyone is there and then wipes the session", "[journey]") {
  Patient p;
  p.walk_up();
  p.tap();
  p.j->next();
  p.now += 89s;
  p.j->tick(p.now);
  CHECK_FALSE(p.j->asking_still_there());
  p.now += 2s;
  p.j->tick(p.now);
  CHECK(p.j->asking_still_there());
  CHECK(p.j->still_there_left_s() == Approx(14).margin(0.01));
  p.tap();  // "I'm still here"
  CHECK_FALSE(p.j->asking_still_there());
  CHECK(p.j->stage() == Stage::step);

  p.now += 106s;
  p.j->tick(p.now);
  CHECK(p.j->stage() == Stage::attract);
  CHECK_FALSE(p.j->session());
  REQUIRE(p.ended.size() == 1);
  CHECK(p.ended[0].second == "timed_out");
}

TEST_CASE("journey: Cancel asks first and then forgets everything", "[journey]") {
  Patient p;
  p.walk_up();
  p.tap();
  p.j->cancel();
  CHECK(p.j->confirming_cancel());
  p.j->confirm_cancel(false);
  CHECK(p.j->stage() == Stage::step);
  p.j->cancel();
  p.j->confirm_cancel(true);
  CHECK(p.j->stage() == Stage::attract);
  REQUIRE(p.ended.size() == 1);
  CHECK(p.ended[0].second == "cancelled");
}

TEST_CASE("journey: with the simulated plate the tests measure themselves", "[journey][plate]") {
  SimPlate sim;
  const auto calibration =
      test::calibrate_sim(sim.devices, sim.db);  // a plate is only offered to patients once calibrated
  REQUIRE(sim.plates.available());
  Patient p(sim);
  p.walk_up();
  // Only what the plate cannot measure is answered: the knee-to-wall distances.
  auto answers = fixture("session_full.json");
  for (const auto* k : {"single_leg_balance.left.seconds", "single_leg_balance.right.seconds", "heel_raise.left.reps",
                        "heel_raise.right.reps"})
    answers.erase(k);
  p.answer_all(answers);
  REQUIRE(p.j->stage() == Stage::results);
  const auto* balance = p.test("single_leg_balance");
  REQUIRE(balance);
  CHECK(measure(*balance, "stance_s", "left") == Approx(21.5).margin(0.1));  // the actor's touch-down
  CHECK(measure(*balance, "path_mm", "right") > 0);
  const auto* raises = p.test("heel_raise");
  REQUIRE(raises);
  CHECK(measure(*raises, "reps", "left") == 22);
  CHECK(measure(*raises, "reps", "right") == 22);

  // Each part the plate measured names the plate, as its plugin describes it, and the calibration in force.
  const auto* plate = sim.devices.first_present();
  REQUIRE(plate);
  for (const auto* part : {balance, raises}) {
    INFO(part->test);
    REQUIRE(part->plate);
    CHECK(part->plate->device_id == "sim:SIM-0001");
    CHECK(part->plate->plugin == "sim");
    CHECK(part->plate->serial == std::string(plate->info.serial));
    CHECK(part->plate->model == std::string(plate->info.model));
    CHECK(part->plate->firmware == std::string(plate->info.firmware));
    CHECK_FALSE(part->plate->firmware.empty());
    CHECK(part->plate->calibration_state == "calibrated");
    CHECK(part->plate->calibration_id == calibration.id);
    CHECK(part->plate->calibrated_at == calibration.created_at);
  }
  CHECK_FALSE(p.j->session()->screening->plate);  // questions only
  CHECK_FALSE(p.j->session()->profile->plate);
}

TEST_CASE("journey: calib - with an expired calibration the plate is not offered and the manual tests run",
          "[journey][plate]") {
  SimPlate sim;  // calibration.expiry_days = 180, the default
  auto& plates = sim.plates;
  CHECK_FALSE(plates.available());  // never calibrated
  REQUIRE(plates.problems().size() == 1);
  CHECK(plates.problems()[0] == "sim:SIM-0001: no calibration on record");

  test::calibrate_sim(sim.devices, sim.db, std::chrono::hours(24 * 181));  // accepted and passed, 181 days ago
  sim.calibrations.refresh();
  CHECK_FALSE(plates.available());
  REQUIRE(plates.problems().size() == 1);
  CHECK_THAT(plates.problems()[0], Catch::Contains("expired on"));
  const auto statuses = sim.calibrations.statuses(sim.devices);
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].status.state == calibration::PlateState::expired);

  // The whole journey runs the manual versions: every answer comes from the person, no plate measures.
  Patient p(&plates);
  p.walk_up();
  p.answer_all(fixture("session_full.json"));
  REQUIRE(p.j->stage() == Stage::results);
  const auto* balance = p.test("single_leg_balance");
  REQUIRE(balance);
  double best = 0;  // the person's own best try, not a plate's
  const auto answers = fixture("session_full.json");
  for (const auto& t : answers["single_leg_balance.left.seconds"]) best = std::max(best, t.get<double>());
  CHECK(measure(*balance, "stance_s", "left") == best);
  for (const auto& m : balance->measures) CHECK(m.id != "path_mm");
}

TEST_CASE("journey: the exercise sheet is made at the end and its progress shown in the patient's words",
          "[journey][handout]") {
  const std::filesystem::path source = KIOSK_SOURCE_DIR;
  Paths paths;
  paths.assets_dir = source / "assets";
  paths.script_dirs = {source / "scripts"};
  const auto assets = handout::HandoutAssets::load(paths);
  const auto data = std::filesystem::temp_directory_path() / ("journey-handout-" + std::to_string(::getpid()));
  std::filesystem::remove_all(data);
  // No printer configured: demo mode keeps the PDF in the data dir.
  handout::HandoutService service(assets, {}, "", data / "spool", data / "handouts");
  Patient p;
  p.j->set_handout(&service);
  p.walk_up();
  p.answer_all(fixture("session_full.json"));
  REQUIRE(p.j->stage() == Stage::results);
  CHECK(p.j->handout_text().empty());
  // What the results screen draws (ui/screens/results_screen.cpp makes the same call).
  const auto on_screen = handout::chart_rows(*p.j->session(), p.j->charts(), "en");
  p.tap();
  p.j->next();
  REQUIRE(p.j->stage() == Stage::finished);
  for (int i = 0; i < 200 && !service.finished(); ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(service.finished());
  CHECK(p.j->handout_text() == assets.texts.get("en", "print.saved"));
  p.tap();
  p.j->next();
  REQUIRE(p.ended.size() == 1);
  REQUIRE(p.handouts[0]);
  const auto& handout = *p.handouts[0];
  CHECK(nlohmann::json::parse(handout.plan)["exercises"].size() >= 4);  // the plan as stored
  // Screen and paper: the same rows and the same norm zones, from the same declarations.
  const auto on_paper = nlohmann::json::parse(handout.plan)["charts"];
  REQUIRE(on_screen.size() == 3);
  REQUIRE(on_paper.size() == on_screen.size());
  for (std::size_t i = 0; i < on_screen.size(); ++i) {
    INFO(on_screen[i].test);
    CHECK(on_paper[i]["test"] == on_screen[i].test);
    REQUIRE(on_screen[i].zone);
    CHECK(on_paper[i]["zone"] == nlohmann::json{on_screen[i].zone->from, on_screen[i].zone->to});
    CHECK(on_paper[i]["scale"] == nlohmann::json{on_screen[i].scale_min, on_screen[i].scale_max});
    CHECK(on_paper[i]["left"] == *on_screen[i].left);
    CHECK(on_paper[i]["right"] == *on_screen[i].right);
  }
  CHECK(on_screen[1].zone->from == 40);                 // balance, age band 40-49: norms.lua's mean (Springer 2007)
  CHECK(handout.print == storage::PrintStatus::saved);  // no printer: demo mode saves the PDF
  REQUIRE(std::filesystem::exists(handout.kept_pdf));
  // The one mapping to the stored record: outcome from the safety state, the kept PDF's bytes.
  auto record = storage::record_of(p.ended[0].first, p.ended[0].second, {}, {});
  handout::add_to_record(record, handout);
  CHECK(record.outcome == storage::Outcome::completed);
  CHECK(record.print == storage::PrintStatus::saved);
  CHECK(record.handout_pdf.size() == std::filesystem::file_size(handout.kept_pdf));
  CHECK(record.plan == handout.plan);
  CHECK(p.j->handout_text().empty());  // forgotten with the patient
  std::filesystem::remove_all(data);
}

TEST_CASE("journey: a visit code follows the records' rule so what is typed is what is kept") {
  Patient p;
  p.tap();
  p.j->start();
  p.tap();
  p.j->choose_language("en");
  for (const char* bad : {"12", "ABCD", "4711;DROP", "123456789012345678901"}) {
    INFO(bad);
    CHECK(p.j->accept_welcome(bad) == std::optional<std::string>("visit_code"));
    CHECK(p.j->stage() == Stage::welcome);
  }
  CHECK_FALSE(p.j->accept_welcome("4711"));
  CHECK(p.j->visit_code() == "4711");
  CHECK(storage::is_valid_visit_code(p.j->visit_code()));
}

TEST_CASE("journey: with visit codes off a code is not kept, not even a malformed one") {
  Patient p(nullptr, /*visit_codes=*/false);
  CHECK_FALSE(p.j->offers_visit_code());
  p.tap();
  p.j->start();
  p.tap();
  p.j->choose_language("en");
  CHECK_FALSE(p.j->accept_welcome("4711;DROP"));
  CHECK(p.j->stage() == Stage::step);
  CHECK(p.j->visit_code().empty());
  if (p.j->session()) CHECK(p.j->session()->visit_code.empty());
}

TEST_CASE("journey: a test the person skips is kept as skipped and Back brings it back") {
  Patient p;
  p.walk_up();
  journey::Autopilot pilot(script::AnswerBook::from_json(fixture("session_full.json")));
  for (int guard = 0; guard < 100 && !p.j->can_skip(); ++guard) {
    p.tap();
    REQUIRE(pilot.act(*p.j));
  }
  REQUIRE(p.j->can_skip());  // the first test: screening and profile cannot be skipped
  const std::string first = p.j->script_info()->id;
  p.j->skip_test();
  REQUIRE(p.j->stage() == Stage::step);
  CHECK(p.j->script_info()->id != first);
  const auto skipped = p.j->session()->skipped;
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0].test == first);
  CHECK(skipped[0].reason == "person");

  p.j->back();  // at the next test's first step: back to the skipped test's start
  CHECK(p.j->script_info()->id == first);
  CHECK(p.j->session()->skipped.empty());
}

TEST_CASE("journey: Start again during a live capture restarts its count-in on the plate") {
  SimPlate sim;
  test::calibrate_sim(sim.devices, sim.db);
  sim.calibrations.refresh();
  Patient p(sim);
  p.walk_up();
  journey::Autopilot pilot(script::AnswerBook::from_json(fixture("session_full.json")));
  for (int guard = 0; guard < 200 && !(p.j->step() && p.j->step()->kind == script::StepKind::capture); ++guard) {
    p.tap();
    REQUIRE(pilot.act(*p.j));
  }
  REQUIRE(p.j->step());
  p.j->retry_capture();  // nothing to restart yet
  CHECK(p.j->capture_phase() == journey::CapturePhase::ready);
  p.j->start_capture();
  p.now += 3100ms;
  p.j->tick(p.now);
  REQUIRE(p.j->capture_phase() == journey::CapturePhase::live);
  REQUIRE(p.j->live());
  p.j->retry_capture();
  CHECK(p.j->capture_phase() == journey::CapturePhase::counting_in);
  CHECK_FALSE(p.j->live());  // the stream so far is dropped
  CHECK(p.j->count_in_left_s() == Approx(3.0).margin(0.01));
  p.now += 3100ms;
  p.j->tick(p.now);
  CHECK(p.j->capture_phase() == journey::CapturePhase::live);  // a fresh capture
}

namespace {
// The previous visit the composition root would look up (app::Services::previous_visit, on real storage in
// the ui drive tests); here the journey's own hook, noting which codes it was asked for.
struct History {
  std::vector<std::string> asked;
  Journey::PreviousVisits lookup() {
    return [this](const std::string& code) -> std::optional<handout::PreviousVisit> {
      asked.push_back(code);
      if (code != "4711") return std::nullopt;
      Patient first;
      first.walk_up();
      first.answer_all(fixture("session_full.json"));
      return handout::PreviousVisit{"2026-11-20", *first.j->session()};
    };
  }
};

// A patient past the welcome screen with `code` typed ("": none), `history` the kiosk's look-up.
void arrive_with_code(Patient& p, History& history, const std::string& code) {
  p.j->set_previous_visits(history.lookup());
  p.tap();
  p.j->start();
  p.tap();
  p.j->choose_language("en");
  REQUIRE_FALSE(p.j->accept_welcome(code));
}
}  // namespace

TEST_CASE("journey: a typed visit code brings its previous visit, forgotten with the patient") {
  History history;
  Patient p;
  arrive_with_code(p, history, "4711");
  CHECK(history.asked == std::vector<std::string>{"4711"});
  REQUIRE(p.j->previous_visit());
  CHECK(p.j->previous_visit()->date == "2026-11-20");
  p.answer_all(fixture("session_full.json"));
  REQUIRE(p.j->stage() == Stage::results);
  const auto rows = handout::chart_rows(*p.j->session(), p.j->charts(), "en", p.j->previous_visit());
  REQUIRE_FALSE(rows.empty());
  CHECK(rows[0].since_last);
  p.j->wipe("test");
  CHECK_FALSE(p.j->previous_visit());
  // The next patient, with another code, gets nothing of it.
  arrive_with_code(p, history, "5822");
  CHECK_FALSE(p.j->previous_visit());
}

TEST_CASE("journey: without a code, or with visit codes off, no history is ever looked up") {
  for (const bool codes_on : {true, false}) {
    History history;
    Patient p(nullptr, codes_on);
    arrive_with_code(p, history, codes_on ? "" : "4711");
    CHECK(history.asked.empty());
    CHECK_FALSE(p.j->previous_visit());
  }
}

TEST_CASE("journey: safety - a red-flagged follow-up patient still gets no tests and no exercises") {
  History history;
  Patient p;
  arrive_with_code(p, history, "4711");
  REQUIRE(p.j->previous_visit());
  p.answer_all(fixture("session_red_flag.json"));
  REQUIRE(p.j->stage() == Stage::speak_to_team);
  CHECK(p.j->session()->tests.empty());
  CHECK(handout::chart_rows(*p.j->session(), p.j->charts(), "en", p.j->previous_visit()).empty());
}
