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

// A list taller than its box (800x480): a finger drags it, and a fade with an
// arrow at the bottom says there is more, so a line cut by the edge reads as "go on".
void drag_to_scroll() {
  const float unit = ImGui::GetFontSize() / 32;  // sizes follow the text
  if (ImGui::IsWindowHovered() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4 * unit))
    ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
  const ImVec2 a = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  note_scroll_room(
      {ImGui::GetScrollY(), ImGui::GetScrollMaxY() - ImGui::GetScrollY(), {a.x, a.y, a.x + size.x, a.y + size.y}});
  if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 1) return;  // all seen
  const float fade = std::min(size.y * 0.3f, 90 * unit);
  auto* dl = ImGui::GetWindowDrawList();
  const ImU32 clear = to_u32(palette::kBackground, 0), solid = to_u32(palette::kBackground);
  dl->AddRectFilledMultiColor({a.x, a.y + size.y - fade}, {a.x + size.x, a.y + size.y}, clear, clear, solid, solid);
  const float r = 22 * unit;
  const ImVec2 c{a.x + size.x * 0.5f, a.y + size.y - r};
  dl->AddTriangleFilled({c.x - r, c.y - r * 0.5f}, {c.x + r, c.y - r * 0.5f}, {c.x, c.y + r * 0.5f},
                        to_u32(palette::kPrimary));
}

void end_page() {
  drag_to_scroll();  // a page taller than the screen (large text on 800x480) is dragged, never cut off
  ImGui::End();
}

void vertical_space(const ScreenContext& ctx, float units) {
  // Short screens (800x480) keep their text size (≥ 24 px) and give up air instead.
  const float h = ImGui::GetMainViewport()->Size.y;
  const float air = std::clamp((h - 480.0f) / 240.0f, 0.25f, 1.0f);
  ImGui::Dummy({0, units * ctx.scale * air});
}

namespace {
// The words of one button, fitted to `room` px: the title font on one line,
// else the body font on one line, else the body font wrapped over lines.
struct FittedLabel {
  ImFont* font = nullptr;
  std::vector<std::string_view> lines;
  float height = 0;  // the button's height for these lines
};

float text_width(ImFont* font, std::string_view text) {
  ImGui::PushFont(font);
  const float w = ImGui::CalcTextSize(text.data(), text.data() + text.size()).x;
  ImGui::PopFont();
  return w;
}

std::vector<std::string_view> wrap_lines(ImFont* font, std::string_view text, float room) {
  ImGui::PushFont(font);
  const float font_scale = ImGui::GetFontSize() / font->FontSize;
  std::vector<std::string_view> lines;
  const char* at = text.data();
  const char* const end = text.data() + text.size();
  while (at < end) {
    const char* cut = font->CalcWordWrapPositionA(font_scale, at, end, room);
    if (cut == at) cut = at + 1;  // one word wider than the room: it is measured (and reported) as it is
    while (cut < end && (static_cast<unsigned char>(*cut) & 0xC0) == 0x80) ++cut;  // not inside a UTF-8 letter
    std::string_view line(at, static_cast<std::size_t>(cut - at));
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    lines.push_back(line);
    at = cut;
    while (at < end && (*at == ' ' || *at == '\n')) ++at;
  }
  ImGui::PopFont();
  return lines;
}

FittedLabel fit_label(const ScreenContext& ctx, std::string_view label, float width) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float room = width - 2 * style.FramePadding.x;
  FittedLabel f;
  if (text_width(ctx.fonts.title, label) <= room)
    f = {ctx.fonts.title, {label}};
  else if (text_width(ctx.fonts.body, label) <= room)
    f = {ctx.fonts.body, {label}};
  else
    f = {ctx.fonts.body, wrap_lines(ctx.fonts.body, label, room)};
  ImGui::PushFont(f.font);
  const float lines_h = static_cast<float>(f.lines.size()) * ImGui::GetTextLineHeight();
  ImGui::PopFont();
  ImGui::PushFont(ctx.fonts.title);
  f.height = std::max({ImGui::GetFrameHeight(), lines_h + 2 * style.FramePadding.y, min_target_px()});
  ImGui::PopFont();
  return f;
}

