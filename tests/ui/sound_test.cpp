// The kiosk's sound path for real: SoundPlayer opens SDL audio with SDL's
// `disk` driver, which writes the mixed output to a file; the test reads
// that file back and finds each tone at its pitch, silence around it, and
// the volume setting scaling it. Also: the bundled sound files all load.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numbers>
#include <sstream>
#include <thread>

#include "media/sound_bank.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "ui/sound.h"

using kiosk::ui::SoundPlayer;
using namespace std::chrono_literals;

namespace {

constexpr int kRate = SoundPlayer::kRateHz;

// Amplitude of the `hz` component of samples [from, from + n): one DFT bin
// through a Hann window, so a tone 2 bins away hardly leaks into it.
double amplitude_at(const std::vector<float>& x, std::size_t from, std::size_t n, double hz) {
  double re = 0, im = 0, gain = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n - 1));
    const double ph = 2 * std::numbers::pi * hz * static_cast<double>(i) / kRate;
    re += w * x[from + i] * std::cos(ph);
    im -= w * x[from + i] * std::sin(ph);
    gain += w;
  }
  return 2 * std::hypot(re, im) / gain;
}

double peak(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double p = 0;
  for (std::size_t i = from; i < std::min(to, x.size()); ++i) p = std::max(p, static_cast<double>(std::abs(x[i])));
  return p;
}

// Where each burst of sound starts (after at least 50 ms of silence).
std::vector<std::size_t> onsets(const std::vector<float>& x) {
  std::vector<std::size_t> out;
  std::size_t quiet = kRate;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::abs(x[i]) > 1e-3f) {
      if (quiet >= kRate / 20) out.push_back(i);
      quiet = 0;
    } else {
      ++quiet;
    }
  }
  return out;
}

// Runs `body` with a SoundPlayer on SDL's disk driver; returns what it wrote.
template <class Body>
std::vector<float> record(const kiosk::test::TempDir& dir, int volume, Body body) {
  const auto file = dir / "out.raw";
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", file.c_str(), 1);
  {
    SoundPlayer player(dir / "sounds", volume);
    REQUIRE(player.has_device());
    body(player);
  }
  unsetenv("SDL_AUDIODRIVER");
  unsetenv("SDL_DISKAUDIOFILE");
  std::ifstream in(file, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  std::vector<float> samples(bytes.size() / sizeof(float));
  std::memcpy(samples.data(), bytes.data(), samples.size() * sizeof(float));
  return samples;
}

void write_sounds(const kiosk::test::TempDir& dir) {
  std::filesystem::create_directories(dir / "sounds");
  std::ofstream(dir / "sounds/low.toml")
      << "version = 1\n[[tone]]\nhz = 500\nms = 100\nlevel = 0.5\nattack_ms = 2\nrelease_ms = 2\n";
  std::ofstream(dir / "sounds/high.toml")
      << "version = 1\n[[tone]]\nhz = 1500\nms = 100\nlevel = 0.5\nattack_ms = 2\nrelease_ms = 2\n";
}

}  // namespace

TEST_CASE("ui sound: cues are heard at their pitch with silence between and the volume scales them", "[ui]") {
  kiosk::test::TempDir dir;
  write_sounds(dir);
  const auto x = record(dir, 100, [](SoundPlayer& p) {
    std::this_thread::sleep_for(150ms);
    p.play("low");
    std::this_thread::sleep_for(300ms);
    p.play("high");
    std::this_thread::sleep_for(300ms);
    p.set_volume(50);  // staff turn it down while it runs
    p.play("low");
    std::this_thread::sleep_for(300ms);
    p.play("nonexistent");  // logged, skipped
    std::this_thread::sleep_for(100ms);
  });
  const auto at = onsets(x);
  REQUIRE(at.size() == 3);
  CHECK(peak(x, 0, at[0] - kRate / 1000) == 0);  // silence before the first cue (to 1 ms before its fade-in shows)
  const std::size_t len = kRate / 10, body_from = kRate / 100, body_n = kRate * 8 / 100;  // 100 ms; its middle 80 ms
  // First: 500 Hz at level 0.5, nothing at 1500 Hz; then silence until the next.
  CHECK(amplitude_at(x, at[0] + body_from, body_n, 500) == Approx(0.5).margin(0.02));
  CHECK(amplitude_at(x, at[0] + body_from, body_n, 1500) < 0.01);
  CHECK(peak(x, at[0] + len + kRate / 1000, at[1]) < 1e-3);
  // Second: 1500 Hz, not 500 Hz.
  CHECK(amplitude_at(x, at[1] + body_from, body_n, 1500) == Approx(0.5).margin(0.02));
  CHECK(amplitude_at(x, at[1] + body_from, body_n, 500) < 0.01);
  CHECK(peak(x, at[1] + len + kRate / 1000, at[2]) < 1e-3);
  // Third at volume 50: half the amplitude; the unknown id added nothing.
  CHECK(amplitude_at(x, at[2] + body_from, body_n, 500) == Approx(0.25).margin(0.01));
  CHECK(peak(x, at[2] + len + kRate / 1000, x.size()) < 1e-3);
}

TEST_CASE("ui sound: at volume 0 nothing is heard", "[ui]") {
  kiosk::test::TempDir dir;
  write_sounds(dir);
  const auto x = record(dir, 0, [](SoundPlayer& p) {
    p.play("low");
    std::this_thread::sleep_for(200ms);
  });
  REQUIRE(x.size() > kRate / 10);
  CHECK(peak(x, 0, x.size()) == 0);
}

