#include "journey/patient_pace.h"

#include <algorithm>
#include <string>

namespace kiosk::journey {
namespace {

// The words of a screen that is not a script's step: its strings in `lang`.
int screen_words(const TextCatalog& ui, std::string_view lang, std::initializer_list<std::string_view> keys) {
  int n = 0;
  for (auto k : keys) n += word_count(ui.get(lang, k));
  return n;
}

int words_on_screen(const Journey& j, const TextCatalog& ui) {
  const std::string& lang = j.lang();
  switch (j.stage()) {
    case Stage::attract:
      return 0;
    case Stage::language:
      return screen_words(ui, lang, {"language.title"}) + 2;  // two language names
    case Stage::welcome:
      return screen_words(ui, lang, {"welcome.title", "welcome.not_diagnosis", "welcome.kept", "welcome.start"});
    case Stage::step: {
      const auto& step = *j.step();
      int n = word_count(step.text.in(lang));
      for (const auto& o : step.options) n += word_count(o.text.in(lang));
      if (step.attempts > 1) n += screen_words(ui, lang, {"ask.tries_allowed"});
      return n;
    }
    case Stage::results: {
      int n = screen_words(ui, lang, {"results.title", "results.next"});
      if (j.session())
        for (const auto& t : j.session()->tests) n += word_count(t.interpretation);
      return n;
    }
    case Stage::speak_to_team:
      return screen_words(ui, lang, {"speak.title", "speak.body"});
    case Stage::finished:
      return screen_words(ui, lang, {"closing.title", "closing.no_sheet", "closing.done"});
  }
  return 0;
}

// What the person does, beyond reading: type, stand, wait, tap.
double doing_s(const Journey& j, const PilotAction& a, const PatientPace& p) {
  const auto* step = j.stage() == Stage::step ? j.step() : nullptr;
  switch (a.kind) {
    case PilotAction::wait:
      return 0;
    case PilotAction::attempts: {
      double s = p.tap_s;  // "no more tries", or the last Next
      for (double v : std::get<std::vector<double>>(a.value))
        s += p.number_s + (step && step->input == "timer" ? v : 0);  // a stopwatch runs while the person stands
      return s;
    }
    case PilotAction::answer:
      if (step && step->kind == script::StepKind::ask_number)
        return p.number_s + (step->input == "timer" ? std::get<double>(a.value) : 0) + p.tap_s;
      return p.tap_s;
    case PilotAction::next:
      if (step && (step->kind == script::StepKind::countdown || step->kind == script::StepKind::metronome))
        return step->seconds;  // it runs its time; the autopilot presses Done at once
      if (step && step->kind == script::StepKind::instruct && !step->illustration.empty())
        return p.position_s + p.tap_s;
      return p.tap_s;
    case PilotAction::start_capture:
      return p.position_s + p.tap_s;  // onto the plate, then "I am ready"
    default:
      return p.tap_s;
  }
}

}  // namespace

int word_count(std::string_view text) {
  int n = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

double seconds_before(const Journey& j, const PilotAction& a, const TextCatalog& ui_texts, const PatientPace& p,
                      bool reread) {
  if (a.kind == PilotAction::wait) return 0;
  // A capture's Done: the screen was read when the capture started.
  const bool new_screen = a.kind != PilotAction::finish_capture;
  const double words = 60.0 * words_on_screen(j, ui_texts) / p.words_per_minute * (reread ? p.reread_share : 1);
  const double reading = new_screen ? p.look_s + words : 0;
  const double timed = a.kind == PilotAction::next && j.stage() == Stage::step && j.step() &&
                       (j.step()->kind == script::StepKind::countdown || j.step()->kind == script::StepKind::metronome);
  // A countdown's time passes whatever the person's pace; reading and doing scale with it.
  return timed ? std::max(reading * p.slowness, doing_s(j, a, p)) : (reading + doing_s(j, a, p)) * p.slowness;
}

double PacedPerson::seconds_before(const Journey& j, const PilotAction& a) {
  std::string like(to_string(j.stage()));
  if (const auto* step = j.stage() == Stage::step ? j.step() : nullptr) {
    std::string what = script::is_question(step->kind) ? step->id : step->illustration + "/" + step->detector;
    for (std::string_view side : {"left.", "right."})
      if (what.starts_with(side)) what.erase(0, side.size());
    like += "/" + (j.script_info() ? j.script_info()->id : "") + "/" + std::string(script::to_string(step->kind)) +
            "/" + what;
  }
  const bool reread = !read_.insert(like).second;
  return journey::seconds_before(j, a, ui_, pace_, reread);
}

}  // namespace kiosk::journey
