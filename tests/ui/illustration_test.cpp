// The instruction screens' illustrations: the bundled ones load, draw (SVG →
// RGBA through librsvg/cairo) and move; the tool redraws them byte for byte;
// "Show me" asks the FramePacer for frames only while it plays; a broken or
// missing one is named, never a crash.
#include <catch2/catch.hpp>

#include <stb_image.h>

#include <fstream>
#include <set>
#include <sstream>

#include "media/illustration_set.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "ui/frame_pacer.h"
#include "ui/illustration.h"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {
const std::filesystem::path kDir = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets/illustrations";

std::string slurp(const std::filesystem::path& f) {
  std::ifstream in(f, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Dark pixels (the figure's lines) and transparent ones (no background).
std::pair<std::size_t, std::size_t> ink_and_clear(const ui::Image& im) {
  std::size_t ink = 0, clear = 0;
  for (std::size_t i = 0; i < im.rgba.size(); i += 4) {
    if (im.rgba[i + 3] == 0)
      ++clear;
    else if (im.rgba[i + 3] > 200 && im.rgba[i] < 60 && im.rgba[i + 1] < 60 && im.rgba[i + 2] < 60)
      ++ink;
  }
  return {ink, clear};
}
}  // namespace

TEST_CASE("ui illustration: every illustration the bundled scripts name loads draws and moves", "[ui]") {
  CHECK(media::illustration_ids(kDir) == std::vector<std::string>{"heel_raise", "knee_to_wall", "single_leg_balance"});
  for (const auto& id : media::illustration_ids(kDir)) {
    INFO(id);
    const auto ill = media::load_illustration(kDir, id);
    CHECK(ill.loops >= 1);
    REQUIRE(ill.frames.size() >= 8);
    CHECK(ill.loop_ms() >= 1500);
    const auto still = ui::rasterize_svg(ill.still, 480, 340);
    REQUIRE(still.width == 480);
    const auto [ink, clear] = ink_and_clear(still);
    CHECK(ink > 2000);             // a figure
    CHECK(clear > 480 * 340 / 2);  // on nothing: the screen's colours show through
    // The movement moves: the first frame and the one half a loop later differ.
    std::size_t half = 0;
    for (int t = 0; half + 1 < ill.frames.size() && t < ill.loop_ms() / 2; t += ill.frames[half++].ms) {
    }
    CHECK(ui::rasterize_svg(ill.frames[0].svg, 240, 170).rgba !=
          ui::rasterize_svg(ill.frames[half].svg, 240, 170).rgba);
  }
}

TEST_CASE("ui illustration: redrawing them gives byte-identical files", "[ui]") {
  test::TempDir dir;
  const auto r =
      test::run("python3 '" + (kDir / "draw_illustrations.py").string() + "' --out '" + dir.path().string() + "'");
  REQUIRE(r.exit_code == 0);
  for (const auto& id : media::illustration_ids(kDir)) {
    std::set<std::string> committed, drawn;
    for (const auto& e : std::filesystem::directory_iterator(kDir / id)) committed.insert(e.path().filename().string());
    for (const auto& e : std::filesystem::directory_iterator(dir / id)) drawn.insert(e.path().filename().string());
    INFO(id);
    CHECK(committed == drawn);
    for (const auto& name : drawn) {
      INFO(name);
      CHECK(slurp(kDir / id / name) == slurp(dir / id / name));
    }
  }
}

TEST_CASE("ui illustration: show me plays its loops and asks for frames only while it plays", "[ui]") {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "wave");
  for (const auto* f : {"still.svg", "a.svg", "b.svg"})
    std::ofstream(dir / "wave" / f) << "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
  std::ofstream(dir / "wave/illustration.toml") << "version = 1\nstill = \"still.svg\"\nloops = 2\nframes = [{ svg = "
                                                   "\"a.svg\", ms = 100 }, { svg = \"b.svg\", ms = 200 }]\n";
  const auto ill = media::load_illustration(dir.path(), "wave");
  ui::Animation show;
  ui::FramePacer pacer(/*settle_frames=*/0);
  const auto t0 = ui::FramePacer::Clock::now();
  CHECK_FALSE(show.frame(t0));  // not started: the still, and no frames asked for
  CHECK_FALSE(show.next_change(t0));
  show.start(ill, t0);
  // Draw exactly when the pacer says; each drawn frame asks for the next change.
  std::vector<std::pair<int, long>> drawn;  // (ms, frame index or -1 for the still)
  pacer.request_frame_at(t0);
  for (int ms = 0; ms <= 2000; ++ms) {
    const auto now = t0 + std::chrono::milliseconds(ms);
    if (!pacer.should_render(now)) continue;
    const auto f = show.frame(now);
    drawn.emplace_back(ms, f ? static_cast<long>(*f) : -1);
    if (const auto next = show.next_change(now)) pacer.request_frame_at(*next);
    pacer.on_rendered(now);
  }
  const std::vector<std::pair<int, long>> expected{{0, 0}, {100, 1}, {300, 0}, {400, 1}, {600, -1}};
  CHECK(drawn == expected);                       // two loops, then the still once, then nothing more
  CHECK(pacer.wait_timeout_ms(t0 + 2s) == 1000);  // idle again: the longest sleep
}

TEST_CASE("ui illustration: a missing or broken illustration is named by file line and key", "[ui]") {
  test::TempDir dir;
  CHECK_THROWS_WITH(media::load_illustration(dir.path(), "nope"), Catch::Contains("no illustration \"nope\""));
  CHECK_THROWS_AS(media::load_illustration(dir.path(), "../etc"), media::IllustrationError);
  std::filesystem::create_directories(dir / "bad");
  std::ofstream(dir / "bad/still.svg") << "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
  std::ofstream(dir / "bad/illustration.toml")
      << "version = 1\nstill = \"still.svg\"\nloops = 2\nframes = [\n  { svg = \"gone.svg\", ms = 100 },\n]\n";
  CHECK_THROWS_WITH(media::load_illustration(dir.path(), "bad"),
                    Catch::Contains("bad/illustration.toml:5: frames.svg: no gone.svg"));
  CHECK(ui::rasterize_svg(dir / "bad/gone.svg", 10, 10).rgba.empty());
  // The kiosk's cache says "none" for it (and logs once) rather than failing the screen.
  ui::Illustrations cache({dir.path()}, nullptr);
  CHECK(cache.find("bad") == nullptr);
  CHECK(cache.find("bad") == nullptr);
  CHECK(cache.find("") == nullptr);
}

TEST_CASE("ui illustration: the real kiosk's instruction screens show the still and the others do not",
          "[ui][journey]") {
  test::TempDir dir;
  std::ofstream(dir / "kiosk.toml") << "[paths]\nplugin_dirs = [\"/nonexistent\"]\n";
  std::ostringstream cmd;
  cmd << test::program("kiosk") << " --config " << (dir / "kiosk.toml").string() << " --data-dir "
      << (dir / "data").string() << " --windowed 800x480 --gallery " << (dir / "shots").string() << " --answers "
      << KIOSK_SOURCE_DIR << "/tests/fixtures/answers/session_full.json";
  const auto r = test::run(cmd.str(), test::kOffscreenKioskEnv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // The figures' lines are pure black (draw_figures.py NEAR); the kiosk's text is not.
  auto black_pixels = [](const std::filesystem::path& png) {
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(png.c_str(), &w, &h, &n, 3);
    REQUIRE(px);
    std::size_t black = 0;
    for (int i = 0; i < w * h; ++i) black += px[3 * i] == 0 && px[3 * i + 1] == 0 && px[3 * i + 2] == 0;
    stbi_image_free(px);
    return black;
  };
  int pictured = 0, plain = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "shots")) {
    const auto name = e.path().filename().string();
    INFO(name);
    if (name.find("step-instruct-") == std::string::npos) continue;
    const bool has_picture = name.find("screening") == std::string::npos && name.find("profile") == std::string::npos;
    if (has_picture) {
      CHECK(black_pixels(e.path()) > 300);
      ++pictured;
    } else {
      CHECK(black_pixels(e.path()) == 0);
      ++plain;
    }
  }
  CHECK(pictured == 6);  // knee to wall, balance, heel raise: each side
  CHECK(plain == 2);
}

