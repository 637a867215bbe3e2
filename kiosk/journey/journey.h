// A patient's path through one session, as a model the screens draw and
// send intents to: attract → language → welcome → the scripts' steps
// (screening, profile, the tests) → results → handout → back to attract.
// It owns everything of the current patient and forgets all of it on
// wipe(): idle timeout, Cancel, or the end. No ImGui or SDL here, so tests
// drive it headless exactly as the screens do. Thread: main thread only.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/utc_time.h"
#include "handout/chart_rows.h"
#include "handout/handout_service.h"
#include "journey/plate_access.h"
#include "journey/script_visit.h"
#include "script/catalogue.h"
#include "script/session.h"
#include "script/step.h"

namespace kiosk::journey {

enum class Stage {
  attract,        // nobody here
  language,       // pick a language
  welcome,        // what this is (not a diagnosis), what is kept; optional visit code
  step,           // a script's step (question, instruction, countdown, capture, result)
  results,        // every value against its norm, in plain words
  speak_to_team,  // not cleared (a red flag, or no working safety screen): no tests, no exercises
  finished,       // "take your sheet"; then back to attract
};

std::string_view to_string(Stage stage);

// ended: the capture ended by itself (a touch-down, the heel raises' end, the
// time); its end shows for JourneySettings::capture_end_hold, then the step is answered.
enum class CapturePhase { ready, counting_in, live, ended };

struct JourneySettings {
  std::chrono::seconds idle_timeout{90};             // no touch for this long → "are you still there?"
  std::chrono::seconds still_there{15};              // ... then the session is wiped
  std::chrono::milliseconds count_in{3000};          // 3-2-1 before a capture
  std::chrono::milliseconds capture_end_hold{2500};  // a capture's end ("Well done: 21 seconds") stays this long
  std::string default_lang = "en";
  script::ClinicSettings clinic;  // t.clinic for the scripts (script::clinic_context)
  // The welcome screen asks for reception's visit code, and a typed code is
  // kept, only when the clinic sends it on (config fhir.visit_code_as is not
  // "off"; off by default: no identity is held for nothing).
  bool visit_codes = false;
};

// A session that got past the welcome screen, as it ends (finished, red
// flag, cancelled or timed out). Storage decides what to keep
// (storage::record_of, handout::add_to_record).
struct EndedSession {
  const session::Session& session;                // as script::SessionBuilder made it, with the visit code
  std::string_view how;                           // "finished", "timed_out", "cancelled", ...
  WallClock::time_point started_at;               // when the patient passed the welcome screen
  std::optional<handout::HandoutRecord> handout;  // none when no handout service is set
};

class Journey {
 public:
  using Clock = std::chrono::steady_clock;
  using SessionEnd = std::function<void(const EndedSession&)>;  // once per session, when it ends

  Journey(const script::Catalogue& catalogue, PlateAccess& plates, JourneySettings settings = {});

  void on_session_end(SessionEnd callback) { on_end_ = std::move(callback); }
  // Where handouts are made and printed; none: the end screens say to ask the desk.
  void set_handout(handout::HandoutService* service) { handout_ = service; }
  // Where a typed visit code's previous visit is looked up (storage, through
  // the composition root); none: no follow-ups. Asked only when visit codes
  // are on and the patient typed a valid code.
  using PreviousVisits = std::function<std::optional<handout::PreviousVisit>(const std::string& visit_code)>;
  void set_previous_visits(PreviousVisits lookup) { previous_visits_ = std::move(lookup); }

  // ---- intents (from the screens) ----
  void touch(Clock::time_point now);  // any input: the person is here
  void tick(Clock::time_point now);   // every frame: timers, live capture
  void start();                       // attract → language (not while sessions_blocked())
  void choose_language(const std::string& lang);
  // Returns a problem with the visit code (storage::is_valid_visit_code: 3 to 20
  // letters, digits or '-', with a digit; empty is none), or nullopt.
  // With visit codes off (JourneySettings::visit_codes), a code is not kept.
  std::optional<std::string> accept_welcome(const std::string& visit_code = {});
  bool offers_visit_code() const { return settings_.visit_codes; }
  void next();  // continue past a shown step / results
  // Question steps. Returns a problem to show (value out of range...), or nullopt.
  std::optional<std::string> answer(const session::Answer& value);
  std::optional<std::string> enter_attempt(double value);  // ask_number with attempts > 1
  std::optional<std::string> finish_attempts();            // fewer attempts than offered
  void start_capture();                                    // capture step: 3-2-1, then live
  void finish_capture();                                   // "Done" (or the plate cannot go on); ended: go on now
  // A test (not screening or profile) the person does not want to do: it is
  // recorded as skipped ("person") and the next one opens. Back undoes it.
  void skip_test();
  bool can_skip() const;
  // A capture again from its start (after a wobble): the live data so far is dropped.
  void retry_capture();
  void back();
  void cancel();  // asks to confirm
  void confirm_cancel(bool yes);
  void wipe(std::string_view reason);  // forget the patient now
  // Staff (behind the PIN) let a red-flagged patient go on, with a reason id
  // from safety::override_reasons(). The flag stays on record beside the
  // override; a screening stopped at the flagged answer goes on from there.
  // False when there is nothing to override or the reason is not on the list.
  bool override_red_flag(const std::string& reason, const std::string& at_utc);

