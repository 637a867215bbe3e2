#include "ui/input_driver.h"

#include <SDL.h>
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/log.h"
#include "core/safety/session_safety.h"
#include "ui/png.h"
#include "ui/theme.h"
#include "ui/touch_targets.h"

namespace kiosk::ui {
namespace {
using journey::PilotAction;
using journey::Stage;

constexpr std::chrono::seconds kCommandLimit{90};  // any one command, captures included (the actor runs fast)
constexpr std::chrono::seconds kPilotLimit{240};   // a whole pilot run

double seconds_word(const std::string& w, const std::string& where) {
  try {
    std::size_t used = 0;
    const double s = std::stod(w, &used);
    if (used == w.size() && s >= 0 && s <= 600) return s;
  } catch (const std::exception&) {
  }
  throw std::runtime_error(where + ": expected seconds (0 to 600), got \"" + w + "\"");
}

// Number-pad keys for a value as a person types it: "7,5" → key7 key, key5.
std::vector<std::string> keys_for(double value) {
  std::string text =
      std::abs(value - std::round(value)) < 1e-9 ? fmt::format("{}", std::llround(value)) : fmt::format("{:g}", value);
  std::vector<std::string> keys;
  for (char c : text) keys.push_back(std::string("key") + (c == '.' ? ',' : c));
  return keys;
}

// A staff page as drive files name it (expect staff PAGE).
std::string_view staff_page_name(staff::Page page) {
  static const char* const kPages[] = {"closed", "pin", "clinician", "technician", "override"};
  return kPages[static_cast<int>(page)];
}

}  // namespace

InputDriver::InputDriver(const std::filesystem::path& file, std::filesystem::path shots_dir)
    : dir_(file.parent_path()), shots_dir_(std::move(shots_dir)) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot read the drive file");
  static const std::map<std::string, std::pair<std::size_t, std::size_t>> arity{
      {"tap", {2, 2}},    {"type", {2, 2}}, {"hold-corner", {2, 2}}, {"pilot", {4, 5}},
      {"expect", {2, 7}}, {"idle", {2, 2}}, {"shot", {2, 2}},        {"absent", {2, 2}}};
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    text = text.substr(0, text.find('#'));
    std::istringstream words(text);
    Command c{line, {}};
    for (std::string w; words >> w;) c.words.push_back(w);
    if (c.words.empty()) continue;
    const std::string where = fmt::format("{}:{}", file.string(), line);
    const auto known = arity.find(c.words[0]);
    if (known == arity.end()) throw std::runtime_error(where + ": unknown command \"" + c.words[0] + "\"");
    if (c.words.size() < known->second.first || c.words.size() > known->second.second)
      throw std::runtime_error(where + ": wrong number of words for \"" + c.words[0] + "\"");
    if (c.words[0] == "hold-corner" || c.words[0] == "idle") seconds_word(c.words[1], where);
    if (c.words[0] == "pilot" && c.words[2] != "until") throw std::runtime_error(where + ": pilot ANSWERS until STAGE");
    commands_.push_back(std::move(c));
  }
}

bool InputDriver::fail(const std::string& why) {
  problem_ = fmt::format("drive line {}: {}", commands_[next_].line, why);
  return false;
}

void InputDriver::push_button(Window& window, bool down, float x, float y) {
  SDL_Event e{};
  e.type = down ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
  e.button.windowID = window.sdl_window_id();
  e.button.button = SDL_BUTTON_LEFT;
  e.button.state = down ? SDL_PRESSED : SDL_RELEASED;
  e.button.clicks = 1;
  e.button.x = static_cast<int>(x);
  e.button.y = static_cast<int>(y);
  SDL_PushEvent(&e);
  window.inject_pointer(Window::Pointer{x, y, down});
}

void InputDriver::move_pointer(Window& window, float x, float y, bool down) {
  SDL_Event move{};
  move.type = SDL_MOUSEMOTION;
  move.motion.windowID = window.sdl_window_id();
  move.motion.x = static_cast<int>(x);
  move.motion.y = static_cast<int>(y);
  SDL_PushEvent(&move);
  window.inject_pointer(Window::Pointer{x, y, down});
}

