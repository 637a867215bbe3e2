// "ui calib": the calibration screen drawn offscreen over the real wizard on
// the simulated plate (tests/ui/calib_screen_shots.cpp), one PNG per stage.
#include <catch2/catch.hpp>

#include <stb_image.h>

#include <set>

#include "support/process.h"
#include "support/temp_dir.h"

using kiosk::test::program;
using kiosk::test::run;

namespace {

struct Picture {
  std::size_t colours = 0;
  std::size_t near(int r, int g, int b) const {  // pixels within 12 of an RGB colour
    std::size_t n = 0;
    for (std::size_t i = 0; i + 2 < rgb.size(); i += 3)
      n += std::abs(rgb[i] - r) < 12 && std::abs(rgb[i + 1] - g) < 12 && std::abs(rgb[i + 2] - b) < 12;
    return n;
  }
  std::vector<int> rgb;
};

Picture load(const std::filesystem::path& file) {
  int w = 0, h = 0, n = 0;
  unsigned char* data = stbi_load(file.c_str(), &w, &h, &n, 3);
  REQUIRE(data);
  Picture p;
  std::set<int> seen;
  for (int i = 0; i < w * h * 3; i += 3) seen.insert(data[i] << 16 | data[i + 1] << 8 | data[i + 2]);
  p.rgb.assign(data, data + w * h * 3);
  p.colours = seen.size();
  stbi_image_free(data);
  return p;
}

}  // namespace

TEST_CASE("ui calib: the calibration screen draws each stage of the wizard on the simulated plate") {
  // Landscape in English, portrait in Spanish (the staff screens' two layouts and languages).
  const auto [size, lang] = GENERATE(std::pair<std::string, std::string>{"1280x800", "en"},
                                     std::pair<std::string, std::string>{"800x1280", "es"});
  kiosk::test::TempDir dir;
  const auto r =
      run(program("calib_screen_shots") + " " + dir.path().string() + " " + KIOSK_PLUGIN_DIR + " " + size + " " + lang,
          kiosk::test::kOffscreenKioskEnv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto placing = load(dir / "placing.png");
  const auto report = load(dir / "report.png");
  const auto accepted = load(dir / "accepted.png");
  CHECK(load(dir / "zeroing.png").colours > 50);
  CHECK(placing.colours > 50);
  CHECK(placing.near(237, 140, 46) > 500);  // the mark to use, in the accent colour
  CHECK(placing.near(153, 51, 140) > 200);  // cell 4's raw channel and its square
  CHECK(placing.near(41, 140, 61) > 300);   // the first mark done, the plate steady
  CHECK(report.near(41, 140, 61) > 300);    // "passed" in green
  CHECK(report.rgb != placing.rgb);
  CHECK(accepted.rgb != report.rgb);  // the saved note and Close instead of the decision
}
