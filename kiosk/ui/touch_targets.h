// Where each button was drawn in the last frame, by a stable id (the part
// after "##" in its ImGui label, e.g. "go", "yesno0", "key7", "pad_ok").
// The input-driven UI tests press buttons by id through this map, so they
// find a button wherever the layout put it at any window size.
// Thread: UI thread. Cost: one small vector per frame.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::ui {

struct TargetRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // window pixels
  float cx() const { return (x0 + x1) * 0.5f; }
  float cy() const { return (y0 + y1) * 0.5f; }
};

// Records the last ImGui item (a button just drawn) under `id`, unless it is disabled.
void note_target(std::string_view id);
// The frame just drawn becomes the one find_target() answers from. Call once per frame, after drawing.
void finish_targets_frame();
std::optional<TargetRect> find_target(std::string_view id);
std::vector<std::string> target_ids();  // of the last frame, for error messages

}  // namespace kiosk::ui
