// The patient pace the simulated walk is timed with (bench/walk_time): each
// screen costs looking, reading its words at the assumed rate and acting,
// and a countdown its own seconds, over the real journey and scripts.
#include <catch2/catch.hpp>

#include "journey/autopilot.h"
#include "journey/journey.h"
#include "journey/patient_pace.h"

using namespace kiosk;
using journey::PilotAction;
using journey::Stage;

namespace {
const std::filesystem::path kPaceSource = KIOSK_SOURCE_DIR;

// The bundled scripts without a plate, a person at the language screen.
struct Visit {
  script::Catalogue catalogue{{kPaceSource / "scripts"}};
  journey::NoPlates plates;
  std::unique_ptr<journey::Journey> j;
  TextCatalog ui = TextCatalog::load(kPaceSource / "assets" / "strings");
  Visit() {
    catalogue.scan();
    j = std::make_unique<journey::Journey>(catalogue, plates);
    j->touch(journey::Journey::Clock::now());
    j->start();
  }
  // On the welcome screen in `lang`, and the "Start" the person taps there.
  PilotAction at_welcome(const std::string& lang) {
    j->choose_language(lang);
    REQUIRE(j->stage() == Stage::welcome);
    return PilotAction{PilotAction::accept_welcome, std::string(), false};
  }
};
}  // namespace

TEST_CASE("pace: words are counted as runs of non-space") {
  CHECK(journey::word_count("") == 0);
  CHECK(journey::word_count("  Touch here\tto\nstart ") == 4);
}

TEST_CASE("pace: a screen costs looking, reading its words and the tap, a slower person takes longer in proportion") {
  Visit v;
  auto& j = *v.j;
  const auto& ui = v.ui;
  const PilotAction start = v.at_welcome("es");
  int words = 0;
  for (auto key : {"welcome.title", "welcome.not_diagnosis", "welcome.kept", "welcome.start"})
    words += journey::word_count(ui.get("es", key));
  REQUIRE(words > 40);
  journey::PatientPace pace;
  const double s = journey::seconds_before(j, start, ui, pace);
  CHECK(s == Approx(pace.look_s + 60.0 * words / pace.words_per_minute + pace.tap_s));
  pace.slowness = 1.5;
  CHECK(journey::seconds_before(j, start, ui, pace) == Approx(1.5 * s));
  CHECK(journey::seconds_before(j, PilotAction{PilotAction::wait}, ui, pace) == 0);
}

TEST_CASE("pace: a countdown takes its own seconds however fast the person reads") {
  Visit v;
  auto& j = *v.j;
  const auto& ui = v.ui;
  journey::Autopilot pilot(script::AnswerBook::read(kPaceSource / "tests/fixtures/answers/session_full.json"));
  bool seen = false;
  for (int guard = 0; guard < 300 && !seen && j.stage() != Stage::attract; ++guard) {
    const auto action = pilot.decide(j);
    REQUIRE(action);
    if (j.stage() == Stage::step && j.step()->kind == script::StepKind::countdown) {
      journey::PatientPace quick;
      quick.words_per_minute = 1e6;
      quick.look_s = 0;
      CHECK(journey::seconds_before(j, *action, ui, quick) == Approx(j.step()->seconds));
      seen = true;
    }
    REQUIRE(pilot.act(j));
  }
  CHECK(seen);  // the heel raises' 3-2-1 without a plate
}

TEST_CASE("pace: a screen like one read before (the other side, another try) is only glanced at") {
  Visit v;
  const PilotAction start = v.at_welcome("en");
  auto& j = *v.j;
  const auto& ui = v.ui;
  journey::PatientPace pace;
  journey::PacedPerson person(pace, ui);
  const double first = person.seconds_before(j, start);
  const double again = person.seconds_before(j, start);
  CHECK(first == Approx(journey::seconds_before(j, start, ui, pace)));
  const double reading = first - pace.look_s - pace.tap_s;
  CHECK(again == Approx(pace.look_s + pace.reread_share * reading + pace.tap_s));
}
