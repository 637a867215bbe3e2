#include "ui/screens/calibration_screen.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "ui/theme.h"
#include "ui/widgets.h"

namespace kiosk::ui {
namespace {

using Phase = plates::CalibrationWizard::Phase;
constexpr float kCellColours[4][4] = {
    {0.02f, 0.35f, 0.53f, 1}, {0.93f, 0.55f, 0.18f, 1}, {0.20f, 0.55f, 0.25f, 1}, {0.60f, 0.20f, 0.55f, 1}};
constexpr float kGood[4] = {0.16f, 0.55f, 0.24f, 1};
constexpr float kBad[4] = {0.75f, 0.15f, 0.12f, 1};

std::string tr(const ScreenContext& ctx, std::string_view key) {
  return std::string(ctx.tr("calibration." + std::string(key)));
}

std::string number(double v) {
  return std::abs(v - std::round(v)) < 1e-9 ? fmt::format("{:.0f}", v) : fmt::format("{:.1f}", v);
}

// The plate from above (toes up the screen): every mark, the one to use large and in the accent colour.
void draw_plate(const ScreenContext& ctx, const plates::CalibrationWizard& w, float height) {
  const auto& d = w.device();
  const float hx = std::max(50.0f, std::abs(d.cell_x_mm[1])) * 1.15f,
              hy = std::max(50.0f, std::abs(d.cell_y_mm[0])) * 1.15f;
  const float h = height, wd = h * hx / hy;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 c{at.x + ImGui::GetContentRegionAvail().x * 0.5f, at.y + h * 0.5f};
  auto map = [&](double x, double y) {
    return ImVec2{c.x + static_cast<float>(x) / hx * wd * 0.5f, c.y - static_cast<float>(y) / hy * h * 0.5f};
  };
  auto* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(map(-hx, hy), map(hx, -hy), IM_COL32(255, 255, 255, 255), 12 * ctx.scale);
  dl->AddRect(map(-hx, hy), map(hx, -hy), to_u32(palette::kMuted), 12 * ctx.scale, 0, 3 * ctx.scale);
  for (std::size_t cell = 0; cell < 4; ++cell)  // the load cells, in their plot colours
    dl->AddRectFilled({map(d.cell_x_mm[cell], d.cell_y_mm[cell]).x - 10 * ctx.scale,
                       map(d.cell_x_mm[cell], d.cell_y_mm[cell]).y - 10 * ctx.scale},
                      {map(d.cell_x_mm[cell], d.cell_y_mm[cell]).x + 10 * ctx.scale,
                       map(d.cell_x_mm[cell], d.cell_y_mm[cell]).y + 10 * ctx.scale},
                      to_u32(kCellColours[cell]), 3 * ctx.scale);
  const bool placing = w.phase() == Phase::placing || w.phase() == Phase::lifting;
  const auto& marks = w.setup().marks;
  for (std::size_t i = 0; i < std::min(marks.size(), w.mark_count()); ++i) {
    const bool current = placing && i == w.mark_index();
    const bool done = i < w.record().placements.size();
    const ImVec2 p = map(marks[i].x_mm, marks[i].y_mm);
    const float r = (current ? 34 : 20) * ctx.scale;
    if (done)
      dl->AddCircleFilled(p, r, to_u32(kGood, 0.8f), 32);
    else
      dl->AddCircle(p, r, to_u32(current ? palette::kAccent : palette::kMuted), 32, (current ? 8 : 3) * ctx.scale);
    dl->AddLine({p.x - r * 0.5f, p.y}, {p.x + r * 0.5f, p.y}, to_u32(palette::kText), 2 * ctx.scale);
    dl->AddLine({p.x, p.y - r * 0.5f}, {p.x, p.y + r * 0.5f}, to_u32(palette::kText), 2 * ctx.scale);
  }
  ImGui::Dummy({wd, h});
}

// A horizontal bar 0..1 with a label in front.
void meter(const ScreenContext& ctx, std::string_view label, double value, const float (&colour)[4]) {
  ImGui::PushFont(ctx.fonts.body);
  ImGui::TextUnformatted(label.data(), label.data() + label.size());
  ImGui::PopFont();
  const float w = ImGui::GetContentRegionAvail().x, h = 34 * ctx.scale;
  const ImVec2 a = ImGui::GetCursorScreenPos();
  auto* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, {a.x + w, a.y + h}, IM_COL32(225, 230, 235, 255), h * 0.5f);
  dl->AddRectFilled(a, {a.x + w * std::clamp(static_cast<float>(value), 0.03f, 1.0f), a.y + h}, to_u32(colour),
                    h * 0.5f);
  ImGui::Dummy({w, h});
}

// Lines of a ring buffer (oldest at `next` when full), each scaled to the lines' common range.
void plot(const ScreenContext& ctx, std::string_view title, const plates::ChannelPlot& p,
          const std::vector<std::pair<const std::array<float, plates::ChannelPlot::kPoints>*, const float*>>& lines,
          float height) {
  ImGui::PushFont(ctx.fonts.body);
  ImGui::TextUnformatted(title.data(), title.data() + title.size());
  ImGui::PopFont();
  const float w = ImGui::GetContentRegionAvail().x, h = height;
  const ImVec2 a = ImGui::GetCursorScreenPos();
  auto* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, {a.x + w, a.y + h}, IM_COL32(255, 255, 255, 255), 6 * ctx.scale);
  dl->AddRect(a, {a.x + w, a.y + h}, to_u32(palette::kMuted, 0.4f), 6 * ctx.scale);
  float lo = INFINITY, hi = -INFINITY;
  for (const auto& [values, colour] : lines)
    for (std::size_t i = 0; i < p.size; ++i) {
      lo = std::min(lo, (*values)[i]);
      hi = std::max(hi, (*values)[i]);
    }
  if (p.size > 1 && hi > lo) {
    const float pad = (hi - lo) * 0.08f;
    lo -= pad;
    hi += pad;
    const std::size_t first = p.size == plates::ChannelPlot::kPoints ? p.next : 0;
    for (const auto& [values, colour] : lines) {
      std::vector<ImVec2> pts;
      pts.reserve(p.size);
      for (std::size_t i = 0; i < p.size; ++i) {
        const float v = (*values)[(first + i) % plates::ChannelPlot::kPoints];
        pts.push_back(
            {a.x + w * static_cast<float>(i) / (plates::ChannelPlot::kPoints - 1), a.y + h - (v - lo) / (hi - lo) * h});
      }
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()),
                      ImGui::GetColorU32(ImVec4(colour[0], colour[1], colour[2], 1)), 0, 3 * ctx.scale);
    }
  }
  ImGui::Dummy({w, h});
}