TEST_CASE("ui sound: without an audio device the kiosk carries on silent", "[ui]") {
  kiosk::test::TempDir dir;
  write_sounds(dir);
  setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
  SoundPlayer player(dir / "sounds", 80);
  unsetenv("SDL_AUDIODRIVER");
  CHECK_FALSE(player.has_device());
  player.play("low");  // nothing happens, nothing breaks
  player.set_volume(120);
  CHECK(player.volume() == 100);
}

TEST_CASE("ui sound: the bundled sounds all load and every cue the journey plays exists", "[ui]") {
  const auto bank = kiosk::media::SoundBank::load(std::filesystem::path(KIOSK_SOURCE_DIR) / "assets/sounds", kRate);
  CHECK(bank.problems().empty());
  for (const auto* id : {"tick", "go", "beat", "done", "beep"}) {
    INFO(id);
    REQUIRE(bank.samples(id));
    CHECK(peak(*bank.samples(id), 0, bank.samples(id)->size()) <= 0.6);  // room to overlap unclipped
  }
}

TEST_CASE("ui sound: a bad sound file is named by file line and key", "[ui]") {
  using kiosk::media::parse_sound;
  CHECK_THROWS_WITH(parse_sound("version = 1\n[[tone]]\nhz = 5\nms = 10\n", "t.toml"),
                    Catch::Contains("t.toml:3: tone.hz: must be a number from 20 to 20000"));
  CHECK_THROWS_WITH(parse_sound("version = 1\n[[tone]]\nhz = 500\nms = 10\nattack_ms = 8\nrelease_ms = 8\n", "t.toml"),
                    Catch::Contains("t.toml:2: tone: attack_ms + release_ms must fit in ms"));
  CHECK_THROWS_WITH(parse_sound("version = 1\nvolume = 3\n[[tone]]\nhz = 500\nms = 10\n", "t.toml"),
                    Catch::Contains("t.toml:2: volume: unknown key"));
  CHECK_THROWS_WITH(parse_sound("version = 2\n", "t.toml"), Catch::Contains("t.toml:1: version: must be 1"));
}

TEST_CASE("ui sound: the kiosk walking a plate capture is heard counting 3-2-1 then go then done", "[ui][journey]") {
  // The real kiosk, the simulated plate, SDL's disk driver: what a person at the plate would hear.
  kiosk::test::TempDir dir;
  const auto out = dir / "kiosk.raw";
  std::ofstream(dir / "kiosk.toml") << "[paths]\nplugin_dirs = [\"" << KIOSK_PLUGIN_DIR << "\"]\n";
  const auto cal = kiosk::test::calibrate_sim(dir / "kiosk.toml", dir / "data");  // patients get calibrated plates only
  INFO(cal.out << cal.err);
  REQUIRE(cal.exit_code == 0);
  std::ostringstream cmd, env;
  cmd << kiosk::test::program("kiosk") << " --config " << (dir / "kiosk.toml").string() << " --data-dir "
      << (dir / "data").string() << " --windowed 800x480 --walk --actor-speed 4 --answers " << KIOSK_SOURCE_DIR
      << "/tests/fixtures/answers/session_one_leg_unsafe.json";
  env << kiosk::test::kOffscreenKioskEnv << " SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE=" << out.string();
  const auto r = kiosk::test::run(cmd.str(), env.str());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::ifstream in(out, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  std::vector<float> x(bytes.size() / sizeof(float));
  std::memcpy(x.data(), bytes.data(), x.size() * sizeof(float));
  // When each pitch starts sounding (assets/sounds: tick 880 Hz, go 1320 Hz, done 660 then 990 Hz;
  // at kiosk.volume 70 each is about 0.3 loud), in 20 ms windows every 10 ms.
  auto starts = [&](double hz) {
    std::vector<double> found;
    bool sounding = false;
    int quiet = 0;  // windows below 0.1 in a row while sounding; 5 end the sound
    for (std::size_t at = 0; at + kRate / 50 < x.size(); at += kRate / 100) {
      const double a = amplitude_at(x, at, kRate / 50, hz);
      if (!sounding && a > 0.15) {
        found.push_back(static_cast<double>(at) / kRate);
        sounding = true;
      }
      quiet = a < 0.1 ? quiet + 1 : 0;
      if (quiet >= 5) sounding = false;
    }
    return found;
  };
  const auto ticks = starts(880), gos = starts(1320), dones = starts(660);
  CAPTURE(ticks, gos, dones);
  // Two sides: 3-2-1 a second apart, go a second later, done when the capture ends; done for the
  // results. The file's clock is the audio thread's: on a busy machine it drifts, hence ± 0.25 s.
  REQUIRE(ticks.size() == 6);
  REQUIRE(gos.size() == 2);
  REQUIRE(dones.size() >= 2);
  for (const std::size_t side : {0u, 1u}) {
    INFO("side " << side);
    CHECK(ticks[3 * side + 1] - ticks[3 * side] == Approx(1.0).margin(0.25));
    CHECK(ticks[3 * side + 2] - ticks[3 * side + 1] == Approx(1.0).margin(0.25));
    CHECK(gos[side] - ticks[3 * side + 2] == Approx(1.0).margin(0.25));
  }
  CHECK(dones[0] > gos[0]);            // the first capture ended...
  CHECK(dones[0] <= ticks[3] + 0.05);  // ...before the second counted in
  CHECK(dones.back() > gos[1]);
}