// A button of this size with its fitted words centred on it, line by line (white on the button colour).
bool fitted_button(const FittedLabel& label, std::string_view id, ImVec2 size) {
  const std::string hidden = "##" + std::string(id);
  const bool pressed = ImGui::Button(hidden.c_str(), size);
  const ImVec2 a = ImGui::GetItemRectMin();
  ImGui::PushFont(label.font);
  const float line_h = ImGui::GetTextLineHeight();
  float y = a.y + (size.y - line_h * static_cast<float>(label.lines.size())) * 0.5f;
  std::string_view widest;
  for (const auto line : label.lines) {
    const float w = ImGui::CalcTextSize(line.data(), line.data() + line.size()).x;
    ImGui::GetWindowDrawList()->AddText({a.x + (size.x - w) * 0.5f, y}, ImGui::GetColorU32(ImGuiCol_Text), line.data(),
                                        line.data() + line.size());
    if (w > ImGui::CalcTextSize(widest.data(), widest.data() + widest.size()).x) widest = line;
    y += line_h;
  }
  note_target(id, widest);
  ImGui::PopFont();
  return pressed;
}

// A loudspeaker drawn in a square of side `h` at `a` (no glyph needed in any font).
void draw_speaker(ImDrawList* dl, ImVec2 a, float h, ImU32 col) {
  const float u = h / 8;
  dl->AddRectFilled({a.x + u, a.y + 3 * u}, {a.x + 3 * u, a.y + 5 * u}, col);
  dl->AddQuadFilled({a.x + 3 * u, a.y + 3 * u}, {a.x + 5 * u, a.y + u}, {a.x + 5 * u, a.y + 7 * u},
                    {a.x + 3 * u, a.y + 5 * u}, col);
  constexpr float kArc = 0.9f;
  for (const float r : {1.6f * u, 2.8f * u}) {
    dl->PathArcTo({a.x + 5.2f * u, a.y + 4 * u}, r, -kArc, kArc, 12);
    dl->PathStroke(col, 0, 0.6f * u);
  }
}

// The loudspeaker's width in the current font, with a gap before the words if any.
float speaker_width(std::string_view label) {
  return ImGui::GetFontSize() + (label.empty() ? 0 : ImGui::GetStyle().ItemInnerSpacing.x);
}

// A top-bar button: the body font, as wide as its words need (at least `min_w`), at least a touch target tall.
bool bar_button(const ScreenContext& ctx, std::string_view label, std::string_view id, float min_w, float x,
                bool speaker = false) {
  ImGui::SetCursorPosX(x);
  const ImGuiStyle& style = ImGui::GetStyle();
  const float icon = speaker ? speaker_width(label) : 0;
  const float w = std::max(min_w, text_width(ctx.fonts.body, label) + icon + 2 * style.FramePadding.x);
  const float h = std::max(ImGui::GetFrameHeight(), min_target_px());
  const std::string hidden = "##" + std::string(id);
  const bool pressed = ImGui::Button(hidden.c_str(), {w, h});
  const ImVec2 a = ImGui::GetItemRectMin();
  const float text_w = ImGui::CalcTextSize(label.data(), label.data() + label.size()).x;
  const float left = a.x + (w - text_w - icon) * 0.5f;
  const ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
  if (speaker)
    draw_speaker(ImGui::GetWindowDrawList(), {left, a.y + (h - ImGui::GetFontSize()) * 0.5f}, ImGui::GetFontSize(),
                 col);
  ImGui::GetWindowDrawList()->AddText({left + icon, a.y + (h - ImGui::GetTextLineHeight()) * 0.5f}, col, label.data(),
                                      label.data() + label.size());
  note_target(id, label);
  return pressed;
}

float bar_button_width(const ScreenContext& ctx, std::string_view label, float min_w, bool speaker = false) {
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::PushFont(ctx.fonts.body);
  const float icon = speaker ? speaker_width(label) : 0;
  ImGui::PopFont();
  return std::max(min_w, text_width(ctx.fonts.body, label) + icon + 2 * style.FramePadding.x);
}

}  // namespace

float min_target_px() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const double mm = px_per_mm(static_cast<int>(vp->Size.x), static_cast<int>(vp->Size.y));
  return static_cast<float>(kMinTouchTarget_mm * mm) - 2 * ImGui::GetStyle().TouchExtraPadding.y;
}

