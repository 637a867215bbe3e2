#include "journey/journey.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/log.h"
#include "core/storage/session_store.h"
#include "script/answers.h"

namespace kiosk::journey {
namespace {
using Seconds = std::chrono::duration<double>;

// A finished live capture as the script gets it, with the plate that measured it (for the record).
script::CaptureResult captured(plates::LiveCapture& live) {
  auto result = script::to_capture_result(live.result());
  result.plate = live.plate();
  return result;
}

}  // namespace

std::string_view to_string(Stage stage) {
  switch (stage) {
    case Stage::attract:
      return "attract";
    case Stage::language:
      return "language";
    case Stage::welcome:
      return "welcome";
    case Stage::step:
      return "step";
    case Stage::results:
      return "results";
    case Stage::speak_to_team:
      return "speak_to_team";
    case Stage::finished:
      return "finished";
  }
  return "?";
}

Journey::Journey(const script::Catalogue& catalogue, PlateAccess& plates, JourneySettings settings)
    : catalogue_(catalogue), plates_(plates), settings_(std::move(settings)), lang_(settings_.default_lang) {}

// ---------------------------------------------------------------- time

void Journey::touch(Clock::time_point now) {
  now_ = now;
  last_touch_ = now;
  still_there_ = false;
}

void Journey::tick(Clock::time_point now) {
  now_ = now;
  plates_.poll();
  if (stage_ == Stage::attract) return;
  if (live_) last_touch_ = now;  // someone is on the plate: they are here

  const auto idle = now - last_touch_;
  if (!still_there_ && idle >= settings_.idle_timeout) {
    still_there_ = true;
    log::get("journey")->info("no touch for {} s: asking if the person is still there", settings_.idle_timeout.count());
  }
  if (still_there_ && idle >= settings_.idle_timeout + settings_.still_there) {
    // Walking away from the last screen is how a session usually ends.
    wipe(stage_ == Stage::finished || stage_ == Stage::speak_to_team ? "finished" : "timed_out");
    return;
  }

  const auto* s = step();
  if (!s) return;
  if ((s->kind == script::StepKind::countdown || s->kind == script::StepKind::metronome) &&
      step_elapsed_s() >= s->seconds) {
    respond(ScriptVisit::ShownStep{});
    return;
  }
  if (s->kind != script::StepKind::capture) return;
  if (capture_phase_ == CapturePhase::counting_in && now - count_in_since_ >= settings_.count_in) {
    std::string why;
    live_ = plates_.start(*s, &why);
    if (!live_) {
      log::get("journey")->warn("capture for {} not possible ({}): the manual version runs", s->detector, why);
      respond(std::optional<script::CaptureResult>());
      return;
    }
    capture_phase_ = CapturePhase::live;
  }
  if (capture_phase_ == CapturePhase::ended && live_ && now - capture_ended_at_ >= settings_.capture_end_hold) {
    respond(captured(*live_));
    return;
  }
  if (capture_phase_ == CapturePhase::live && live_) {
    const auto state = live_->pump();
    if (state == plates::LiveCapture::State::done) {
      capture_phase_ = CapturePhase::ended;  // shown for a moment; answered on a later tick
      capture_ended_at_ = now;
    } else if (state == plates::LiveCapture::State::failed) {
      log::get("journey")->warn("capture failed: {}; the manual version runs", live_->failure());
      respond(std::optional<script::CaptureResult>());
    }
  }
}

double Journey::step_elapsed_s() const { return Seconds(now_ - step_since_).count(); }

double Journey::count_in_left_s() const {
  if (capture_phase_ != CapturePhase::counting_in) return 0;
  return std::max(0.0, Seconds(settings_.count_in - (now_ - count_in_since_)).count());
}

double Journey::still_there_left_s() const {
  if (!still_there_) return 0;
  const auto left = settings_.idle_timeout + settings_.still_there - (now_ - last_touch_);
  return std::max(0.0, Seconds(left).count());
}

// ---------------------------------------------------------------- flow

void Journey::start() {
  if (stage_ != Stage::attract) return;
  if (const auto why = sessions_blocked(); !why.empty()) {
    log::get("journey")->error("no session started: the safety screen is not working: {}", why);
    return;
  }
  drop_patient_state();
  stage_ = Stage::language;
  last_touch_ = now_;
}

void Journey::choose_language(const std::string& lang) {
  if (stage_ != Stage::language) return;
  lang_ = lang;
  stage_ = Stage::welcome;
}

std::optional<std::string> Journey::accept_welcome(const std::string& visit_code) {
  if (stage_ != Stage::welcome) return std::nullopt;
  // The one rule for visit codes is the records' (what is typed is what is stored).
  const bool keep_code = settings_.visit_codes && !visit_code.empty();
  if (keep_code && !storage::is_valid_visit_code(visit_code)) return "visit_code";
  visit_code_ = keep_code ? visit_code : std::string();
  previous_.reset();
  if (keep_code && previous_visits_) previous_ = previous_visits_(visit_code_);
  plan_ = catalogue_.available();
  slots_.clear();
  session_open_ = true;
  session_started_ = WallClock::now();
  log::get("journey")->info("session started ({} scripts, plate {})", plan_.size(),
                            plates_.available() ? "available" : "not available");
  open_next_script();
  return std::nullopt;
}

void Journey::open_next_script() {
  for (;;) {
    rebuild_session();
    if (slots_.size() == plan_.size()) {
      if (!safety_.allows_tests()) return stop_for_safety();
      stage_ = Stage::results;
      return;
    }
    const auto* entry = plan_[slots_.size()];
    const auto& info = *entry->info;
    if (auto why = builder_->skip_reason(info); !why.empty()) {
      slots_.push_back({entry, nullptr, std::move(why), {}});
      continue;
    }
    script::RunContext context;
    context.lang = lang_;
    context.plate = info.plate != script::PlateUse::none && plates_.available();
    context.profile = builder_->profile();
    context.clinic = settings_.clinic;
    slots_.push_back(
        {entry, std::make_unique<ScriptVisit>(*entry, catalogue_.options_for(entry->file), context), {}, {}});
    if (!take(slots_.back().visit->begin())) return;
  }
}

// Not cleared: no tests, no exercises; the "please speak to the team" sheet.
void Journey::stop_for_safety() {
  live_.reset();
  stage_ = Stage::speak_to_team;
  const auto state = safety_.state();
  if (state == safety::SafetyState::unscreened)
    log::get("journey")->error("session unscreened, no tests: {}", safety_.unscreened_reason());
  else if (const auto* flag = safety_.open_flag())
    log::get("journey")->info("red flag raised by {}: no tests", flag->raised_by);
  if (handout_) handout_->start(*session_, charts(), previous_visit());
}

bool Journey::override_red_flag(const std::string& reason, const std::string& at_utc) {
  if (stage_ != Stage::speak_to_team || !safety_.override_flags(reason, at_utc)) return false;
  log::get("journey")->warn("red flag overridden by staff reason={}", reason);
  if (handout_) handout_->forget();  // the "speak to the team" sheet is not this patient's last word
  if (held_answer_) {                // the screening goes on from the flagged answer
    auto answer = std::move(*held_answer_);
    held_answer_.reset();
    stage_ = Stage::step;
    respond(std::move(answer));
    return true;
  }
  while (!slots_.empty() && !slots_.back().visit && safety::parse_safety_state(slots_.back().skipped))
    slots_.pop_back();  // the scripts the flag held back open again
  open_next_script();
  return true;
}

bool Journey::take(const ScriptVisit::Progress& progress) {
  auto& slot = slots_.back();
  if (progress.step) {
    stage_ = Stage::step;
    step_appeared();
    return false;
  }
  if (progress.error) {
    slot.unavailable = progress.error->to_string();
    log::get("journey")->error("script {} failed, skipped for this patient: {}", slot.entry->file.string(),
                               slot.unavailable);
  }
  return true;
}

void Journey::step_appeared() {
  ++steps_shown_;
  step_since_ = now_;
  attempts_.clear();
  capture_phase_ = CapturePhase::ready;
  live_.reset();
}

void Journey::respond(ScriptVisit::Response response) {
  if (stage_ != Stage::step || slots_.empty() || !slots_.back().visit) return;
  ++steps_answered_;
  live_.reset();
  const auto* s = step();
  const auto* answer = std::get_if<session::Answer>(&response);
  if (s && answer && script::raises_red_flag(*s, *answer) &&
      safety_.raise(slots_.back().entry->info->id + "." + s->id, script::answer_text(*answer), /*from_answer=*/true)) {
    held_answer_ = std::move(response);  // the script does not go on past a red flag
    rebuild_session();
    return stop_for_safety();
  }
  if (take(slots_.back().visit->respond(std::move(response)))) open_next_script();
}

void Journey::next() {
  switch (stage_) {
    case Stage::step:
      if (const auto* s = step(); s && !script::is_question(s->kind) && s->kind != script::StepKind::capture)
        respond(ScriptVisit::ShownStep{});
      break;
    case Stage::results:
      stage_ = Stage::finished;
      if (handout_) handout_->start(*session_, charts(), previous_visit());
      break;
    case Stage::speak_to_team:
    case Stage::finished:
      wipe("finished");
      break;
    default:
      break;
  }
}

std::optional<std::string> Journey::answer(const session::Answer& value) {
  const auto* s = step();
  if (!s || !script::is_question(s->kind)) return "no question is waiting";
  try {
    auto normalized = script::normalize_answer(*s, value);
    respond(std::move(normalized));
    return std::nullopt;
  } catch (const script::AnswerError& e) {
    return e.what();
  }
}

std::optional<std::string> Journey::enter_attempt(double value) {
  const auto* s = step();
  if (!s || s->kind != script::StepKind::ask_number) return "no number is asked for";
  if (s->attempts <= 1) return answer(value);
  try {
    script::Step one = *s;  // check this attempt alone, as a single answer
    one.attempts = 1;
    script::normalize_answer(one, value);
  } catch (const script::AnswerError& e) {
    return e.what();
  }
  attempts_.push_back(value);
  if (static_cast<int>(attempts_.size()) >= s->attempts) return finish_attempts();
  return std::nullopt;
}

std::optional<std::string> Journey::finish_attempts() {
  if (attempts_.empty()) return "enter at least one try";
  return answer(session::Answer(attempts_));
}

void Journey::start_capture() {
  const auto* s = step();
  if (!s || s->kind != script::StepKind::capture || capture_phase_ != CapturePhase::ready) return;
  capture_phase_ = CapturePhase::counting_in;
  count_in_since_ = now_;
}

void Journey::finish_capture() {
  if ((capture_phase_ == CapturePhase::live || capture_phase_ == CapturePhase::ended) && live_) {
    live_->finish_now();
    respond(captured(*live_));
  } else if (capture_phase_ == CapturePhase::counting_in) {
    capture_phase_ = CapturePhase::ready;
  }
}

bool Journey::can_skip() const { return stage_ == Stage::step && script_info() && script_info()->kind == "test"; }

void Journey::skip_test() {
  if (!can_skip()) return;
  live_.reset();
  auto& slot = slots_.back();
  log::get("journey")->info("test {} skipped by the person", slot.entry->info->id);
  slot.visit.reset();
  slot.skipped = "person";
  open_next_script();
}

void Journey::retry_capture() {
  const auto* s = step();
  if (!s || s->kind != script::StepKind::capture || capture_phase_ == CapturePhase::ready) return;
  live_.reset();
  capture_phase_ = CapturePhase::counting_in;
  count_in_since_ = now_;
}

void Journey::back() {
  if (still_there_) {
    still_there_ = false;
    return;
  }
  if (confirming_cancel_) {
    confirming_cancel_ = false;
    return;
  }
  switch (stage_) {
    case Stage::language:
      stage_ = Stage::attract;
      break;
    case Stage::welcome:
      stage_ = Stage::language;
      break;
    case Stage::step:
    case Stage::results:
      back_in_scripts();
      break;
    case Stage::speak_to_team:
      break;  // a red flag sticks; only staff can override it
    case Stage::finished:
      stage_ = Stage::results;
      break;
    case Stage::attract:
      break;
  }
}

void Journey::back_in_scripts() {
  live_.reset();
  // Undo the last response of the latest script that has one; scripts with
  // none left, skipped and failed ones are left behind (they run again
  // going forward).
  while (!slots_.empty()) {
    auto& slot = slots_.back();
    if (slot.visit && slot.unavailable.empty() && slot.visit->back() && !take(slot.visit->progress())) return;
    const bool skipped_by_person = slot.skipped == "person";
    slots_.pop_back();
    if (skipped_by_person) {  // Back undoes a skip: that test opens again from its start
      open_next_script();
      return;
    }
  }
  session_open_ = false;  // back before the first answer: nothing was started
  stage_ = Stage::welcome;
}

void Journey::cancel() {
  if (stage_ != Stage::attract) confirming_cancel_ = true;
}

void Journey::confirm_cancel(bool yes) {
  confirming_cancel_ = false;
  if (yes) wipe("cancelled");
}

// ---------------------------------------------------------------- the record

void Journey::rebuild_session() {
  builder_.emplace(lang_, safety_);
  builder_->unavailable_in(catalogue_);
  const auto* held = std::get_if<session::Answer>(held_answer_ ? &*held_answer_ : nullptr);
  for (const auto& slot : slots_) {
    const auto& info = *slot.entry->info;
    if (held && &slot == &slots_.back() && slot.visit && slot.visit->progress().step) {
      auto answers = slot.visit->answers();  // the script holds at the flagged question
      answers.insert_or_assign(slot.visit->progress().step->id, *held);
      builder_->flagged(info, slot.visit->progress().step->id, script::answer_text(*held), answers);
    } else if (!slot.skipped.empty())
      builder_->skipped(info.id, slot.skipped);
    else if (!slot.unavailable.empty())
      builder_->unavailable(slot.entry->file, info, slot.unavailable);
    else if (slot.visit && slot.visit->progress().result)
      builder_->finished(info, *slot.visit->progress().result);
  }
  safety_ = builder_->safety();
  session_ = builder_->session();
  session_->visit_code = visit_code_;
}

void Journey::end_session(std::string_view how) {
  if (!session_open_) return;
  session_open_ = false;
  rebuild_session();
  log::get("journey")->info("session ended: {}", how);
  if (!on_end_) return;
  std::optional<handout::HandoutRecord> handout;
  if (handout_) handout = handout_->record();
  on_end_(EndedSession{*session_, how, session_started_, std::move(handout)});
}

void Journey::wipe(std::string_view reason) {
  end_session(reason);
  drop_patient_state();
  stage_ = Stage::attract;
}

void Journey::drop_patient_state() {
  if (handout_) handout_->forget();
  slots_.clear();
  plan_.clear();
  builder_.reset();
  safety_ = {};
  held_answer_.reset();
  session_.reset();
  visit_code_.clear();
  previous_.reset();
  attempts_.clear();
  live_.reset();
  capture_phase_ = CapturePhase::ready;
  still_there_ = confirming_cancel_ = session_open_ = false;
  lang_ = settings_.default_lang;
}

// ---------------------------------------------------------------- views

const script::Step* Journey::step() const {
  if (stage_ != Stage::step || slots_.empty() || !slots_.back().visit) return nullptr;
  const auto& p = slots_.back().visit->progress();
  return p.step ? &*p.step : nullptr;
}

const script::TestInfo* Journey::script_info() const {
  if (stage_ != Stage::step || slots_.empty()) return nullptr;
  return &*slots_.back().entry->info;
}

std::string Journey::title_of(const std::string& script_id) const {
  for (const auto* e : plan_)
    if (e->info->id == script_id) return e->info->title.in(lang_);
  return script_id;
}

script::ChartCatalogue Journey::charts() const {
  script::ChartCatalogue out;
  for (const auto* e : plan_)
    if (e->info->chart) out.emplace(e->info->id, script::ChartedTest{e->info->title, *e->info->chart});
  return out;
}

int Journey::script_count() const {
  return static_cast<int>(
      std::count_if(plan_.begin(), plan_.end(), [](const auto* e) { return e->info->kind == "test"; }));
}

int Journey::script_number() const {
  const auto* info = script_info();
  if (!info || info->kind != "test") return 0;
  int n = 0;
  for (std::size_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].entry->info->kind == "test") ++n;
  return n;
}

}  // namespace kiosk::journey
