// The attract screen: what the kiosk shows while nobody is using it. Shows
// its invitation in each language in turn; any touch starts a session.
#pragma once
#include "ui/screens/screen.h"

namespace kiosk::ui {

class AttractScreen {
 public:
  static constexpr std::chrono::seconds kLanguageDwell{6};

  // Draws one frame; returns true when the patient touched to start.
  // blocked: no session may start (the safety questions are not working):
  // "please ask at the front desk" instead of the start button.
  bool draw(ScreenContext& ctx, bool blocked = false);

  // The language shown at `now` (cycles through the supported languages,
  // starting with the configured one).
  std::string_view language_at(const ScreenContext& ctx) const;

 private:
  std::optional<FramePacer::Clock::time_point> shown_since_;
};

}  // namespace kiosk::ui