TopBar top_bar(const ScreenContext& ctx, bool show_back, bool show_cancel, std::string_view progress) {
  TopBar bar;
  ImGui::PushFont(ctx.fonts.body);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));  // on the coloured buttons
  const ImGuiStyle& style = ImGui::GetStyle();
  const float width = ImGui::GetContentRegionAvail().x;
  const float left = style.WindowPadding.x, gap = style.ItemSpacing.x;
  const float min_w = 200 * ctx.scale;  // Back and Stop: wide enough to find without aiming
  const float y = ImGui::GetCursorPosY();
  const std::string back = "< " + std::string(ctx.tr("common.back"));
  const std::string_view cancel = ctx.tr("common.cancel");
  std::string_view read = ctx.tr("access.read");
  const float back_w = show_back ? bar_button_width(ctx, back, min_w) + gap : 0;
  constexpr std::string_view kLarge = "Aa";  // large text: the same in every language
  const float cancel_w = show_cancel ? bar_button_width(ctx, cancel, min_w) + gap : 0;
  const float large_w = ctx.aids ? bar_button_width(ctx, kLarge, min_target_px()) + gap : 0;
  // "Read to me" in words where they fit (large text on 800x480 leaves no room), else the loudspeaker alone.
  const bool read_words = back_w + cancel_w + large_w + bar_button_width(ctx, read, 0, true) <= width;
  if (!read_words) read = {};
  float right = left + width;  // the bar is filled from the right: Stop, Read to me, Aa
  if (show_cancel) {
    right -= bar_button_width(ctx, cancel, min_w);
    ImGui::SetCursorPosY(y);
    ImGui::PushStyleColor(ImGuiCol_Button, to_vec4(palette::kMuted));
    bar.cancel = bar_button(ctx, cancel, "cancel", min_w, right);
    ImGui::PopStyleColor();
    right -= gap;
  }
  if (ctx.aids) {
    right -= bar_button_width(ctx, read, min_target_px(), true);
    ImGui::SetCursorPosY(y);
    ctx.aids->read_asked = bar_button(ctx, read, "read", min_target_px(), right, true) || ctx.aids->read_asked;
    right -= gap;
  }
  // Large text, lit while on; on every screen, 800x480 too (its fonts grow from the 24 px floor).
  if (ctx.aids) {
    right -= bar_button_width(ctx, kLarge, min_target_px());
    ImGui::SetCursorPosY(y);
    const ImVec4 lit = to_vec4(ctx.aids->large_text ? palette::kAccent : palette::kPrimary);
    ImGui::PushStyleColor(ImGuiCol_Button, lit);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, lit);
    if (bar_button(ctx, kLarge, "large_text", min_target_px(), right)) ctx.aids->large_text = !ctx.aids->large_text;
    ImGui::PopStyleColor(2);
    right -= gap;
  }
  if (show_back) {
    ImGui::SetCursorPosY(y);
    bar.back = bar_button(ctx, back, "back", min_w, left);
  }
  const float bar_h = std::max(ImGui::GetFrameHeight(), min_target_px());
  const float room = right - left - back_w;
  if (!progress.empty() && ImGui::CalcTextSize(progress.data(), progress.data() + progress.size()).x > room) {
    const auto cut = progress.find(" · ");  // "Test 1 of 3 · Title": keep the count on a narrow screen
    progress = cut == std::string_view::npos ? std::string_view() : progress.substr(0, cut);
  }
  if (!progress.empty() && ImGui::CalcTextSize(progress.data(), progress.data() + progress.size()).x > room)
    progress = {};  // no room even for the count: the buttons matter more
  if (!progress.empty()) {
    const ImVec2 size = ImGui::CalcTextSize(progress.data(), progress.data() + progress.size());
    ImGui::SetCursorPos({left + back_w + (room - size.x) * 0.5f, y + (bar_h - size.y) * 0.5f});
    ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(palette::kMuted));
    ImGui::TextUnformatted(progress.data(), progress.data() + progress.size());
    ImGui::PopStyleColor();
  }
  ImGui::SetCursorPosY(y + bar_h + style.ItemSpacing.y);
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

void read_along(const ScreenContext& ctx, std::string_view text) {
  if (!ctx.aids || text.empty()) return;
  if (!ctx.aids->words.empty()) ctx.aids->words += "\n";
  ctx.aids->words += text;
}

