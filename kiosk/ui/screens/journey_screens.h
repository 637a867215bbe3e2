// The patient's screens after the attract screen: they draw what the
// journey model says and send it the person's intents. Everything they keep
// between frames (digits typed so far) lives in JourneyUiState and is
// dropped with the patient. Thread: UI thread.
#pragma once
#include "journey/journey.h"
#include "ui/screens/screen.h"
#include "ui/widgets.h"

namespace kiosk::ui {

struct JourneyUiState {
  NumberEntry number;          // the current numeric answer or visit code
  bool entering_code = false;  // welcome: the visit-code pad is open
  std::string problem;         // last refused answer (shown calmly; detail in the log)
  bool staff_asked = false;    // speak-to-the-team: "For staff" was pressed (the shell opens the PIN pad)
};

// Draws the journey's current screen and overlays; returns when done for this frame.
void draw_journey(ScreenContext& ctx, journey::Journey& journey, JourneyUiState& ui);

// Pieces, one per stage (journey_screens.cpp, step_screens.cpp, capture_screen.cpp).
void draw_step(ScreenContext& ctx, journey::Journey& journey, JourneyUiState& ui);
void draw_capture(ScreenContext& ctx, journey::Journey& journey);
void draw_results(ScreenContext& ctx, journey::Journey& journey);

}  // namespace kiosk::ui
