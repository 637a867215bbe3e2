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

struct ScreenContext {
  const Config& config;
  const TextCatalog& text;
  const Fonts& fonts;
  FramePacer& pacer;                       // ask for a later frame (animations, timers)
  FramePacer::Clock::time_point now;
  float scale = 1.0f;                      // layout units → window units
  std::string language;
  Illustrations* illustrations = nullptr;  // pictures for the steps; null: none drawn
  SoundPlayer* sound = nullptr;            // the cues' player (staff set its volume); null: silent

  std::string_view tr(std::string_view key) const { return text.get(language, key); }
};

}  // namespace kiosk::ui