  // ---- what the screens show ----
  Stage stage() const { return stage_; }
  // Why no session may start now (the safety screen is missing or broken:
  // "file:line: message", for staff), or "" when sessions may start.
  std::string sessions_blocked() const { return catalogue_.screening_problem(); }
  const safety::SessionSafety& safety() const { return safety_; }
  const std::string& lang() const { return lang_; }
  const script::Step* step() const;             // in Stage::step
  const script::TestInfo* script_info() const;  // whose step it is
  int script_number() const;                    // 1-based among the tests (not screening/profile); 0 otherwise
  int script_count() const;
  const std::vector<double>& attempts() const { return attempts_; }
  CapturePhase capture_phase() const { return capture_phase_; }
  const plates::LiveCapture* live() const { return live_.get(); }  // live and ended phases
  double step_elapsed_s() const;                                   // since the step appeared (countdown, metronome)
  // Counters that grow when a step appears / a step is answered or ended
  // (Back answers nothing): sounds and animations notice changes by them.
  int steps_shown() const { return steps_shown_; }
  int steps_answered() const { return steps_answered_; }
  double count_in_left_s() const;
  bool plate_available() const { return plates_.available(); }
  bool asking_still_there() const { return still_there_; }
  double still_there_left_s() const;
  bool confirming_cancel() const { return confirming_cancel_; }
  // The session so far (rebuilt after every answer); none between patients.
  const std::optional<session::Session>& session() const { return session_; }
  const std::string& visit_code() const { return visit_code_; }
  // This patient's previous visit with the same code, for "since last time"; null without one.
  const handout::PreviousVisit* previous_visit() const { return previous_ ? &*previous_ : nullptr; }
  // How the handout is going, in the patient's words ("" when none is being made).
  std::string handout_text() const { return handout_ ? handout_->patient_text(lang_) : std::string(); }
  // The planned handout's preview (exercises with their dose, in the patient's language); none before a plan.
  const handout::PlanPreview* handout_preview() const { return handout_ ? handout_->preview() : nullptr; }
  // A script's title in the session's language (results list); the id when unknown.
  std::string title_of(const std::string& script_id) const;
  // The chart declarations of this session's scripts (what ran), by test id:
  // the results screen and the handout both draw from them (handout/chart_rows.h).
  script::ChartCatalogue charts() const;

 private:
  // One script's place in the session: run (visit), skipped or unavailable.
  struct Slot {
    const script::CatalogueEntry* entry = nullptr;
    std::unique_ptr<ScriptVisit> visit;
    std::string skipped;      // why it was not run ("stop_session", "skip:<id>")
    std::string unavailable;  // the script failed: file:line: message (staff only)
  };

  void open_next_script();
  bool take(const ScriptVisit::Progress& progress);  // true: this script is over
  void respond(ScriptVisit::Response response);
  void back_in_scripts();
  void rebuild_session();
  void stop_for_safety();
  void end_session(std::string_view how);
  void step_appeared();
  void drop_patient_state();

  const script::Catalogue& catalogue_;
  PlateAccess& plates_;
  handout::HandoutService* handout_ = nullptr;
  JourneySettings settings_;
  SessionEnd on_end_;

  Clock::time_point now_{}, last_touch_{}, step_since_{}, count_in_since_{}, capture_ended_at_{};
  Stage stage_ = Stage::attract;
  std::string lang_;
  std::string visit_code_;
  PreviousVisits previous_visits_;
  std::optional<handout::PreviousVisit> previous_;  // the typed code's last visit; forgotten with the patient
  bool still_there_ = false, confirming_cancel_ = false, session_open_ = false;
  WallClock::time_point session_started_{};
  std::vector<const script::CatalogueEntry*> plan_;  // every available script, session order
  std::vector<Slot> slots_;                          // plan_[0 .. slots_.size()); the last is current
  std::optional<script::SessionBuilder> builder_;
  safety::SessionSafety safety_;                      // sticky across Back and rebuilds
  std::optional<ScriptVisit::Response> held_answer_;  // the answer that raised a flag, kept for an override
  std::vector<double> attempts_;
  CapturePhase capture_phase_ = CapturePhase::ready;
  int steps_shown_ = 0, steps_answered_ = 0;
  std::unique_ptr<plates::LiveCapture> live_;
  std::optional<session::Session> session_;
};

}  // namespace kiosk::journey
