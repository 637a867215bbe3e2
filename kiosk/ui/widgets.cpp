#include "ui/widgets.h"

#include <imgui.h>

#include <algorithm>
#include <charconv>

#include "ui/fonts.h"
#include "ui/theme.h"
#include "ui/touch_targets.h"

namespace kiosk::ui {
std::string fill(std::string_view text, std::string_view name, std::string_view value) {
  std::string out(text);
  const std::string slot = "{" + std::string(name) + "}";
  for (auto at = out.find(slot); at != std::string::npos; at = out.find(slot, at + value.size()))
    out.replace(at, slot.size(), value);
  return out;
}

void begin_page(const char* id) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->Pos);
  ImGui::SetNextWindowSize(vp->Size);
  ImGui::Begin(id, nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
}

void end_page() { ImGui::End(); }

void vertical_space(const ScreenContext& ctx, float units) {
  // Short screens (800x480) keep their text size (≥ 24 px) and give up air instead.
  const float h = ImGui::GetMainViewport()->Size.y;
  const float air = std::clamp((h - 480.0f) / 240.0f, 0.25f, 1.0f);
  ImGui::Dummy({0, units * ctx.scale * air});
}

TopBar top_bar(const ScreenContext& ctx, bool show_back, bool show_cancel, std::string_view progress) {
  TopBar bar;
  ImGui::PushFont(ctx.fonts.body);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));  // on the coloured buttons
  const float width = ImGui::GetContentRegionAvail().x;
  const float button_w = 260 * ctx.scale;
  const float y = ImGui::GetCursorPosY();
  if (show_back) {
    const std::string label = "< " + std::string(ctx.tr("common.back")) + "##back";
    bar.back = ImGui::Button(label.c_str(), {button_w, 0});
    note_target("back");
  }
  const float room = width - 2 * button_w - 2 * ImGui::GetStyle().ItemSpacing.x;
  if (!progress.empty() && ImGui::CalcTextSize(progress.data(), progress.data() + progress.size()).x > room) {
    const auto cut = progress.find(" · ");  // "Test 1 of 3 · Title": keep the count on a narrow screen
    progress = cut == std::string_view::npos ? std::string_view() : progress.substr(0, cut);
  }
  if (!progress.empty()) {
    const ImVec2 size = ImGui::CalcTextSize(progress.data(), progress.data() + progress.size());
    ImGui::SetCursorPos({ImGui::GetStyle().WindowPadding.x + (width - size.x) * 0.5f,
                         y + ImGui::GetStyle().FramePadding.y});
    ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(palette::kMuted));
    ImGui::TextUnformatted(progress.data(), progress.data() + progress.size());
    ImGui::PopStyleColor();
  }
  if (show_cancel) {
    ImGui::SetCursorPos({ImGui::GetStyle().WindowPadding.x + width - button_w, y});
    ImGui::PushStyleColor(ImGuiCol_Button, to_vec4(palette::kMuted));
    const std::string label = std::string(ctx.tr("common.cancel")) + "##cancel";
    bar.cancel = ImGui::Button(label.c_str(), {button_w, 0});
    note_target("cancel");
    ImGui::PopStyleColor();
  }
  ImGui::SetCursorPosY(y + ImGui::GetFrameHeight() + ImGui::GetStyle().ItemSpacing.y);
  ImGui::PopStyleColor();
  ImGui::PopFont();
  return bar;
}

void centred_text(ImFont* font, std::string_view text, float wrap_width, const float (&colour)[4]) {
  ImGui::PushFont(font);
  ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(colour));
  const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size(), false, wrap_width);
  const float avail = ImGui::GetContentRegionAvail().x;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (avail - size.x) * 0.5f));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap_width);
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void title_text(const ScreenContext& ctx, std::string_view text) {
  centred_text(ctx.fonts.title, text, ImGui::GetContentRegionAvail().x * 0.92f, palette::kText);
}

void body_text(const ScreenContext& ctx, std::string_view text, bool muted) {
  const float wrap = std::min(ImGui::GetContentRegionAvail().x, 1400 * ctx.scale);
  centred_text(ctx.fonts.body, text, wrap, muted ? palette::kMuted : palette::kText);
}

bool big_button(const ScreenContext& ctx, std::string_view label, std::string_view id, float width_fraction) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const float w = std::min(avail, std::max(avail * width_fraction, 480 * ctx.scale));
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) * 0.5f);
  ImGui::PushFont(ctx.fonts.title);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  const std::string full = std::string(label) + "##" + std::string(id);
  const bool pressed = ImGui::Button(full.c_str(), {w, 0});
  note_target(id);
  ImGui::PopStyleColor();
  ImGui::PopFont();
  return pressed;
}

std::optional<std::size_t> button_row(const ScreenContext& ctx, const std::vector<std::string>& labels,
                                      std::string_view id, const std::vector<std::string>& ids) {
  std::optional<std::size_t> pressed;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const auto n = static_cast<float>(labels.size());
  // Side by side while each button keeps ≥ 360 units; else one per line.
  const bool stacked = (avail - gap * (n - 1)) / n < 360 * ctx.scale;
  const float w = stacked ? std::min(avail, 900 * ctx.scale) : (avail - gap * (n - 1)) / n;
  ImGui::PushFont(ctx.fonts.title);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (stacked) ImGui::SetCursorPosX(ImGui::GetStyle().WindowPadding.x + (avail - w) * 0.5f);
    else if (i > 0) ImGui::SameLine();
    const std::string button_id = i < ids.size() ? ids[i] : std::string(id) + std::to_string(i);
    const std::string full = labels[i] + "##" + button_id;
    if (ImGui::Button(full.c_str(), {w, 0})) pressed = i;
    note_target(button_id);
  }
  ImGui::PopStyleColor();
  ImGui::PopFont();
  return pressed;
}