void results_table(const ScreenContext& ctx, const calibration::CalibrationRecord& r) {
  ImGui::PushFont(ctx.fonts.body);
  if (ImGui::BeginTable("calibration_results", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* key : {"col_mark", "col_force_error", "col_cop_error", "load", "col_ok"})
      ImGui::TableSetupColumn(tr(ctx, key).c_str());
    ImGui::TableHeadersRow();
    for (const auto& p : r.verification.placements) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(p.mark.name.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%+.2f %%", p.force_error_pct);
      ImGui::TableNextColumn();
      ImGui::Text("%.1f mm", p.cop_error_mm);
      ImGui::TableNextColumn();
      ImGui::Text("%.1f N", p.fz_n);
      ImGui::TableNextColumn();
      ImGui::TextColored(to_vec4(p.passed ? kGood : kBad), "%s", tr(ctx, p.passed ? "yes" : "no").c_str());
    }
    ImGui::EndTable();
  }
  const auto& v = r.verification;
  ImGui::TextWrapped(
      "%s", fmt::format("{} {:.2f} % · {:.1f} mm   {} ±{} % · {} mm", tr(ctx, "rms"), v.rms_force_pct, v.rms_cop_mm,
                        tr(ctx, "thresholds"), number(v.thresholds.force_pct), number(v.thresholds.cop_mm))
                .c_str());
  ImGui::PopFont();
  centred_text(ctx.fonts.title, tr(ctx, v.passed ? "result_pass" : "result_fail"), ImGui::GetContentRegionAvail().x,
               v.passed ? kGood : kBad);
}

std::string instruction(const ScreenContext& ctx, const plates::CalibrationWizard& w) {
  switch (w.phase()) {
    case Phase::zeroing:
      return tr(ctx, "step_zero");
    case Phase::placing: {
      auto text = fill(tr(ctx, "step_place"), "mass", number(w.setup().mass_kg));
      text = fill(text, "mark", w.target().name);
      text = fill(text, "n", std::to_string(w.mark_index() + 1));
      return fill(text, "of", std::to_string(w.mark_count()));
    }
    case Phase::lifting:
      return tr(ctx, "step_lift");
    default:
      return {};
  }
}

}  // namespace

