// How long a person takes on each screen of the journey, so that a walk of
// the autopilot (which acts at once) can be timed as a patient would take
// it. An assumption, not a measurement of patients: each figure is
// documented below with its reason; bench/walk_time uses it to measure the
// "about N minutes" the attract and welcome screens promise.
// A capture's own time is not here: it is the plate time the person (the
// sim's demo actor) takes to do the test. Thread: any.
#pragma once
#include <set>
#include <string>

#include "core/text_catalog.h"
#include "journey/autopilot.h"
#include "journey/journey.h"

namespace kiosk::journey {

struct PatientPace {
  // Reading plain words on a screen, in pain, maybe not in one's first
  // language: about half the ~240 words/min of adults reading silently
  // (Brysbaert 2019, a meta-analysis of 190 studies).
  double words_per_minute = 120;
  double look_s = 1.0;      // find where to look on a new screen before reading
  double tap_s = 1.5;       // reach for the button and press it (first time at a touch screen)
  double number_s = 4.0;    // read a tape or a count off and type it on the keypad, per number
  double position_s = 8.0;  // get into a position a picture shows (at the wall, onto the plate)
  // A screen like one read before in this session (the second side, a
  // capture's next try) is glanced at: this share of its reading time.
  double reread_share = 0.25;
  double slowness = 1.0;  // this person: 1 typical, 1.3 a third slower at every screen
};

// Seconds the person spends on the current screen before `action`:
// looking, reading its words (`ui_texts`: the screens' own words,
// assets/strings), getting into position, waiting out a countdown or
// metronome, typing and tapping. 0 for waiting on a running capture.
// `reread`: the screen is like one read before (PacedPerson decides).
double seconds_before(const Journey& journey, const PilotAction& action, const TextCatalog& ui_texts,
                      const PatientPace& pace, bool reread = false);

// One person through one session at `pace`, remembering which screens they
// have read (a screen is "like" another of the same script, kind and
// question or picture, whatever its side).
class PacedPerson {
 public:
  PacedPerson(PatientPace pace, const TextCatalog& ui_texts) : pace_(pace), ui_(ui_texts) {}
  double seconds_before(const Journey& journey, const PilotAction& action);

 private:
  PatientPace pace_;
  const TextCatalog& ui_;
  std::set<std::string> read_;
};

// Words in `text` (runs of non-space).
int word_count(std::string_view text);

}  // namespace kiosk::journey
