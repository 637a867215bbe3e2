// The instruction screens' illustrations: the still beside the words and a
// "Show me" animation (assets/illustrations/<id>/, kiosk/media/illustration_set.h).
// SVG → RGBA with librsvg/cairo → SDL_Texture; stills are cached per size,
// the playing animation reuses one texture. An id with no illustration is
// logged once and the screen goes on without a picture. The animation asks
// the FramePacer for a frame only when its picture changes, and only while
// it plays. Thread: UI thread, inside an ImGui frame (draw) or outside.
#pragma once
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "media/illustration_set.h"
#include "ui/png.h"
#include "ui/screens/screen.h"

struct SDL_Renderer;
struct SDL_Texture;

namespace kiosk::ui {

// The SVG drawn to fit width × height pixels (centred, aspect kept), as
// straight-alpha RGBA. Empty image when the file cannot be read.
Image rasterize_svg(const std::filesystem::path& svg, int width, int height);

// Which frame of an illustration's movement shows when; pure timing.
class Animation {
 public:
  using Clock = FramePacer::Clock;
  void start(const media::Illustration& ill, Clock::time_point now);
  void stop() { frames_.clear(); }
  // The frame to show; nullopt once every loop has played (or never started).
  std::optional<std::size_t> frame(Clock::time_point now) const;
  // When the picture next changes (the end counts: the still returns); nullopt: never.
  std::optional<Clock::time_point> next_change(Clock::time_point now) const;

 private:
  std::vector<int> frames_;  // ms each
  int loops_ = 0, loop_ms_ = 0;
  Clock::time_point start_{};
};

class Illustrations {
 public:
  // dirs: where to look, in order (media::illustration_dirs).
  Illustrations(std::vector<std::filesystem::path> dirs, SDL_Renderer* renderer)
      : dirs_(std::move(dirs)), renderer_(renderer) {}
  ~Illustrations();
  Illustrations(const Illustrations&) = delete;
  Illustrations& operator=(const Illustrations&) = delete;

  // The illustration, loaded once; nullptr (logged once) when the id has none.
  const media::Illustration* find(const std::string& id);
  // Draws `id` into a box of `size` (window units) with a "Show me" button
  // under it. `screen` tells one showing of a step from the next (a new
  // value stops a playing animation). False: no such illustration, nothing drawn.
  bool draw_panel(const ScreenContext& ctx, const std::string& id, int screen, float width, float height);

 private:
  SDL_Texture* texture_for(const std::filesystem::path& svg, int w, int h, bool animation);

  std::vector<std::filesystem::path> dirs_;
  SDL_Renderer* renderer_;
  std::map<std::string, media::Illustration> loaded_;
  std::set<std::string> missing_;
  std::map<std::tuple<std::string, int, int>, SDL_Texture*> stills_;  // by (file, pixel size)
  SDL_Texture* frame_texture_ = nullptr;
  std::tuple<std::string, int, int> frame_key_;
  Animation animation_;
  int animation_screen_ = -1;
};

// Instruction screens with a picture: landscape puts it on the left and the
// words in a column on the right; portrait puts it above them. Draw the
// words and buttons after begin_illustrated(), then call end_illustrated().
// `words`: the text that goes beside the picture (the picture makes room for it).
struct IllustratedLayout {
  bool picture = false;  // a picture was drawn
  bool column = false;   // the words are in a column beside it
};
IllustratedLayout begin_illustrated(const ScreenContext& ctx, const std::string& id, int screen,
                                    std::string_view words);
void end_illustrated(const IllustratedLayout& layout);

}  // namespace kiosk::ui
