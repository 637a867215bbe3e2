// The real kiosk program, drawn by SDL's offscreen driver, saved as PNG.
#include <catch2/catch.hpp>

#include <stb_image.h>

#include <fstream>
#include <set>

#include "support/process.h"
#include "support/temp_dir.h"

using kiosk::test::program;
using kiosk::test::run;
using kiosk::test::TempDir;

namespace {

struct Png {
  int w = 0, h = 0;
  std::vector<unsigned char> rgba;
  std::array<unsigned char, 4> at(int x, int y) const {
    const auto* p = &rgba[(static_cast<size_t>(y) * w + x) * 4];
    return {p[0], p[1], p[2], p[3]};
  }
};

Png load(const std::filesystem::path& file) {
  Png png;
  int channels = 0;
  unsigned char* data = stbi_load(file.c_str(), &png.w, &png.h, &channels, 4);
  REQUIRE(data != nullptr);
  png.rgba.assign(data, data + static_cast<size_t>(png.w) * png.h * 4);
  stbi_image_free(data);
  return png;
}

Png screenshot(const TempDir& dir, const std::string& args, const std::string& name = "shot.png") {
  const auto file = dir / name;
  const auto r = run(program("kiosk") + " --data-dir " + (dir / "data").string() + " --screenshot " + file.string() +
                         " --frames 3 " + args,
                     kiosk::test::kOffscreenKioskEnv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return load(file);
}

}  // namespace

TEST_CASE("ui: the attract screen is drawn with text and the start button") {
  TempDir dir;
  const Png png = screenshot(dir, "--windowed 1280x800");
  CHECK(png.w == 1280);
  CHECK(png.h == 800);
  size_t background = 0, dark_text = 0, button = 0;
  std::set<uint32_t> colours;
  for (int y = 0; y < png.h; ++y)
    for (int x = 0; x < png.w; ++x) {
      const auto c = png.at(x, y);
      colours.insert(c[0] << 16 | c[1] << 8 | c[2]);
      if (c[0] > 240 && c[1] > 240 && c[2] > 240) ++background;
      if (c[0] < 60 && c[1] < 60 && c[2] < 60) ++dark_text;
      if (c[0] < 20 && c[1] > 70 && c[1] < 110 && c[2] > 120 && c[2] < 150) ++button;  // palette::kPrimary
    }
  const double total = static_cast<double>(png.w) * png.h;
  CHECK(background / total > 0.5);   // mostly the calm background
  CHECK(dark_text / total > 0.002);  // real glyphs were drawn
  CHECK(button / total > 0.02);      // the big start button
  CHECK(colours.size() > 50);        // anti-aliased text, not flat fills
}

TEST_CASE("ui: the window size and language come from the command line and the config") {
  TempDir dir;
  std::ofstream(dir / "es.toml") << "[kiosk]\nlanguage = \"es\"\n";
  const Png en = screenshot(dir, "--windowed 800x480", "en.png");
  const Png es = screenshot(dir, "--windowed 800x480 --config " + (dir / "es.toml").string(), "es.png");
  CHECK(en.w == 800);
  CHECK(es.h == 480);
  CHECK(en.rgba != es.rgba);  // different words on screen
  const Png portrait = screenshot(dir, "--windowed 1080x1920", "portrait.png");
  CHECK(portrait.w == 1080);
  CHECK(portrait.h == 1920);
}