void title_text(const ScreenContext& ctx, std::string_view text) {
  read_along(ctx, text);
  centred_text(ctx.fonts.title, text, ImGui::GetContentRegionAvail().x * 0.92f, palette::kText);
}

void body_text(const ScreenContext& ctx, std::string_view text, bool muted) {
  read_along(ctx, text);
  const float wrap = std::min(ImGui::GetContentRegionAvail().x, 1400 * ctx.scale);
  centred_text(ctx.fonts.body, text, wrap, muted ? palette::kMuted : palette::kText);
}

bool big_button(const ScreenContext& ctx, std::string_view label, std::string_view id, float width_fraction) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const float w = std::min(avail, std::max(avail * width_fraction, 480 * ctx.scale));
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) * 0.5f);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  const auto fitted = fit_label(ctx, label, w);
  const bool pressed = fitted_button(fitted, id, {w, fitted.height});
  ImGui::PopStyleColor();
  return pressed;
}

std::optional<std::size_t> button_row(const ScreenContext& ctx, const std::vector<std::string>& labels,
                                      std::string_view id, const std::vector<std::string>& ids, float min_units) {
  std::optional<std::size_t> pressed;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const auto n = static_cast<float>(labels.size());
  const bool stacked = (avail - gap * (n - 1)) / n < min_units * ctx.scale;
  const float w = stacked ? std::min(avail, 900 * ctx.scale) : (avail - gap * (n - 1)) / n;
  std::vector<FittedLabel> fitted;
  for (const auto& label : labels) fitted.push_back(fit_label(ctx, label, w));
  // Side by side, one font: where one label needs the smaller one, the row shows all in it.
  const bool mixed =
      std::any_of(fitted.begin(), fitted.end(), [&](const auto& f) { return f.font != ctx.fonts.title; });
  float h = 0;
  for (auto& f : fitted) {
    if (!stacked && mixed) f.font = ctx.fonts.body;  // one line in the title font is one line in the body font
    h = std::max(h, f.height);                       // side by side, one height
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (stacked)
      ImGui::SetCursorPosX(ImGui::GetStyle().WindowPadding.x + (avail - w) * 0.5f);
    else if (i > 0)
      ImGui::SameLine();
    const std::string button_id = i < ids.size() ? ids[i] : std::string(id) + std::to_string(i);
    if (fitted_button(fitted[i], button_id, {w, stacked ? fitted[i].height : h})) pressed = i;
  }
  ImGui::PopStyleColor();
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

bool number_pad_beside(const ScreenContext& ctx, ImVec2 avail) {
  return avail.y < number_pad_height(ctx) + 260 * ctx.scale && avail.x > avail.y * 1.3f;
}

std::optional<double> headed_number_pad(const ScreenContext& ctx, NumberEntry& entry, bool decimals, bool show_value,
                                        const std::function<void()>& heading) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (!number_pad_beside(ctx, avail)) {
    heading();
    return number_pad(ctx, entry, {}, decimals, show_value);
  }
  ImGui::BeginChild("pad_heading", {avail.x * 0.5f, avail.y}, false, ImGuiWindowFlags_NoScrollbar);
  heading();
  if (show_value) number_value(ctx, entry, {}, ctx.fonts.huge);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("pad_keys", {0, avail.y}, false, ImGuiWindowFlags_NoScrollbar);
  const auto entered = number_pad(ctx, entry, {}, decimals, false);
  ImGui::EndChild();
  return entered;
}

std::optional<double> number_pad(const ScreenContext& ctx, NumberEntry& entry, std::string_view unit, bool decimals,
                                 bool show_value) {
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
  const float key_h = std::max({ImGui::GetFrameHeight(), std::min(title_h, fit), min_target_px()});
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  // Wider than tall, but never wider than three keys fit across (beside a heading, half the screen).
  const float key = std::max(std::min(key_h * 1.5f, (ImGui::GetContentRegionAvail().x - 2 * gap) / 3), min_target_px());
  const float pad_w = 3 * key + 2 * gap;
  // From where this window's content starts (a child beside a heading has no padding of its own).
  const float left = ImGui::GetCursorStartPos().x + (ImGui::GetContentRegionAvail().x - pad_w) * 0.5f;
  std::optional<double> done;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  for (int i = 0; i < 12; ++i) {
    if (i % 3 == 0)
      ImGui::SetCursorPosX(left);
    else
      ImGui::SameLine();
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