bool InputDriver::press_pending(Window& window, const journey::Journey& journey, Clock::time_point now) {
  switch (press_) {
    case Press::none: {
      const auto target = find_target(pending_.front());
      if (!target) {
        if (!looking_since_) looking_since_ = now;  // this tap's own 10 s, not its command's (a pilot runs for minutes)
        if (now - *looking_since_ > std::chrono::seconds(10)) {
          fail(fmt::format("no button \"{}\" on the {} screen (there are: {})", pending_.front(),
                           journey::to_string(journey.stage()), fmt::join(target_ids(), " ")));
          pending_.clear();
          looking_since_.reset();
        } else if (const ScrollRoom room = scroll_room(); room.below > 1 || room.above > 1) {
          drag_up_ = room.below > 1;  // to what is below the edge first, as a reader would
          drag_in_ = room.window;
          press_ = Press::drag;
          settle_frames_ = 0;
        }
        return false;
      }
      looking_since_.reset();
      x_ = target->cx();
      y_ = target->cy();
      move_pointer(window, x_, y_, false);
      press_ = Press::aim;
      return false;
    }
    case Press::aim:
      push_button(window, true, x_, y_);
      press_ = Press::down;
      return false;
    case Press::down:
      push_button(window, false, x_, y_);
      press_ = Press::settle;
      settle_frames_ = 2;
      return false;
    case Press::settle:
      if (--settle_frames_ > 0) return false;
      press_ = Press::none;
      pending_.pop_front();
      return pending_.empty();
    case Press::drag:
      if (drag_page(window)) press_ = Press::none;
      return false;
  }
  return false;
}

bool InputDriver::drag_page(Window& window) {
  constexpr int kSteps = 6;  // frames of movement, each a few pixels: ImGui sees a drag, not a tap
  const float h = drag_in_.y1 - drag_in_.y0, x = drag_in_.x0 + 6;  // its left edge: a margin or words
  float from = drag_in_.y0 + h * 0.7f;
  for (const float at : {0.7f, 0.5f, 0.85f, 0.35f}) {  // a finger on a button would press it, not drag
    from = drag_in_.y0 + h * at;
    const auto& all = targets();
    if (std::none_of(all.begin(), all.end(), [&](const auto& t) {
          const TargetRect& r = t.second;
          return x >= r.x0 && x <= r.x1 && from >= r.y0 && from <= r.y1;
        }))
      break;
  }
  const float sign = drag_up_ ? -1.0f : 1.0f;
  const float y = from + sign * h * 0.3f * static_cast<float>(settle_frames_) / kSteps;
  if (settle_frames_ == 0) {
    push_button(window, true, x, from);
  } else if (settle_frames_ <= kSteps) {
    move_pointer(window, x, y, true);
  } else {
    push_button(window, false, x, y);
    settle_frames_ = 0;
    return true;
  }
  ++settle_frames_;
  return false;
}

std::vector<std::string> InputDriver::taps_for(const PilotAction& a, const journey::Journey& j) const {
  std::vector<std::string> taps;
  const auto add_number = [&](double v) {
    for (auto& k : keys_for(v)) taps.push_back(std::move(k));
    taps.push_back("pad_ok");
  };
  switch (a.kind) {
    case PilotAction::choose_language:
      taps.push_back(std::get<std::string>(a.value));
      break;
    case PilotAction::accept_welcome: {
      const auto& code = std::get<std::string>(a.value);
      if (code.empty()) {
        taps.push_back("go");
      } else {
        taps.push_back("code");
        for (char c : code) taps.push_back(std::string("key") + c);
        taps.push_back("pad_ok");
      }
      break;
    }
    case PilotAction::answer: {
      const auto kind = j.step()->kind;
      const auto* word = std::get_if<std::string>(&a.value);
      const auto* yes = std::get_if<bool>(&a.value);
      const auto* tries = std::get_if<std::vector<double>>(&a.value);
      if (kind == script::StepKind::confirm)  // answers files say true/false or "yes"/"no"
        taps.push_back((yes && *yes) || (word && *word == "yes") ? "yesno0" : "yesno1");
      else if (kind == script::StepKind::choose && word)
        taps.push_back(*word);
      else if (tries && !tries->empty())
        add_number(tries->front());
      else if (const auto* x = std::get_if<double>(&a.value))
        add_number(*x);
      break;
    }
    case PilotAction::attempts:
      for (double v : std::get<std::vector<double>>(a.value)) add_number(v);
      if (a.finish_attempts) taps.push_back("enough");
      break;
    case PilotAction::start_capture:
      taps.push_back("start");
      break;
    case PilotAction::finish_capture:
      taps.push_back("capture_done");
      break;
    case PilotAction::wait:
      break;
    case PilotAction::next:
      if (j.stage() == Stage::results)
        taps.push_back("results_next");
      else if (j.stage() != Stage::step)
        taps.push_back("done");
      else if (j.step()->kind == script::StepKind::metronome)
        taps.push_back("metronome_done");
      else if (j.step()->kind != script::StepKind::countdown)
        taps.push_back("next");  // a countdown ends by itself
      break;
  }
  return taps;
}