TEST_CASE("ui illustration: a script folder's own drawing is found after the shipped ones", "[ui]") {
  const std::filesystem::path source = KIOSK_SOURCE_DIR;
  const auto dirs =
      media::illustration_dirs(source / "assets", {source / "scripts", source / "tests/fixtures/scripts"});
  REQUIRE(dirs.size() == 3);
  CHECK(dirs[0] == source / "assets/illustrations");
  CHECK(dirs[2] == source / "tests/fixtures/scripts/illustrations");
  // The tutorial's toe lift lives beside its script; the bundled tests' in the assets.
  const auto toe = media::load_illustration(dirs, "toe_lift");
  CHECK(toe.still == source / "tests/fixtures/scripts/illustrations/toe_lift/still.svg");
  CHECK(toe.frames.size() > 2);
  CHECK(media::load_illustration(dirs, "heel_raise").still == source / "assets/illustrations/heel_raise/still.svg");
  CHECK(media::illustration_ids(dirs) ==
        std::vector<std::string>{"heel_raise", "knee_to_wall", "single_leg_balance", "toe_lift"});
  CHECK_THROWS_WITH(media::load_illustration(dirs, "toe_lfit"),
                    Catch::Contains("no illustration \"toe_lfit\" (looked in ") &&
                        Catch::Contains("tests/fixtures/scripts/illustrations"));
}
