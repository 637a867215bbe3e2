#include "ui/screens/staff_screens.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <optional>

#include "core/safety/session_safety.h"
#include "core/version.h"
#include "ui/screens/calibration_screen.h"
#include "ui/sound.h"
#include "ui/theme.h"
#include "ui/touch_targets.h"

namespace kiosk::ui {
namespace {
using staff::Page;

// A row button in a table: finger-sized (at least 15 mm each way on this screen), unique per row.
bool row_button(const ScreenContext& ctx, std::string_view label, std::string_view id) {
  const std::string full = std::string(label) + "##" + std::string(id);
  const float finger = min_target_px();
  const float label_w = ImGui::CalcTextSize(label.data(), label.data() + label.size()).x;
  const ImVec2 size{std::max(label_w + 2 * ImGui::GetStyle().FramePadding.x, finger), std::max(72 * ctx.scale, finger)};
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  const bool pressed = ImGui::Button(full.c_str(), size);
  note_target(id, label);
  ImGui::PopStyleColor();
  return pressed;
}

// Table columns from text keys: the first one stretches most (names), "" is the buttons' column.
void columns(const ScreenContext& ctx, std::initializer_list<const char*> keys) {
  bool first = true;
  for (const auto* key : keys) {
    ImGui::TableSetupColumn(*key ? ctx.tr(key).data() : "", ImGuiTableColumnFlags_WidthStretch, first ? 3.0f : 1.5f);
    first = false;
  }
  ImGui::TableHeadersRow();
}

void section(const ScreenContext& ctx, std::string_view title) {
  vertical_space(ctx, 16);
  ImGui::PushFont(ctx.fonts.title);
  ImGui::TextUnformatted(title.data(), title.data() + title.size());
  ImGui::PopFont();
}

// Wrapped at the window's or the table cell's edge: nothing is cut off on a small screen.
void text_line(std::string_view text, const float (&colour)[4] = palette::kText) {
  ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(colour));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void draw_pin(ScreenContext& ctx, staff::StaffDesk& desk, StaffUiState& ui) {
  begin_page("staff-pin");
  if (top_bar(ctx, true, false).back) {
    desk.close("pin pad left");
    ui = {};
    end_page();
    return;
  }
  if (!desk.pin_configured() || desk.locked_for(ctx.now)) title_text(ctx, ctx.tr("staff.pin_title"));
  if (!desk.pin_configured()) {
    vertical_space(ctx, 40);
    body_text(ctx, ctx.tr("staff.pin_not_set"));
  } else if (const auto locked = desk.locked_for(ctx.now)) {
    vertical_space(ctx, 40);
    body_text(ctx, fill(ctx.tr("staff.pin_locked"), "n", std::to_string(locked->count())));
    ctx.pacer.request_frame_at(ctx.now + std::chrono::seconds(1));  // the count moves
    ui.pin = {};
  } else {
    const auto heading = [&] {  // the PIN itself is never shown: a star a digit
      title_text(ctx, ctx.tr("staff.pin_title"));
      centred_text(ctx.fonts.huge,
                   ui.pin.digits.empty() ? std::string("–") : std::string(ui.pin.digits.size() * 2, '*'),
                   ImGui::GetContentRegionAvail().x, palette::kPrimary);
      if (!ui.message.empty()) body_text(ctx, ui.message, true);
    };
    if (headed_number_pad(ctx, ui.pin, false, false, heading)) {
      const auto result = desk.enter_pin(ui.pin.digits, ctx.now);
      ui.message = result == StaffGate::Result::wrong ? std::string(ctx.tr("staff.pin_wrong")) : std::string();
      if (result == StaffGate::Result::wrong) {
        ui.message = fill(ui.message, "n", std::to_string(desk.tries_left()));
      }
      ui.pin = {};
    }
  }
  end_page();
}

// Clinician | Technician | Close.
void page_tabs(ScreenContext& ctx, staff::StaffDesk& desk, StaffUiState& ui) {
  const std::vector<std::string> labels{std::string(ctx.tr("staff.clinician")), std::string(ctx.tr("staff.technician")),
                                        std::string(ctx.tr("staff.close"))};
  if (const auto pressed = button_row(ctx, labels, "staff-tabs", {}, 200)) {  // one row even at 800x480
    if (*pressed == 0) desk.show(Page::clinician);
    if (*pressed == 1) desk.show(Page::technician);
    if (*pressed == 2) {
      desk.close("closed by staff");
      ui = {};
    }
  }
}

void draw_print_status(ScreenContext& ctx, const staff::StaffDesk& desk) {
  if (const auto st = desk.print_progress()) {
    text_line(fmt::format(fmt::runtime(std::string(ctx.tr("staff.printing"))), fmt::arg("what", desk.print_what()),
                          fmt::arg("state", handout::to_string(st->state)), fmt::arg("detail", st->detail)),
              st->state == handout::PrintState::failed ? palette::kAccent : palette::kMuted);
    if (!st->finished()) ctx.pacer.request_frame_at(ctx.now + std::chrono::milliseconds(250));
  }
}

void draw_sessions(ScreenContext& ctx, staff::StaffDesk& desk) {
  section(ctx, ctx.tr("staff.today"));
  if (desk.today().empty()) {
    text_line(ctx.tr("staff.no_sessions"), palette::kMuted);
    return;
  }
  if (!ImGui::BeginTable("sessions", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) return;
  columns(ctx, {"staff.col_time", "staff.col_code", "staff.col_outcome", "staff.col_print", ""});
  for (const auto& s : desk.today()) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    text_line(s.ended_at.substr(0, std::min<std::size_t>(s.ended_at.size(), 16)));
    ImGui::TableNextColumn();
    text_line(s.visit_code.empty() ? "–" : s.visit_code);
    ImGui::TableNextColumn();
    text_line(s.outcome);
    ImGui::TableNextColumn();
    text_line(s.print_status);
    ImGui::TableNextColumn();
    if (s.has_handout && row_button(ctx, ctx.tr("staff.reprint"), fmt::format("reprint{}", s.id))) desk.reprint(s.id);
  }
  ImGui::EndTable();
}

// One measure's values per visit: dates along, the left side a dot, the right a square.
void draw_series(ScreenContext& ctx, const staff::VisitSeries& s) {
  text_line(fmt::format("{} ({})", s.title, s.unit));
  const float line = ImGui::GetTextLineHeight(), r = 6 * ctx.scale;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const float w = std::min(ImGui::GetContentRegionAvail().x, 900 * ctx.scale), h = 110 * ctx.scale;
  const float x0 = o.x + 4 * line, x1 = o.x + w - 3 * line, y0 = o.y + r, y1 = o.y + h - r;
  auto* dl = ImGui::GetWindowDrawList();
  const ImU32 muted = to_u32(palette::kMuted);
  dl->AddLine({x0, y1}, {x1, y1}, muted);
  dl->AddText({o.x, y0 - line / 2}, muted, handout::number_text(s.scale_max).c_str());
  dl->AddText({o.x, y1 - line / 2}, muted, handout::number_text(s.scale_min).c_str());
  const auto n = s.points.size();
  auto x_of = [&](std::size_t i) { return n < 2 ? (x0 + x1) / 2 : x0 + (x1 - x0) * float(i) / float(n - 1); };
  auto y_of = [&](double v) {
    const double span = s.scale_max - s.scale_min;
    return y1 - (span > 0 ? float((v - s.scale_min) / span) : 0.f) * (y1 - y0);
  };
  for (int side = 0; side < 2; ++side) {
    const ImU32 colour = side == 0 ? to_u32(palette::kPrimary) : to_u32(palette::kText);
    std::optional<ImVec2> last;
    for (std::size_t i = 0; i < n; ++i) {
      const auto v = side == 0 ? s.points[i].left : s.points[i].right;
      if (!v) continue;
      const ImVec2 at{x_of(i), y_of(*v)};
      if (last) dl->AddLine(*last, at, colour, 2 * ctx.scale);
      if (side == 0)
        dl->AddCircleFilled(at, r, colour);
      else
        dl->AddRectFilled({at.x - r, at.y - r}, {at.x + r, at.y + r}, colour);
      last = at;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {  // each visit's date under its place
    const auto& d = s.points[i].date;
    const float tw = ImGui::CalcTextSize(d.c_str()).x;
    dl->AddText({std::clamp(x_of(i) - tw / 2, o.x, o.x + w - tw), y1 + r}, muted, d.c_str());
  }
  ImGui::Dummy({w, h + line + r});
}

// A visit code's stored visits within retention: one small chart per measure.
void draw_history(ScreenContext& ctx, staff::StaffDesk& desk, StaffUiState& ui) {
  if (ui.show_history) {  // the charts just asked for, at the top of the page
    ImGui::SetScrollHereY(0.0f);
    ui.show_history = false;
  }
  section(ctx, ctx.tr("staff.history"));
  if (row_button(ctx, ctx.tr("staff.history_look_up"), "history_look_up")) {
    ui.visit_code = {};
    ui.entering_code = true;
  }
  if (desk.history_code().empty()) return;
  if (desk.history().empty()) {
    text_line(fill(ctx.tr("staff.history_none"), "code", desk.history_code()), palette::kMuted);
    return;
  }
  text_line(fill(ctx.tr("staff.history_for"), "code", desk.history_code()));
  text_line(ctx.tr("staff.history_legend"), palette::kMuted);
  for (const auto& s : desk.history()) draw_series(ctx, s);
}

// The clinician types a visit code on the pad (a code of digits, as reception gives them).
void draw_code_pad(ScreenContext& ctx, staff::StaffDesk& desk, StaffUiState& ui) {
  const auto heading = [&] {
    title_text(ctx, ctx.tr("staff.history_code"));
    centred_text(ctx.fonts.huge, ui.visit_code.digits.empty() ? std::string("–") : ui.visit_code.digits,
                 ImGui::GetContentRegionAvail().x, palette::kPrimary);
    if (row_button(ctx, ctx.tr("staff.history_cancel"), "history_cancel")) ui.entering_code = false;
  };
  if (headed_number_pad(ctx, ui.visit_code, false, false, heading)) {
    desk.show_visit_history(ui.visit_code.digits);
    ui.entering_code = false;
    ui.show_history = true;
  }
}

// The outbox to the clinic's FHIR server: counts, the last problem, sessions the server refused.
void draw_outbox(ScreenContext& ctx, staff::StaffDesk& desk) {
  const auto& q = desk.outbox();
  section(ctx, ctx.tr("staff.fhir"));
  if (!q.server_configured) text_line(ctx.tr("staff.fhir_off"), palette::kMuted);
  text_line(fmt::format(fmt::runtime(std::string(ctx.tr("staff.fhir_counts"))), fmt::arg("pending", q.pending),
                        fmt::arg("parked", q.parked), fmt::arg("sent", q.sent)));
  const auto minute = [](const std::string& at) { return at.substr(0, std::min<std::size_t>(at.size(), 16)); };
  if (!q.last_sent_at.empty())
    text_line(fill(ctx.tr("staff.fhir_last_sent"), "at", minute(q.last_sent_at)), palette::kMuted);
  if (!q.last_error.empty()) {
    ImGui::PushTextWrapPos(0);
    text_line(fmt::format(fmt::runtime(std::string(ctx.tr("staff.fhir_error"))),
                          fmt::arg("at", minute(q.last_error_at)), fmt::arg("error", q.last_error)),
              palette::kAccent);
    ImGui::PopTextWrapPos();
    if (q.pending > 0 && !q.next_attempt_at.empty())
      text_line(fill(ctx.tr("staff.fhir_next"), "at", q.next_attempt_at.substr(0, 19)), palette::kMuted);
  }
  if (q.parked_items.empty()) return;
  text_line(ctx.tr("staff.fhir_parked"), palette::kAccent);
  if (!ImGui::BeginTable("parked", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) return;
  columns(ctx, {"staff.col_reason", "staff.col_session", "", ""});  // the server's words get the room
  std::optional<std::int64_t> retry, drop;  // acted on after the table: acting re-reads the rows drawn here
  for (const auto& p : q.parked_items) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::PushTextWrapPos(0);
    text_line(p.reason);
    ImGui::PopTextWrapPos();
    ImGui::TableNextColumn();
    text_line(std::to_string(p.session_id));
    ImGui::TableNextColumn();
    if (row_button(ctx, ctx.tr("staff.fhir_retry"), fmt::format("fhir_retry{}", p.session_id))) retry = p.session_id;
    ImGui::TableNextColumn();
    if (row_button(ctx, ctx.tr("staff.fhir_drop"), fmt::format("fhir_drop{}", p.session_id))) drop = p.session_id;
  }
  ImGui::EndTable();
  if (retry) desk.retry_sending(*retry);
  if (drop) desk.drop_sending(*drop);
}

void draw_scripts(ScreenContext& ctx, staff::StaffDesk& desk) {
  section(ctx, ctx.tr("staff.scripts"));
  if (row_button(ctx, ctx.tr("staff.reload"), "reload")) desk.reload_scripts();
  if (!ImGui::BeginTable("scripts", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) return;
  columns(ctx, {"staff.col_script", "staff.col_kind", "staff.col_version", "staff.col_state", ""});
  for (const auto& s : desk.scripts()) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    text_line(s.title.empty() ? s.id : fmt::format("{} ({})", s.title, s.id));
    ImGui::TableNextColumn();
    text_line(s.kind);
    ImGui::TableNextColumn();
    text_line(s.version);
    ImGui::TableNextColumn();
    if (!s.problems.empty()) {
      ImGui::PushTextWrapPos(0);
      for (const auto& p : s.problems) text_line(p, palette::kAccent);
      ImGui::PopTextWrapPos();
    } else {
      text_line(s.switched_off ? ctx.tr("staff.script_off") : ctx.tr("staff.script_ok"),
                s.switched_off ? palette::kMuted : palette::kText);
    }
    ImGui::TableNextColumn();
    if (s.problems.empty() && s.kind == "test" &&
        row_button(ctx, s.switched_off ? ctx.tr("staff.switch_on") : ctx.tr("staff.switch_off"), "sw" + s.id))
      desk.switch_test(s.id, !s.switched_off);
  }
  ImGui::EndTable();
}

// Each cell's raw counts over the last seconds, one line per cell.
void draw_raw(ScreenContext& ctx, const staff::RawWatch& w) {
  if (!w.problem().empty()) text_line(w.problem(), palette::kAccent);
  const auto st = w.stats();
  text_line(
      fmt::format(fmt::runtime(std::string(ctx.tr("staff.live_stats"))), fmt::arg("rate", w.rate_hz()),
                  fmt::arg("received", st.received), fmt::arg("lost", st.lost), fmt::arg("dropped", st.ring_dropped)),
      palette::kMuted);
  std::vector<float> values(w.history().size());
  for (std::size_t c = 0; c < w.cell_count(); ++c) {
    std::transform(w.history().begin(), w.history().end(), values.begin(),
                   [c](const auto& p) { return static_cast<float>(p[c]); });
    const std::string label = fmt::format("c{}  {:.0f}", c, w.latest()[c]);
    ImGui::PlotLines(label.c_str(), values.data(), static_cast<int>(values.size()), 0, nullptr, FLT_MAX, FLT_MAX,
                     {ImGui::GetContentRegionAvail().x * 0.75f, 70 * ctx.scale});
  }
  ctx.pacer.request_frame_at(ctx.now + std::chrono::milliseconds(33));  // live: ~30 frames a second
}

// A plate's calibration in the clinic's words: in force (days left), none, expired, or its check failed.
std::string calibration_text(const ScreenContext& ctx, const calibration::PlateStatus& st) {
  using calibration::PlateState;
  switch (st.state) {
    case PlateState::calibrated:
      return fill(ctx.tr("calibration.state_calibrated"), "days", std::to_string(st.days_left));
    case PlateState::uncalibrated:
      return std::string(ctx.tr("calibration.state_uncalibrated"));
    case PlateState::expired:
      return fill(ctx.tr("calibration.state_expired"), "date",
                  st.expires_at.substr(0, std::min<std::size_t>(10, st.expires_at.size())));
    default:
      return std::string(ctx.tr("calibration.state_check_failed"));
  }
}

void draw_plates(ScreenContext& ctx, staff::StaffDesk& desk) {
  section(ctx, ctx.tr("staff.plates"));
  const auto plates = desk.plates();
  if (plates.empty())
    text_line(ctx.tr("staff.no_plates"), palette::kMuted);
  else if (ImGui::BeginTable("plates", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
    columns(ctx, {"staff.col_plate", "staff.col_model", "staff.col_state", ""});
    for (const auto& p : plates) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      text_line(p.id);
      ImGui::TableNextColumn();
      text_line(p.model);
      if (p.battery_percent)
        text_line(fill(ctx.tr("staff.plate_battery"), "percent", std::to_string(*p.battery_percent)),
                  *p.battery_percent < 20 ? palette::kAccent : palette::kMuted);
      ImGui::TableNextColumn();
      ImGui::PushTextWrapPos(0);
      if (!p.present)
        text_line(ctx.tr(p.away ? "staff.plate_away" : "staff.plate_absent"), palette::kAccent);
      else
        text_line(calibration_text(ctx, p.calibration), p.calibration.usable() ? palette::kText : palette::kAccent);
      ImGui::PopTextWrapPos();
      ImGui::TableNextColumn();
      if (!p.present) continue;
      const bool watching = desk.watching() && desk.watching()->device_id() == p.id;
      if (row_button(ctx, watching ? ctx.tr("staff.stop_live") : ctx.tr("staff.live"), "live" + p.id))
        desk.watch(watching ? std::string() : p.id);
      if (row_button(ctx, ctx.tr("staff.calibrate"), "calibrate" + p.id)) desk.start_calibration(p.id, false);
      if (p.calibrated_before && row_button(ctx, ctx.tr("staff.check"), "check" + p.id))
        desk.start_calibration(p.id, true);
    }
    ImGui::EndTable();
  }
  if (const auto* w = desk.watching()) draw_raw(ctx, *w);
}

// Plate plugins whose host failed: why, the last lines of its log, and (quarantined) the way back.
void draw_plugin_problems(ScreenContext& ctx, staff::StaffDesk& desk) {
  const auto problems = desk.plugin_problems();
  if (problems.empty()) return;
  section(ctx, ctx.tr("staff.plugins"));
  for (const auto& p : problems) {
    const bool quarantined = p.state == plates::PluginStatus::State::quarantined;
    auto words = fill(ctx.tr(quarantined ? "staff.plugin_quarantined" : "staff.plugin_restarting"), "plugin", p.id);
    words = fill(fill(words, "failures", std::to_string(p.recent_failures)), "reason", p.last_failure);
    ImGui::PushTextWrapPos(0);
    text_line(words, palette::kAccent);
    ImGui::PopTextWrapPos();
    if (quarantined && row_button(ctx, ctx.tr("staff.reenable"), "reenable_" + p.id)) desk.reenable_plugin(p.id);
    const size_t from = p.log_tail.size() > 5 ? p.log_tail.size() - 5 : 0;
    for (size_t i = from; i < p.log_tail.size(); ++i) text_line("  " + p.log_tail[i], palette::kMuted);
  }
}

// The cues' loudness in steps of 10, for as long as the kiosk runs (kiosk.volume sets it at start).
void draw_volume(ScreenContext& ctx, staff::StaffDesk& desk) {
  if (!ctx.sound) return;
  section(ctx, ctx.tr("staff.volume"));
  const int volume = ctx.sound->volume();
  int wanted = volume;
  if (row_button(ctx, "-", "volume_down")) wanted = std::max(0, volume - 10);
  ImGui::SameLine();
  text_line(fmt::format(" {} % ", volume));
  ImGui::SameLine();
  if (row_button(ctx, "+", "volume_up")) wanted = std::min(100, volume + 10);
  if (wanted != volume) {
    ctx.sound->set_volume(wanted);
    ctx.sound->play("beat");  // hear it
    desk.note_volume(wanted);
  }
}

void draw_printer_and_log(ScreenContext& ctx, staff::StaffDesk& desk) {
  draw_volume(ctx, desk);
  section(ctx, ctx.tr("staff.printer"));
  text_line(ctx.config.printer.empty() ? "(PDF files in the data folder)" : ctx.config.printer, palette::kMuted);
  if (row_button(ctx, ctx.tr("staff.test_page"), "testpage")) {
    const std::string printer = ctx.config.printer.empty() ? "-" : ctx.config.printer;
    desk.print_test_page({std::string(ctx.tr("staff.test_page_title")),
                          fill(fill(ctx.tr("staff.test_page_line"), "printer", printer), "version", kProgramVersion),
                          std::string(ctx.tr("staff.test_page_ruler"))});
  }
  section(ctx, ctx.tr("staff.log"));
  ImGui::PushFont(ctx.fonts.body);
  ImGui::BeginChild("log", {0, 420 * ctx.scale}, true, ImGuiWindowFlags_HorizontalScrollbar);
  for (const auto& line : desk.log_tail()) ImGui::TextUnformatted(line.c_str());
  ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  ImGui::PopFont();
}

// Over a patient's "please speak to our team": let them go on, for a listed reason, or keep the stop.
void draw_override(ScreenContext& ctx, staff::StaffDesk& desk, StaffUiState& ui) {
  begin_page("staff-override");
  vertical_space(ctx, 20);
  title_text(ctx, fill(ctx.tr("staff.override_title"), "flag", desk.override_flag()));
  vertical_space(ctx, 10);
  body_text(ctx, ctx.tr("staff.override_body"));
  vertical_space(ctx, 20);
  for (const auto& reason : safety::override_reasons()) {
    if (big_button(ctx, ctx.tr("staff.override." + reason), "override_" + reason, 0.9f)) {
      desk.choose_override(reason);
      ui = {};
    }
    vertical_space(ctx, 8);
  }
  vertical_space(ctx, 12);
  ImGui::PushStyleColor(ImGuiCol_Button, to_vec4(palette::kMuted));
  if (big_button(ctx, ctx.tr("staff.override_keep"), "override_keep", 0.5f)) {
    desk.close("red flag kept");
    ui = {};
  }
  ImGui::PopStyleColor();
  end_page();
}

void draw_open(ScreenContext& ctx, staff::StaffDesk& desk, StaffUiState& ui) {
  begin_page("staff");
  page_tabs(ctx, desk, ui);
  if (!desk.is_open()) {
    end_page();
    return;
  }
  if (!desk.problem().empty()) text_line(desk.problem(), palette::kAccent);
  if (const auto why = desk.safety_problem(); !why.empty())
    text_line(fill(ctx.tr("staff.safety_banner"), "why", why), palette::kAccent);
  for (const auto& p : desk.plate_problems())
    text_line(fill(ctx.tr("staff.plate_banner"), "plate", p), palette::kAccent);
  draw_print_status(ctx, desk);
  if (auto* wizard = desk.wizard()) {  // the calibration takes the whole page while it runs
    const auto event = draw_calibration(ctx, *wizard);
    if (event == CalibrationUiEvent::accepted || event == CalibrationUiEvent::rejected)
      desk.finish_calibration(true, false);
    if (event == CalibrationUiEvent::closed) desk.finish_calibration(true, true);
    ctx.pacer.request_frame_at(ctx.now + std::chrono::milliseconds(33));  // live plots
    end_page();
    return;
  }
  if (desk.page() == Page::clinician && ui.entering_code) {  // the pad takes the page while a code is typed
    draw_code_pad(ctx, desk, ui);
    end_page();
    return;
  }
  ImGui::BeginChild("staff-body", {0, 0}, false);
  ImGui::PushFont(ctx.fonts.body);
  if (desk.page() == Page::clinician) {
    draw_outbox(ctx, desk);  // first: what the server refused needs staff
    draw_sessions(ctx, desk);
    draw_scripts(ctx, desk);
    draw_history(ctx, desk, ui);  // last: the page scrolls to it once a code is looked up
  } else {
    draw_plates(ctx, desk);
    draw_plugin_problems(ctx, desk);
    draw_printer_and_log(ctx, desk);
  }
  ImGui::PopFont();
  ImGui::EndChild();
  end_page();
}

}  // namespace

void draw_staff(ScreenContext& ctx, staff::StaffDesk& desk, StaffUiState& ui) {
  if (desk.page() == Page::pin)
    draw_pin(ctx, desk, ui);
  else if (desk.page() == Page::override_flag)
    draw_override(ctx, desk, ui);
  else if (desk.is_open())
    draw_open(ctx, desk, ui);
  // The staff session closes by itself after a while: look again each second.
  ctx.pacer.request_frame_at(ctx.now + std::chrono::seconds(1));
}

}  // namespace kiosk::ui
