#include "ui/touch_targets.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

namespace kiosk::ui {
namespace {
using Targets = std::vector<std::pair<std::string, TargetRect>>;
Targets drawing, last;  // UI thread only
std::vector<std::string> clipped_drawing, clipped_last;
std::vector<DrawnChart> charts_drawing, charts_last;
ScrollRoom room_drawing, room_last;
}  // namespace

void note_target(std::string_view id, std::string_view label) {
  if (!label.empty()) {
    const float room = ImGui::GetItemRectSize().x - 2 * ImGui::GetStyle().FramePadding.x;
    const float wide = ImGui::CalcTextSize(label.data(), label.data() + label.size()).x;
    if (wide > room + 0.5f)
      clipped_drawing.push_back(fmt::format("{}: \"{}\" {:.0f} px wide in {:.0f} px", id, label, wide, room));
  }
  if (ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) return;
  if (!ImGui::IsItemVisible()) return;  // scrolled away: it cannot be pressed
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  // A button cut by the window's edge is a layout fault: the tests must not find it.
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  if (a.x < vp->Pos.x || a.y < vp->Pos.y || b.x > vp->Pos.x + vp->Size.x || b.y > vp->Pos.y + vp->Size.y) return;
  drawing.emplace_back(std::string(id), TargetRect{a.x, a.y, b.x, b.y});
}

void note_chart(DrawnChart chart) { charts_drawing.push_back(std::move(chart)); }
const std::vector<DrawnChart>& drawn_charts() { return charts_last; }

void note_scroll_room(ScrollRoom room) {
  if (std::tie(room.below, room.above) > std::tie(room_drawing.below, room_drawing.above)) room_drawing = room;
}
ScrollRoom scroll_room() { return room_last; }

void finish_targets_frame() {
  room_last = std::exchange(room_drawing, {});
  last = std::move(drawing);
  drawing.clear();
  charts_last = std::move(charts_drawing);
  charts_drawing.clear();
  clipped_last = std::move(clipped_drawing);
  clipped_drawing.clear();
}

const std::vector<std::pair<std::string, TargetRect>>& targets() { return last; }
std::vector<std::string> clipped_labels() { return clipped_last; }

double px_per_mm(int width_px, int height_px) {
  for (const auto& s : kSupportedScreens)
    if (s.width_px == width_px && s.height_px == height_px)
      return std::hypot(width_px, height_px) / (s.diagonal_in * 25.4);
  return 96 / 25.4;
}

std::optional<TargetRect> find_target(std::string_view id) {
  for (const auto& [name, rect] : last)
    if (name == id) return rect;
  return std::nullopt;
}

std::vector<std::string> target_ids() {
  std::vector<std::string> ids;
  for (const auto& t : last) ids.push_back(t.first);
  return ids;
}

}  // namespace kiosk::ui
