// Whether a patient may do tests and get exercises: the one home of that
// decision. A session starts `unscreened`; it is `cleared` only once the
// screening script has finished and every red flag raised so far has a staff
// override. Anything else — a missing, broken or failing screening script, a
// red flag — keeps it closed. Red flags are sticky: undoing the answer that
// raised one (Back) does not remove it; only a staff override does, and the
// flag stays on record beside it. No JSON and no UI here (typed model).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::safety {

enum class SafetyState { unscreened, cleared, red_flag };
std::string_view to_string(SafetyState state);
std::optional<SafetyState> parse_safety_state(std::string_view text);

// What an exercise, or a line of advice, asks of the patient's body or home.
enum class Need : std::uint8_t { one_leg, step, running, band, floor };
std::string_view to_string(Need need);
std::optional<Need> parse_need(std::string_view text);
const std::vector<Need>& all_needs();

// A set of needs (a bit per Need).
class Needs {
 public:
  Needs() = default;
  Needs(std::initializer_list<Need> needs);
  void add(Need n) { bits_ |= bit(n); }
  bool has(Need n) const { return (bits_ & bit(n)) != 0; }
  bool empty() const { return bits_ == 0; }
  bool intersects(Needs other) const { return (bits_ & other.bits_) != 0; }
  std::vector<Need> list() const;
  bool operator==(const Needs&) const = default;

 private:
  static std::uint8_t bit(Need n) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(n)); }
  std::uint8_t bits_ = 0;
};

// Not safe on one leg: no one-leg work, no step edge, no running.
Needs one_leg_unsafe_excludes();

// Why staff let a red-flagged patient go on (the short list on the staff screen).
const std::vector<std::string>& override_reasons();  // ids; words in assets/strings (staff.override.<id>)

struct RedFlag {
  std::string raised_by;  // "screening.numbness" (an answer) or "screening" (a script's result)
  std::string answer;     // the answer as given, e.g. "yes", "8"; empty when a result raised it
  bool from_answer = false;
  std::string override_reason;  // empty: in force
  std::string override_at;      // UTC, ISO 8601
  bool overridden() const { return !override_reason.empty(); }
};

class SessionSafety {
 public:
  SafetyState state() const;
  bool allows_tests() const { return state() == SafetyState::cleared; }

  // ---- what the session found (sticky: kept through Back) ----
  // Raises a red flag; the same raised_by twice is one flag. Returns true when it is new.
  bool raise(std::string raised_by, std::string answer, bool from_answer);
  // Staff let the patient go on. False (nothing changes) for an unknown reason or no open flag.
  // A flag raised by a script's result (not by an answer) may hide questions never asked, so
  // its override also restricts the session to two-leg work.
  bool override_flags(const std::string& reason, const std::string& at_utc);
  const std::vector<RedFlag>& flags() const { return flags_; }
  // A flag as recorded (reading a stored session); an override whose reason
  // is not on the list is dropped, so the flag stays in force.
  void restore(RedFlag flag);
  const RedFlag* open_flag() const;  // the first flag in force, or none

  // ---- what the current answers show (derived: recomputed as answers change) ----
  void forget_derived();                                 // before the answers are read again
  void screening_finished() { screening_done_ = true; }  // it ended with a result
  void screening_failed(std::string why);                // file:line: message (staff only)
  void one_leg_unsafe_found() { one_leg_unsafe_ = true; }

  bool screening_done() const { return screening_done_; }
  const std::string& unscreened_reason() const { return unscreened_reason_; }
  bool one_leg_unsafe() const { return one_leg_unsafe_ || one_leg_unsafe_sticky_; }
  // What this patient's plan must not ask of them.
  Needs excluded_needs() const;

 private:
  std::vector<RedFlag> flags_;
  bool one_leg_unsafe_sticky_ = false;
  bool screening_done_ = false;
  bool one_leg_unsafe_ = false;
  std::string unscreened_reason_;
};

}  // namespace kiosk::safety
