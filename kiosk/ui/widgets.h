// Touch-first building blocks every patient screen uses: a full-screen page
// with a top bar (Back, Cancel), titles and wrapped text, large buttons, an
// on-screen number pad (no keyboard ever). Sizes are layout units (1 = 1 px
// at 1080p) times ctx.scale. Thread: UI thread, inside an ImGui frame.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journey/journey.h"
#include "ui/screens/screen.h"

struct ImFont;

namespace kiosk::ui {

// "{n}" → value, for the few texts with a number in them.
std::string fill(std::string_view text, std::string_view name, std::string_view value);

struct TopBar {
  bool back = false, cancel = false;
};

// The height a button needs to be a 15 mm touch target on this window's
// assumed screen (touch_targets.h), less ImGui's touch padding around it.
float min_target_px();

// In a window or child taller than its content box: a finger drags it, and
// a fade with an arrow at its foot says more is below (800x480, large text).
void drag_to_scroll();

// A page filling the window. Always pair with end_page().
void begin_page(const char* id);
void end_page();
// Back on the left, Cancel on the right (either may be hidden), a progress
// label between, and "Read to me" beside Cancel on patient screens (ctx.aids).
TopBar top_bar(const ScreenContext& ctx, bool show_back, bool show_cancel, std::string_view progress = {});

// Title and body text are also what "Read to me" reads (ctx.aids->words).
void title_text(const ScreenContext& ctx, std::string_view text);
void body_text(const ScreenContext& ctx, std::string_view text, bool muted = false);
// Adds words that are drawn some other way to what "Read to me" reads.
void read_along(const ScreenContext& ctx, std::string_view text);
void centred_text(ImFont* font, std::string_view text, float wrap_width, const float (&colour)[4]);
void vertical_space(const ScreenContext& ctx, float units);

// A wide primary button; `id` keeps it unique when labels repeat. Its words
// fit: the title font, else the body font, else wrapped (the button grows).
bool big_button(const ScreenContext& ctx, std::string_view label, std::string_view id, float width_fraction = 0.6f);
// Buttons side by side while each keeps `min_units` of width (layout units), else
// stacked; returns the index pressed. Each button's id is `id` + its index, or ids[i] when given.
std::optional<std::size_t> button_row(const ScreenContext& ctx, const std::vector<std::string>& labels,
                                      std::string_view id, const std::vector<std::string>& ids = {},
                                      float min_units = 360);

// "Skip this test", muted, under a test's main button (journey::Journey::skip_test).
void skip_button(const ScreenContext& ctx, journey::Journey& j);

// The digits typed so far on a number pad (reset on a new question).
struct NumberEntry {
  std::string digits;
  std::string for_key;  // which question it belongs to
};
// Shows the value and a 0-9 pad with "," (when step < 1), ⌫ and OK. Returns
// the number when OK is pressed with a valid number.
std::optional<double> number_pad(const ScreenContext& ctx, NumberEntry& entry, std::string_view unit, bool decimals,
                                 bool show_value = true);
// Just the value typed so far, large (for a layout with the keys beside it).
void number_value(const ScreenContext& ctx, const NumberEntry& entry, std::string_view unit, ImFont* font);
// Height a number pad needs below its value: four rows of keys and OK.
float number_pad_height(const ScreenContext& ctx);
// Whether a number pad goes beside its question rather than under it: a short,
// wide space (800x480) where keys under a title would run off the screen.
bool number_pad_beside(const ScreenContext& ctx, ImVec2 avail);
// A number pad under its heading (the title and what goes with it), or beside
// it on a short wide screen, where the value typed so far (`show_value`) moves
// under the heading. Returns the number when OK is pressed.
std::optional<double> headed_number_pad(const ScreenContext& ctx, NumberEntry& entry, bool decimals, bool show_value,
                                        const std::function<void()>& heading);

}  // namespace kiosk::ui