CalibrationUiEvent draw_calibration(ScreenContext& ctx, plates::CalibrationWizard& w) {
  CalibrationUiEvent event = CalibrationUiEvent::none;
  const bool check = w.setup().kind == calibration::RunKind::check;
  begin_page("calibration");
  title_text(ctx, tr(ctx, check ? "check_title" : "title"));
  body_text(ctx, fill(fill(tr(ctx, "plate_line"), "model", w.device().model), "serial", w.device().serial), true);
  vertical_space(ctx, 12);
  const float avail_h = ImGui::GetContentRegionAvail().y;
  const bool wide = ImGui::GetContentRegionAvail().x > 1.2f * avail_h;
  const float col_w =
      ImGui::GetContentRegionAvail().x *
      (!wide                                                                                       ? 1.0f
       : w.phase() == Phase::zeroing || w.phase() == Phase::placing || w.phase() == Phase::lifting ? 0.42f
                                                                                                   : 0.55f);
  const float button_h = 150 * ctx.scale;

  // Left (or top): what to do, the plate, the meters or the results.
  ImGui::BeginChild("calibration_left", {col_w, wide ? avail_h - button_h : avail_h * 0.5f}, false);
  switch (w.phase()) {
    case Phase::zeroing:
    case Phase::placing:
    case Phase::lifting:
      ctx.pacer.request_frame_at(ctx.now + std::chrono::milliseconds(33));  // live: ~30 fps is plenty for staff
      body_text(ctx, instruction(ctx, w));
      vertical_space(ctx, 8);
      draw_plate(ctx, w, std::max(120 * ctx.scale, ImGui::GetContentRegionAvail().y - 260 * ctx.scale));
      meter(ctx, tr(ctx, "stability"), w.stability(), w.stability() >= 1 ? kGood : palette::kAccent);
      meter(ctx, tr(ctx, "reading"), w.reading_progress(), palette::kPrimary);
      break;
    case Phase::report:
    case Phase::accepted:
    case Phase::rejected:
      title_text(ctx, tr(ctx, "report_title"));
      results_table(ctx, w.record());
      if (w.phase() != Phase::report)
        body_text(ctx, tr(ctx, w.phase() == Phase::rejected ? "rejected" : check ? "check_saved" : "saved"), true);
      break;
    case Phase::refused:
      title_text(ctx, tr(ctx, "refused_title"));
      body_text(ctx, w.refusal());
      break;
  }
  ImGui::EndChild();
  if (wide) ImGui::SameLine();

  // Right (or below): the live channels.
  ImGui::BeginChild("calibration_plots", {0, wide ? avail_h - button_h : avail_h * 0.5f - button_h}, false);
  const auto& p = w.plot();
  const float ph = std::max(80 * ctx.scale, (ImGui::GetContentRegionAvail().y - 140 * ctx.scale) * 0.5f);
  plot(ctx, tr(ctx, "raw_channels"), p,
       {{&p.raw[0], kCellColours[0]},
        {&p.raw[1], kCellColours[1]},
        {&p.raw[2], kCellColours[2]},
        {&p.raw[3], kCellColours[3]}},
       ph);
  const auto& s = w.latest_calibrated();
  plot(ctx,
       fmt::format("{}   Fz {:.1f} N · x {:.0f} · y {:.0f}", tr(ctx, "calibrated_channels"), s.fz_n, s.cop_x_mm,
                   s.cop_y_mm),
       p, {{&p.fz_n, palette::kPrimary}, {&p.cop_x_mm, kCellColours[1]}, {&p.cop_y_mm, kCellColours[2]}}, ph);
  ImGui::EndChild();

  // The decision, with big targets.
  vertical_space(ctx, 8);
  if (w.phase() == Phase::report) {
    const bool passed = w.record().passed();
    std::vector<std::string> labels;
    if (passed || check) labels.push_back(tr(ctx, "accept"));
    labels.push_back(tr(ctx, "reject"));
    if (const auto pressed = button_row(ctx, labels, "calibration_decide")) {
      if (labels[*pressed] == tr(ctx, "accept")) {
        w.accept();
        event = CalibrationUiEvent::accepted;
      } else {
        w.reject();
        event = CalibrationUiEvent::rejected;
      }
    }
  } else if (w.finished()) {
    if (big_button(ctx, tr(ctx, "close"), "calibration_close", 0.4f)) event = CalibrationUiEvent::closed;
  } else if (big_button(ctx, tr(ctx, "stop"), "calibration_stop", 0.4f)) {
    w.cancel();
    event = CalibrationUiEvent::rejected;
  }
  end_page();
  return event;
}

}  // namespace kiosk::ui
