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

// Records the last ImGui item (a button just drawn) under `id`, unless it is
// disabled. With `label` (the words drawn on it, one line, in the current
// font), also measures it: wider than the button's inside (its width less the
// frame padding) is a clipped label, reported by clipped_labels().
void note_target(std::string_view id, std::string_view label = {});
// The frame just drawn becomes the one find_target() answers from. Call once per frame, after drawing.
void finish_targets_frame();
std::optional<TargetRect> find_target(std::string_view id);
std::vector<std::string> target_ids();  // of the last frame, for error messages
// Every rect of the last frame, with its id (the drive tests measure them).
const std::vector<std::pair<std::string, TargetRect>>& targets();
// Labels of the last frame that did not fit their button:
// "go: \"Tengo un código de visita\" 412 px wide in 380 px".
std::vector<std::string> clipped_labels();

// How far the last frame's scrolling page (or list) could still move, in
// pixels, and where it is: the driver drags it to reach a button past its edge.
struct ScrollRoom {
  float above = 0, below = 0;
  TargetRect window;
};
void note_scroll_room(ScrollRoom room);  // by drag_to_scroll, once per scrolling window
ScrollRoom scroll_room();                // the one with the most room below (else above)

// Where a results chart drew its scale, zone and markers in the last frame
// (window pixels), so a drive test can hold the drawing to the numbers
// (`expect chart TEST ...`, input_driver.h).
struct DrawnChart {
  std::string test;
  float scale_x0 = 0, scale_x1 = 0;             // the ends of the scale's track
  std::optional<std::pair<float, float>> zone;  // the shaded norm zone, left to right
  std::optional<float> left_x, right_x;         // the markers' centres
  bool labels_inside = true;                    // every label within the list's width
  // The "since last time" line under it: each side's change ("better",
  // "worse", "same"; "" when not compared); since_shown false: no line.
  bool since_shown = false;
  std::string since_left, since_right;
};
void note_chart(DrawnChart chart);
const std::vector<DrawnChart>& drawn_charts();

// The screens the kiosk supports and the physical size assumed for each
// (a touch target must be >= 15 mm on it). By window size in pixels; a size
// not listed is measured at 96 dpi.
struct SupportedScreen {
  int width_px, height_px;
  double diagonal_in;  // e.g. 7" for 800x480 (the common 7" panel: 154 x 86 mm)
};
inline constexpr SupportedScreen kSupportedScreens[] = {
    {800, 480, 7.0},     // 7" touch panel (e.g. the Raspberry Pi display)
    {1280, 800, 10.1},   // 10.1" tablet-class panel
    {1080, 1920, 23.8},  // 24" portrait kiosk (1080p)
};
inline constexpr double kMinTouchTarget_mm = 15;
// Pixels per millimetre of a window this size on its assumed screen.
double px_per_mm(int width_px, int height_px);

}  // namespace kiosk::ui
