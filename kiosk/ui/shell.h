// The kiosk's UI thread: owns the window, runs the event loop, draws the
// current screen. Frames are drawn only when the FramePacer says so.
#pragma once
#include <filesystem>

#include "core/config.h"
#include "core/text_catalog.h"
#include "ui/window.h"

namespace kiosk::ui {

struct ShellOptions {
  WindowOptions window;
  std::filesystem::path screenshot;  // with frames > 0: PNG of the last frame
  int frames = 0;                    // > 0: draw exactly this many frames, then exit
};

class Shell {
 public:
  Shell(const Config& config, const TextCatalog& text, ShellOptions options)
      : config_(config), text_(text), options_(std::move(options)) {}

  // Runs until the window is closed (or `frames` are drawn). Returns the
  // process exit code. Throws NoDisplayError when there is no display.
  int run();

 private:
  const Config& config_;
  const TextCatalog& text_;
  ShellOptions options_;
};

}  // namespace kiosk::ui
