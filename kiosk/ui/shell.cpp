#include "ui/shell.h"

#include <SDL.h>
#include <imgui.h>

#include "core/log.h"
#include "ui/fonts.h"
#include "ui/frame_pacer.h"
#include "ui/screens/attract.h"
#include "ui/theme.h"

namespace kiosk::ui {

int Shell::run() {
  auto logger = log::get("ui");
  Window window(options_.window);
  FramePacer pacer;
  pacer.set_continuous(options_.frames > 0);  // scripted runs draw every frame

  Fonts fonts;
  float scale = 1.0f;
  int laid_out_w = 0, laid_out_h = 0;
  auto relayout = [&] {
    laid_out_w = window.width();
    laid_out_h = window.height();
    scale = layout_scale(laid_out_w, laid_out_h);
    fonts = load_fonts(scale, window.framebuffer_scale());
    apply_theme(scale);
    window.rebuild_font_texture();
    logger->info("layout size={}x{} scale={:.2f} font={}", laid_out_w, laid_out_h, scale,
                 fonts.file.string());
  };
  relayout();

  AttractScreen attract;
  int drawn = 0;
  bool running = true;
  while (running) {
    auto now = FramePacer::Clock::now();
    SDL_Event event;
    if (SDL_WaitEventTimeout(&event, pacer.wait_timeout_ms(now))) {
      do {
        window.process_event(event);
        if (event.type == SDL_QUIT) running = false;
        pacer.on_input();
      } while (SDL_PollEvent(&event));
    }
    now = FramePacer::Clock::now();
    if (!running || !pacer.should_render(now)) continue;
    if (window.width() != laid_out_w || window.height() != laid_out_h) relayout();

    window.begin_frame();
    ScreenContext ctx{config_, text_, fonts, pacer, now, scale, config_.language};
    if (attract.draw(ctx)) logger->info("session start requested");
    window.end_frame();
    pacer.on_rendered(now);
    ++drawn;

    if (options_.frames > 0 && drawn >= options_.frames) {
      if (!options_.screenshot.empty()) {
        if (!write_png(options_.screenshot, window.read_back_buffer())) {
          logger->error("cannot write screenshot path={}", options_.screenshot.string());
          return 1;
        }
        logger->info("screenshot written path={}", options_.screenshot.string());
      }
      running = false;
    }
    window.present();
  }
  return 0;
}

}  // namespace kiosk::ui
