#include "ui/touch_targets.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <utility>

namespace kiosk::ui {
namespace {
using Targets = std::vector<std::pair<std::string, TargetRect>>;
Targets drawing, last;  // UI thread only
}  // namespace

void note_target(std::string_view id) {
  if (ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) return;
  if (!ImGui::IsItemVisible()) return;  // scrolled away: it cannot be pressed
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  // A button cut by the window's edge is a layout fault: the tests must not find it.
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  if (a.x < vp->Pos.x || a.y < vp->Pos.y || b.x > vp->Pos.x + vp->Size.x || b.y > vp->Pos.y + vp->Size.y) return;
  drawing.emplace_back(std::string(id), TargetRect{a.x, a.y, b.x, b.y});
}

void finish_targets_frame() {
  last = std::move(drawing);
  drawing.clear();
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
