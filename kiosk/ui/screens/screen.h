// What every screen gets to draw one frame, and what it may ask of the shell.
#pragma once
#include <chrono>
#include <string>

#include "core/config.h"
#include "core/text_catalog.h"
#include "ui/fonts.h"
#include "ui/frame_pacer.h"

namespace kiosk::ui {

class Illustrations;
class SoundPlayer;

// The patient's aids, on every patient screen's top bar: "Read to me" and
// large text. The shell keeps it for the session and forgets it with the patient.
struct PatientAids {
  std::string words;        // this frame: every title and body text drawn, in order (what "Read to me" reads)
  bool read_asked = false;  // this frame: "Read to me" was pressed
  bool large_text = false;  // the patient's choice, kept until the session ends
};

struct ScreenContext {
  const Config& config;
  const TextCatalog& text;
  const Fonts& fonts;
  FramePacer& pacer;  // ask for a later frame (animations, timers)
  FramePacer::Clock::time_point now;
  float scale = 1.0f;  // layout units → window units
  std::string language;
  Illustrations* illustrations = nullptr;  // pictures for the steps; null: none drawn
  SoundPlayer* sound = nullptr;            // the cues' player (staff set its volume); null: silent
  PatientAids* aids = nullptr;             // patient screens only; null: no aids drawn (attract, staff)

  std::string_view tr(std::string_view key) const { return text.get(language, key); }
};

}  // namespace kiosk::ui
