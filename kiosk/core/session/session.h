// One assessment session as types: what the layers hand each other (script
// → journey → handout, storage, export). JSON appears only at the edges:
// core/session/session_json.h maps this to and from the session document
// (format 1, stored in the database and printed by `kioskctl session run`).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/safety/session_safety.h"

namespace kiosk::session {

// An answer as the script got it: yes/no, a number, a choice value, or one
// number per attempt.
using Answer = std::variant<bool, double, std::string, std::vector<double>>;
using Answers = std::map<std::string, Answer>;  // ask id → answer ("left.distance_cm", "night_pain")

// The answer as a patient-free short text for the record: "yes", "8", "7.5", "under-18", "8, 9".
std::string answer_text(const Answer& answer);

struct Measure {
  std::string id;    // stable measure id, e.g. "distance_cm"
  std::string side;  // "left" | "right" | "" (not sided)
  double value = 0;
  std::string unit;  // as the script gave it: "cm", "s", "reps", "%", "mm/s"
};

// The force plate and calibration a capture measured with, as the plugin
// described the plate (kp_device_info) and the calibration store knew it
// then. Only a live capture on a plate records one: typed-in results and
// recordings replayed headless have none.
struct PlateUsed {
  std::string device_id;  // "<plugin>:<serial>", stable for one physical plate
  std::string plugin;     // the plugin's id, e.g. "sim", "usbplate"
  std::string vendor, model, serial, firmware;
  std::string calibration_state;    // calibration::PlateState: "calibrated" (only such plates measure patients)
  std::string calibrated_at;        // UTC ISO 8601 of the calibration in force; empty: none
  std::int64_t calibration_id = 0;  // its row in this kiosk's calibrations table; 0: none
  bool operator==(const PlateUsed&) const = default;
};

// What one script gave the session (a screening, the profile or a test).
struct ScriptPart {
  std::string test;     // the script's id
  std::string version;  // the script's own version
  std::vector<Measure> measures;
  std::vector<std::string> findings;  // stable finding ids
  std::vector<std::string> flags;     // session control: "stop_session", "skip:<id>"
  std::string interpretation;         // plain words, in the session's language
  Answers answers;
  std::optional<PlateUsed> plate = std::nullopt;  // the plate of its (last) live capture; none: no plate measured
};

struct Skipped {
  std::string test, reason;  // reason: "red_flag", "unscreened", "skip:<id>", ...
};
struct Unavailable {
  std::string file, test, error;  // test: empty when the file never loaded
};

inline constexpr int kFormat = 1;  // the session document's format

struct Session {
  int api = 0;  // the script API the scripts ran under
  std::string lang = "en";
  std::optional<ScriptPart> screening, profile;  // none: did not run (or stopped before)
  std::vector<ScriptPart> tests;                 // in the order they ran
  std::vector<Skipped> skipped;
  std::vector<Unavailable> unavailable;
  std::vector<std::string> findings;        // every test's findings; "red_flag" while a flag is in force
  std::vector<std::string> refer_findings;  // those a script declared "see the team, do not train"
  safety::SessionSafety safety;
  std::string visit_code;  // typed by the patient from reception's slip; empty: none

  // Every part that carries answers, measures and findings: screening, profile, tests.
  std::vector<const ScriptPart*> parts() const;
};

}  // namespace kiosk::session
