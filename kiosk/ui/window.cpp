#include "ui/window.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include "core/log.h"
#include "ui/theme.h"

namespace kiosk::ui {

Window::Window(const WindowOptions& options) {
  SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");  // a kiosk never minimises
  SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) throw NoDisplayError(SDL_GetError());
  // SDL falls back to its invisible drivers when no display answers; only
  // use them when asked for by name (SDL_VIDEODRIVER), as the tests do.
  const std::string driver = SDL_GetCurrentVideoDriver();
  const char* asked = SDL_getenv("SDL_VIDEODRIVER");
  if ((driver == "offscreen" || driver == "dummy") && !(asked && driver == asked)) {
    SDL_Quit();
    throw NoDisplayError("no X11 or Wayland display found (DISPLAY and WAYLAND_DISPLAY unset?)");
  }

  Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE;
  if (options.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  window_ = SDL_CreateWindow(options.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, options.width,
                             options.height, flags);
  if (!window_) {
    std::string why = SDL_GetError();
    SDL_Quit();
    throw NoDisplayError(why);
  }
  renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
  if (!renderer_) renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
  if (!renderer_) {
    std::string why = SDL_GetError();
    SDL_DestroyWindow(window_);
    SDL_Quit();
    throw NoDisplayError(why);
  }
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // a kiosk keeps no window layout file
  ImGui_ImplSDL2_InitForSDLRenderer(window_);
  ImGui_ImplSDLRenderer_Init(renderer_);
  log::get("ui")->info("window ready driver={} renderer={} size={}x{} scale={}", SDL_GetCurrentVideoDriver(),
                       renderer_name(), width(), height(), framebuffer_scale());
}

Window::~Window() {
  ImGui_ImplSDLRenderer_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_DestroyRenderer(renderer_);
  SDL_DestroyWindow(window_);
  SDL_Quit();
}

int Window::width() const {
  int w = 0;
  SDL_GetWindowSize(window_, &w, nullptr);
  return w;
}

int Window::height() const {
  int h = 0;
  SDL_GetWindowSize(window_, nullptr, &h);
  return h;
}

float Window::framebuffer_scale() const {
  int pixels = 0;
  SDL_GetRendererOutputSize(renderer_, &pixels, nullptr);
  const int units = width();
  return units > 0 && pixels > 0 ? static_cast<float>(pixels) / static_cast<float>(units) : 1.0f;
}

std::string Window::renderer_name() const {
  SDL_RendererInfo info{};
  SDL_GetRendererInfo(renderer_, &info);
  return info.name ? info.name : "unknown";
}

bool Window::process_event(const SDL_Event& event) { return ImGui_ImplSDL2_ProcessEvent(&event); }

void Window::begin_frame() {
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  if (pointer_) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = {pointer_->x, pointer_->y};
    io.MouseDown[0] = pointer_->down;
  }
  ImGui::NewFrame();
}

uint32_t Window::sdl_window_id() const { return SDL_GetWindowID(window_); }

void Window::finish_drawing() const {
  const SDL_Rect one{0, 0, 1, 1};
  uint32_t pixel = 0;
  SDL_RenderReadPixels(renderer_, &one, SDL_PIXELFORMAT_ABGR8888, &pixel, 4);
}

void Window::end_frame() {
  ImGui::Render();
  const auto& bg = palette::kBackground;
  SDL_SetRenderDrawColor(renderer_, static_cast<Uint8>(bg[0] * 255), static_cast<Uint8>(bg[1] * 255),
                         static_cast<Uint8>(bg[2] * 255), 255);
  SDL_RenderClear(renderer_);
  ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
}

Image Window::read_back_buffer() const {
  Image image;
  SDL_GetRendererOutputSize(renderer_, &image.width, &image.height);
  image.rgba.resize(static_cast<size_t>(image.width) * image.height * 4);
  // ABGR8888 is R,G,B,A in memory on little-endian machines.
  if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, image.rgba.data(), image.width * 4) != 0) {
    log::get("ui")->error("screenshot read failed: {}", SDL_GetError());
    return {};
  }
  return image;
}

void Window::present() { SDL_RenderPresent(renderer_); }

void Window::rebuild_font_texture() {
  ImGui_ImplSDLRenderer_DestroyFontsTexture();
  ImGui_ImplSDLRenderer_CreateFontsTexture();
}

}  // namespace kiosk::ui
