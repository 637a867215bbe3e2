// The real kiosk program walking the patient journey screen by screen under
// SDL's offscreen driver (`kiosk --gallery`): every screen is drawn by the
// real screens from the real model, saved as PNG (the test's artifacts in
// the build's Testing folder), and the walk reaches its end.
#include <catch2/catch.hpp>

#include <stb_image.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "support/process.h"

using kiosk::test::program;
using kiosk::test::run;

namespace {

// plate: with the simulated plate (the kiosk's demo actor), else with no plugins at all.
std::vector<std::string> walk(const std::string& answers, const std::filesystem::path& dir, const std::string& size,
                              bool plate = false) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto config = dir / "kiosk.toml";
  std::ofstream(config) << "[paths]\nplugin_dirs = [\"" << (plate ? KIOSK_PLUGIN_DIR : "/nonexistent") << "\"]\n";
  if (plate) {  // patients only get a calibrated plate: calibrate the sim first, the technician's way
    const auto cal = kiosk::test::calibrate_sim(config, dir / "data");
    INFO(cal.out << cal.err);
    REQUIRE(cal.exit_code == 0);
  }
  const auto r = run(program("kiosk") + " --config " + config.string() + " --data-dir " + (dir / "data").string() +
                         " --windowed " + size + " --gallery " + dir.string() + " --answers " + KIOSK_SOURCE_DIR +
                         "/tests/fixtures/answers/" + answers,
                     kiosk::test::kOffscreenKioskEnv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".png") names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool has(const std::vector<std::string>& names, const std::string& part) {
  return std::any_of(names.begin(), names.end(), [&](const auto& n) { return n.find(part) != std::string::npos; });
}

// Distinct colours in a PNG: a blank or failed frame has one or two.
std::size_t colours(const std::filesystem::path& file) {
  int w = 0, h = 0, n = 0;
  unsigned char* data = stbi_load(file.c_str(), &w, &h, &n, 3);
  REQUIRE(data);
  std::set<uint32_t> seen;
  for (int i = 0; i < w * h; ++i) seen.insert(data[3 * i] << 16 | data[3 * i + 1] << 8 | data[3 * i + 2]);
  stbi_image_free(data);
  return seen.size();
}

}  // namespace

TEST_CASE("journey: ui walk of the whole session draws every screen", "[ui][journey]") {
  // One size: the input-driven walks (journey_drive_test.cpp) cover every size.
  const std::string size = "1280x800";
  const auto dir = std::filesystem::path(KIOSK_BIN_DIR) / "../Testing/journey-gallery" / size;
  const auto names = walk("session_full.json", dir, size);
  CAPTURE(names);
  CHECK(names.size() > 30);
  for (const auto* screen : {"-attract", "-language", "-welcome", "step-confirm-screening", "step-ask_number-screening",
                             "step-choose-profile", "step-instruct-knee_to_wall", "step-ask_number-knee_to_wall",
                             "step-metronome-heel_raise", "step-result-heel_raise", "-results", "-finished"})
    CHECK(has(names, screen));
  CHECK(names.back().find("attract") != std::string::npos);  // it ends where the next person starts
  for (const auto& n : names) {
    INFO(n);
    CHECK(colours(dir / n) > 20);  // text and buttons, not a blank frame
  }
}

TEST_CASE("journey: ui walk on the simulated plate shows the live capture screens", "[ui][journey]") {
  const auto dir = std::filesystem::path(KIOSK_BIN_DIR) / "../Testing/journey-gallery/plate";
  // Knee-to-wall only (not safe on one leg): its captures end with Done, so the walk is short.
  const auto names = walk("session_one_leg_unsafe.json", dir, "1280x800", true);
  CAPTURE(names);
  for (const auto* screen : {"step-capture-knee_to_wall-321", "step-capture-knee_to_wall-live", "-results"})
    CHECK(has(names, screen));
  CHECK_FALSE(has(names, "single_leg_balance"));
  CHECK(names.size() < 60);  // one picture per capture phase, not one per frame
}

TEST_CASE("journey: ui walk with a red flag ends on the speak-to-the-team screen", "[ui][journey]") {
  const auto dir = std::filesystem::path(KIOSK_BIN_DIR) / "../Testing/journey-gallery/red-flag";
  const auto names = walk("session_red_flag.json", dir, "1280x800");
  CAPTURE(names);
  CHECK(has(names, "speak_to_team"));
  CHECK_FALSE(has(names, "knee_to_wall"));
  CHECK_FALSE(has(names, "-results"));
}