namespace {

// "10..20" → {10, 20}.
std::optional<std::pair<double, double>> range_of(std::string_view text) {
  const auto dots = text.find("..");
  if (dots == std::string_view::npos) return std::nullopt;
  try {
    return std::pair{std::stod(std::string(text.substr(0, dots))), std::stod(std::string(text.substr(dots + 2)))};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// expect chart TEST scale=LO..HI [zone=A..B|zone=none] [left=V] [right=V]: the
// last frame drew TEST's chart with each given number where the scale puts it
// (within 1.5 px), and every label inside the list.
bool chart_drawn_as(const std::vector<std::string>& w) {
  const auto& charts = drawn_charts();
  const auto chart = std::find_if(charts.begin(), charts.end(), [&](const DrawnChart& c) { return c.test == w[2]; });
  if (chart == charts.end() || !chart->labels_inside) return false;
  std::optional<std::pair<double, double>> scale;
  for (std::size_t i = 3; i < w.size(); ++i)
    if (w[i].starts_with("scale=")) scale = range_of(std::string_view(w[i]).substr(6));
  if (!scale || scale->second <= scale->first) return false;
  const float width = chart->scale_x1 - chart->scale_x0;
  auto near = [&](std::optional<float> x, double v) {
    const double want = chart->scale_x0 + (v - scale->first) / (scale->second - scale->first) * width;
    return x && std::abs(*x - want) <= 1.5;
  };
  for (std::size_t i = 3; i < w.size(); ++i) {
    const std::string_view word = w[i];
    const auto eq = word.find('=');
    if (eq == std::string_view::npos) return false;
    const auto key = word.substr(0, eq), value = word.substr(eq + 1);
    if (key == "zone" && value == "none") {
      if (chart->zone) return false;
    } else if (key == "zone") {
      const auto zone = range_of(value);
      if (!zone || !chart->zone || !near(chart->zone->first, zone->first) || !near(chart->zone->second, zone->second))
        return false;
    } else if (key == "left" || key == "right") {
      if (!near(key == "left" ? chart->left_x : chart->right_x, std::stod(std::string(value)))) return false;
    } else if (key != "scale") {
      return false;
    }
  }
  return true;
}

// expect since TEST none | expect since TEST [left=better|worse|same] [right=...]:
// the last frame drew TEST's "since last time" line with those changes (none: no line).
bool since_drawn_as(const std::vector<std::string>& w) {
  const auto& charts = drawn_charts();
  const auto chart = std::find_if(charts.begin(), charts.end(), [&](const DrawnChart& c) { return c.test == w[2]; });
  if (chart == charts.end()) return false;
  if (w.size() == 4 && w[3] == "none") return !chart->since_shown;
  if (!chart->since_shown || w.size() < 4) return false;
  for (std::size_t i = 3; i < w.size(); ++i) {
    const std::string_view word = w[i];
    const auto eq = word.find('=');
    if (eq == std::string_view::npos) return false;
    const auto key = word.substr(0, eq), value = word.substr(eq + 1);
    if (key != "left" && key != "right") return false;
    if ((key == "left" ? chart->since_left : chart->since_right) != value) return false;
  }
  return true;
}

}  // namespace

bool InputDriver::expectation_met(const Command& c, const journey::Journey& j, const staff::StaffDesk* desk) const {
  const auto& w = c.words;
  const std::string what = w[1], value = w.size() > 2 ? w[2] : "";
  if (what == "stage") return journey::to_string(j.stage()) == value;
  if (what == "step")
    return j.step() && script::to_string(j.step()->kind) == value &&
           (w.size() < 4 || (j.script_info() && j.script_info()->id == w[3]));
  if (what == "capture") {
    static const char* const names[] = {"ready", "counting_in", "live", "ended"};
    return j.step() && j.step()->kind == script::StepKind::capture &&
           names[static_cast<int>(j.capture_phase())] == value;
  }
  if (what == "plate") return j.plate_available() == (value == "yes");
  if (what == "safety") return safety::to_string(j.safety().state()) == value;
  if (what == "still-there") return j.asking_still_there();
  if (what == "chart") return chart_drawn_as(w);
  if (what == "since") return since_drawn_as(w);
  if (what == "large-text") {  // the body font is drawn larger than the layout's 32 units
    const ImGuiIO& io = ImGui::GetIO();
    const ImVec2 size = ImGui::GetMainViewport()->Size;
    const float body_px = io.Fonts->Fonts.empty() ? 0 : io.Fonts->Fonts[0]->FontSize * io.FontGlobalScale;
    const float normal_px = 32 * layout_scale(static_cast<int>(size.x), static_cast<int>(size.y));
    return (body_px > normal_px * 1.15f) == (value == "yes");
  }
  if (!desk) return false;
  if (what == "staff") return staff_page_name(desk->page()) == value;
  if (what == "staff-locked") return desk->locked_for(Clock::now()).has_value();
  if (what == "staff-sessions") return std::to_string(desk->today().size()) == value;
  if (what == "staff-history")  // expect staff-history CODE VISITS: the clinician's charts of CODE over VISITS visits
    return w.size() > 3 && desk->history_code() == value && !desk->history().empty() &&
           std::to_string(desk->history().front().points.size()) == w[3];
  if (what == "plugin") {  // expect plugin ID running|restarting|quarantined
    const std::string state = w.size() > 3 ? w[3] : "running";
    for (const auto& st : desk->plugin_problems())
      if (st.id == value) return plates::to_string(st.state) == state;
    return state == "running";
  }
  if (what == "fhir-queue")
    return w.size() > 3 && std::to_string(desk->outbox().pending) == value &&
           std::to_string(desk->outbox().parked) == w[3];
  return false;
}

bool InputDriver::run_command(Window& window, journey::Journey& j, const staff::StaffDesk* desk,
                              Clock::time_point now) {
  const auto& c = commands_[next_];
  const auto& verb = c.words[0];
  const double elapsed = std::chrono::duration<double>(now - *since_).count();
  if (!pending_.empty()) return press_pending(window, j, now) && verb != "pilot";  // a pilot goes on
  if (verb == "tap") {
    pending_.push_back(c.words[1]);
    return false;
  }
  if (verb == "type") {
    for (char k : c.words[1]) pending_.push_back(std::string("key") + k);
    return false;
  }
  if (verb == "shot") {
    std::filesystem::create_directories(shots_dir_);
    const auto file = shots_dir_ / (c.words[1] + ".png");
    if (!write_png(file, window.read_back_buffer())) return fail("cannot write " + file.string());
    return true;
  }
  if (verb == "idle") return elapsed >= std::stod(c.words[1]);
  if (verb == "absent") {  // no button of this id was drawn (e.g. no Back on "please speak to our team")
    if (!find_target(c.words[1])) return true;
    return fail(fmt::format("button \"{}\" is on screen at {}", c.words[1], journey::to_string(j.stage())));
  }
  if (verb == "hold-corner") {
    constexpr float kAt = 8;  // window pixels from the top-left
    if (press_ == Press::none) {
      push_button(window, true, kAt, kAt);
      press_ = Press::down;
      return false;
    }
    if (elapsed < std::stod(c.words[1])) return false;
    push_button(window, false, kAt, kAt);
    press_ = Press::none;
    return true;
  }
  if (verb == "expect") {
    if (expectation_met(c, j, desk)) return true;
    if (now - *since_ > kCommandLimit)
      fail(fmt::format("expected {} but the journey is at {}{}", fmt::join(c.words.begin() + 1, c.words.end(), " "),
                       journey::to_string(j.stage()),
                       j.step() ? fmt::format(" (step {})", script::to_string(j.step()->kind)) : std::string()));
    return false;
  }
  // pilot ANSWERS until STAGE
  if (!pilot_) {
    try {
      pilot_ = std::make_unique<journey::Autopilot>(script::AnswerBook::read(dir_ / c.words[1]));
    } catch (const std::exception& e) {  // names the file: cannot open, not JSON, not an object
      return fail(e.what());
    }
  }
  const bool live = j.step() && j.step()->kind == script::StepKind::capture &&
                    j.capture_phase() == journey::CapturePhase::live &&
                    (c.words.size() < 5 || (j.script_info() && j.script_info()->id == c.words[4]));
  pilot_saw_no_capture_ = pilot_saw_no_capture_ || !live;
  if (journey::to_string(j.stage()) == c.words[3] || (c.words[3] == "live" && live) ||
      (c.words[3] == "next-live" && live && pilot_saw_no_capture_)) {
    pilot_.reset();
    pilot_saw_no_capture_ = false;
    return true;
  }
  if (now - *since_ > kPilotLimit) return fail("the pilot did not reach " + c.words[3] + " in time");
  const auto action = pilot_->decide(j);
  if (!action) return fail("the pilot cannot go on: " + pilot_->problem());
  for (auto& tap : taps_for(*action, j)) pending_.push_back(std::move(tap));
  return false;
}

void InputDriver::check_frame(const Window& window, const journey::Journey& journey, const staff::StaffDesk* desk) {
  const std::string screen = desk && desk->is_open() ? fmt::format("staff {}", staff_page_name(desk->page()))
                                                     : std::string(journey::to_string(journey.stage()));
  if (const auto clipped = clipped_labels(); !clipped.empty())
    fail(fmt::format("on the {} screen a label does not fit its button: {}", screen, fmt::join(clipped, "; ")));
  const double min_px = kMinTouchTarget_mm * px_per_mm(window.width(), window.height());
  const ImVec2 extra = ImGui::GetStyle().TouchExtraPadding;  // ImGui takes a touch this far outside the drawn button
  for (const auto& [id, r] : targets()) {
    const double side = std::min(r.x1 - r.x0 + 2 * extra.x, r.y1 - r.y0 + 2 * extra.y);
    if (side + 0.5 < min_px)
      fail(fmt::format(
          "on the {} screen the button {} is {:.1f} mm ({:.0f} px), under {} mm on this screen "
          "({:.2f} px/mm)",
          screen, id, side / (min_px / kMinTouchTarget_mm), side, kMinTouchTarget_mm, min_px / kMinTouchTarget_mm));
  }
}

InputDriver::Status InputDriver::after_frame(Window& window, FramePacer&, journey::Journey& journey,
                                             const staff::StaffDesk* desk, Clock::time_point now) {
  window.finish_drawing();  // the frame is complete before the driver looks at it
  if (!problem_.empty()) return Status::failed;
  if (next_ >= commands_.size()) {
    window.inject_pointer(std::nullopt);
    return Status::done;
  }
  check_frame(window, journey, desk);  // the patient's screens and the staff pages alike
  if (!problem_.empty()) {
    log::get("ui")->error("{}", problem_);
    return Status::failed;
  }
  if (!since_) since_ = now;
  bool done = false;
  try {
    done = run_command(window, journey, desk, now);
  } catch (const std::exception& e) {  // an answers file that does not fit the step, say
    fail(e.what());
  }
  if (done) {
    log::get("ui")->info("drive: line {} done: {}", commands_[next_].line, fmt::join(commands_[next_].words, " "));
    ++next_;
    since_.reset();
  }
  if (!problem_.empty()) {
    log::get("ui")->error("{}", problem_);
    return Status::failed;
  }
  return Status::running;
}

}  // namespace kiosk::ui
