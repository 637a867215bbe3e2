// Helper for the "ui calib" test (not a test itself): draws the calibration
// screen over the real wizard on the simulated plate, which plays the
// technician on its virtual clock, 0.25 s of plate time a frame (so every
// stage gets its frames however loaded the machine is), and saves a PNG at
// each stage: zeroing, placing (mark 2), report, accepted.
//   calib_screen_shots OUT_DIR PLUGIN_DIR WIDTHxHEIGHT LANG
// Run under SDL_VIDEODRIVER=offscreen. Exit 0 when every picture was written.
#include <SDL.h>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "core/config.h"
#include "core/text_catalog.h"
#include "plates/calibration_wizard.h"
#include "plates/device_manager.h"
#include "plates/sim_clock.h"
#include "ui/fonts.h"
#include "ui/frame_pacer.h"
#include "ui/png.h"
#include "ui/screens/calibration_screen.h"
#include "ui/theme.h"
#include "ui/window.h"

int main(int argc, char** argv) {
  using namespace kiosk;
  if (argc != 5) {
    std::fprintf(stderr, "usage: calib_screen_shots OUT_DIR PLUGIN_DIR WIDTHxHEIGHT LANG\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  int width = 0, height = 0;
  if (std::sscanf(argv[3], "%dx%d", &width, &height) != 2) return 2;
  const Config config;
  const auto text = TextCatalog::load(std::filesystem::path(KIOSK_SOURCE_DIR) / "assets/strings");
  plates::PluginHost host;
  if (!host.load(std::filesystem::path(argv[2]) / "sim.so").empty()) return 1;
  plates::DeviceManager devices(host);
  devices.rescan();
  const auto* plate = devices.first_present();
  if (!plate) return 1;
  plates::WizardSetup setup;
  setup.mass_kg = 20;
  setup.positions_name = "five marks";
  setup.marks = calibration::standard_marks(150, 200);
  if (!plates::act_out_on_sim(*plate->plugin, setup, plates::SimPace::virtual_clock())) return 1;
  plates::CalibrationWizard wizard(devices.open(plate->id()), setup);

  ui::Window window({false, width, height, "calibration"});
  const float scale = ui::layout_scale(window.width(), window.height());
  const auto fonts = ui::load_fonts(scale, window.framebuffer_scale());
  ui::apply_theme(scale);
  window.rebuild_font_texture();
  ui::FramePacer pacer;
  int shots = 0;
  bool placing_shot = false, zero_shot = false, report_shot = false;
  for (int frame = 0; frame < 20000 && shots < 4; ++frame) {
    SDL_Event e;
    while (SDL_PollEvent(&e)) window.process_event(e);
    if (!wizard.finished() && plates::advance_sim(*plate->plugin, 0.25) != KP_OK) return 1;
    wizard.pump();
    window.begin_frame();
    ui::ScreenContext ctx{config, text, fonts, pacer, ui::FramePacer::Clock::now(), scale, argv[4]};
    ui::draw_calibration(ctx, wizard);
    window.end_frame();
    std::string name;
    if (!zero_shot && wizard.phase() == plates::CalibrationWizard::Phase::zeroing && wizard.stability() > 0.5)
      name = "zeroing", zero_shot = true;
    else if (!placing_shot && wizard.phase() == plates::CalibrationWizard::Phase::placing && wizard.mark_index() == 1 &&
             wizard.stability() >= 1)
      name = "placing", placing_shot = true;
    else if (!report_shot && wizard.phase() == plates::CalibrationWizard::Phase::report)
      name = "report", report_shot = true, wizard.accept();  // the next frames show it saved
    else if (report_shot && frame % 3 == 0 && wizard.phase() == plates::CalibrationWizard::Phase::accepted)
      name = "accepted";
    if (!name.empty()) {
      if (!ui::write_png(out / fmt::format("{}.png", name), window.read_back_buffer())) return 1;
      ++shots;
    }
    window.present();
    if (wizard.phase() == plates::CalibrationWizard::Phase::refused) {
      std::fprintf(stderr, "refused: %s\n", wizard.refusal().c_str());
      return 1;
    }
  }
  return shots == 4 ? 0 : 1;
}
