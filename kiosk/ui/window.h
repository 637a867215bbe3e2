// The kiosk's one SDL2 window with an SDL_Renderer (GPU when present,
// software otherwise) and Dear ImGui bound to it. Thread: UI thread only.
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "ui/png.h"

struct SDL_Window;
struct SDL_Renderer;
union SDL_Event;

namespace kiosk::ui {

// No video device: the caller prints one line and how to run headless.
class NoDisplayError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WindowOptions {
  bool fullscreen = true;
  int width = 1280;  // window units, used when not fullscreen
  int height = 800;
  std::string title = "Heel check";
};

class Window {
 public:
  explicit Window(const WindowOptions& options);  // throws NoDisplayError
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  // Size in window units (what ImGui lays out in).
  int width() const;
  int height() const;
  float framebuffer_scale() const;  // HiDPI: drawable pixels per window unit
  std::string renderer_name() const;
  SDL_Renderer* renderer() const { return renderer_; }  // for textures (illustrations)

  bool process_event(const SDL_Event& event);  // feeds ImGui; true if ImGui used it
  void begin_frame();
  void end_frame();                // renders ImGui into the back buffer
  Image read_back_buffer() const;  // between end_frame() and present()
  void present();

  void rebuild_font_texture();  // after the font atlas changed

  // Input-driven tests (InputDriver): the pointer ImGui sees from now on —
  // at x, y in window units, pressed or not — instead of SDL's mouse state,
  // which pushed SDL events cannot set. nullopt: back to SDL's mouse.
  struct Pointer {
    float x = 0, y = 0;
    bool down = false;
  };
  void inject_pointer(std::optional<Pointer> pointer) { pointer_ = pointer; }
  uint32_t sdl_window_id() const;
  // Waits until the GPU has drawn what was sent (reads one pixel back). Runs
  // that draw every frame as fast as they can (tests) call it so frames do not
  // queue without bound where nothing paces present() (offscreen).
  void finish_drawing() const;

 private:
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  std::optional<Pointer> pointer_;
};

}  // namespace kiosk::ui
