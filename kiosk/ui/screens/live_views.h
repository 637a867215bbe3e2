// The live capture views that teach, one per detector, drawn from the
// capture's own analyzer state (plates::LiveCapture::progress(): the same
// detectors the scripts' results come from, never a second copy of the maths):
//   heel_raise_count   the running count, a beat light pulsing with the
//                      metronome, heel height (COP forward travel) as a
//                      scrolling trace with each counted raise marked, and
//                      "keep to the beat" after a missed beat
//   single_leg_stance  the seconds on a ring towards the step's cap (the
//                      script's `seconds`, from norms.lua), the COP dot and trail on a foot
//   heel_contact       a "heel down" light that turns red when the heel lifts
// and the end of a capture that ended by itself ("Well done: 21 seconds",
// "Done: 14 heel raises" and why), shown while the journey holds it.
// Words drawn some other way than title/body text are added to what "Read to
// me" reads (read_along), the count among them. Thread: UI thread, in a frame.
#pragma once
#include "journey/journey.h"
#include "ui/screens/screen.h"

namespace kiosk::ui {

// The live view for the capture step on screen, in `height` window pixels (buttons are the caller's).
void draw_live_view(ScreenContext& ctx, const journey::Journey& j, float height);
// The centre of pressure's recent trail, fading with age, at `px_per_mm` around `centre` (screen pixels).
void draw_cop_trail(const ScreenContext& ctx, const plates::LiveView& view, ImVec2 centre, float px_per_mm);
// The end of a capture that ended by itself, in `height` window pixels.
void draw_capture_end(ScreenContext& ctx, const journey::Journey& j, float height);

}  // namespace kiosk::ui