void skip_button(const ScreenContext& ctx, journey::Journey& j) {
  ImGui::PushStyleColor(ImGuiCol_Button, to_vec4(palette::kMuted));
  if (big_button(ctx, ctx.tr("step.skip"), "skip", 0.4f)) j.skip_test();
  ImGui::PopStyleColor();
}

void number_value(const ScreenContext& ctx, const NumberEntry& entry, std::string_view unit, ImFont* font) {
  (void)ctx;
  const std::string shown = (entry.digits.empty() ? std::string("–") : entry.digits) +
                            (unit.empty() ? std::string() : " " + std::string(unit));
  centred_text(font, shown, ImGui::GetContentRegionAvail().x, palette::kPrimary);
}

float number_pad_height(const ScreenContext& ctx) {
  ImGui::PushFont(ctx.fonts.title);
  const float h = 5 * (ImGui::GetFrameHeight() + ImGui::GetStyle().ItemSpacing.y);
  ImGui::PopFont();
  return h;
}

std::optional<double> number_pad(const ScreenContext& ctx, NumberEntry& entry, std::string_view unit,
                                 bool decimals, bool show_value) {
  // Keys as tall as a button with the title font (≥ 15 mm at 1080p), wider
  // than tall; on a short screen smaller, down to what the body font needs.
  ImGui::PushFont(ctx.fonts.title);
  const float title_h = ImGui::GetFrameHeight();
  ImGui::PopFont();
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const bool roomy = ImGui::GetContentRegionAvail().y > 5 * (title_h + spacing) + (show_value ? 160 * ctx.scale : 0);
  if (show_value) number_value(ctx, entry, unit, roomy ? ctx.fonts.huge : ctx.fonts.title);

  static const char* const kKeys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", ",", "0", "<"};
  ImGui::PushFont(roomy ? ctx.fonts.title : ctx.fonts.body);
  // Labels are centred by the key size, so the padding only sets how small a key may get.
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, {8 * ctx.scale, 8 * ctx.scale});
  const float fit = (ImGui::GetContentRegionAvail().y - 5 * spacing) / 5;  // 4 rows of keys and OK
  const float key_h = std::max(ImGui::GetFrameHeight(), std::min(title_h, fit));
  const float key = key_h * 1.5f;
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float pad_w = 3 * key + 2 * gap;
  const float left = ImGui::GetStyle().WindowPadding.x + (ImGui::GetContentRegionAvail().x - pad_w) * 0.5f;
  std::optional<double> done;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  for (int i = 0; i < 12; ++i) {
    if (i % 3 == 0) ImGui::SetCursorPosX(left);
    else ImGui::SameLine();
    const std::string_view k = kKeys[i];
    const bool disabled = k == "," && !decimals;
    ImGui::BeginDisabled(disabled);
    const std::string label = (k == "<" ? std::string() : std::string(k)) + "##key" + std::to_string(i);
    const bool pressed = ImGui::Button(label.c_str(), {key, key_h});
    note_target("key" + std::string(k));
    if (k == "<") {  // a drawn "delete" arrow: no glyph needed in any language
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      const ImVec2 c{(a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f};
      const float r = (b.y - a.y) * 0.22f;
      ImGui::GetWindowDrawList()->AddTriangleFilled({c.x - 2 * r, c.y}, {c.x - r, c.y - r}, {c.x - r, c.y + r},
                                                    IM_COL32_WHITE);
      ImGui::GetWindowDrawList()->AddRectFilled({c.x - r, c.y - r}, {c.x + 1.5f * r, c.y + r}, IM_COL32_WHITE);
    }
    if (pressed) {
      if (k == "<") {
        if (!entry.digits.empty()) entry.digits.pop_back();
      } else if (k == ",") {
        if (entry.digits.find(',') == std::string::npos) entry.digits += entry.digits.empty() ? "0," : ",";
      } else if (entry.digits.size() < 6) {
        entry.digits = entry.digits == "0" ? std::string(k) : entry.digits + std::string(k);
      }
    }
    ImGui::EndDisabled();
  }
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::BeginDisabled(entry.digits.empty());
  ImGui::SetCursorPosX(left);
  ImGui::PushFont(roomy ? ctx.fonts.title : ctx.fonts.body);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  const std::string ok = std::string(ctx.tr("common.ok")) + "##pad_ok";
  const bool ok_pressed = ImGui::Button(ok.c_str(), {pad_w, key_h});
  note_target("pad_ok");
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::EndDisabled();
  ImGui::PopStyleVar();  // after EndDisabled: style vars pop in the order pushed
  if (ok_pressed) {
    std::string dotted = entry.digits;
    std::replace(dotted.begin(), dotted.end(), ',', '.');
    double value = 0;
    const auto [end, ec] = std::from_chars(dotted.data(), dotted.data() + dotted.size(), value);
    if (ec == std::errc() && end == dotted.data() + dotted.size()) done = value;
  }
  return done;
}

}  // namespace kiosk::ui
