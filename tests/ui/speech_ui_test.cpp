// "Read to me" in the real kiosk, heard through SDL's disk audio driver: the
// button reads the screen's words (the kiosk's own on the welcome screen, a
// script's kiosk.Text on its instruction) in the patient's language, the very
// samples espeak-ng makes for those words in that language's voice, at the
// kiosk's volume; moving on silences it; a clinic can have every screen read.
// espeak-ng's samples depend on what the process said before (its wave
// generator keeps state), so the sample-for-sample check synthesizes the same
// texts in the same order as the kiosk said them, each in a fresh process.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/text_catalog.h"
#include "journey/autopilot.h"
#include "journey/journey.h"
#include "media/speech.h"
#include "script/catalogue.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "ui/sound.h"

namespace {

constexpr int kRate = kiosk::ui::SoundPlayer::kRateHz;
constexpr float kGain = 0.7f;  // kiosk.volume's default, 70

std::vector<float> read_raw(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  std::vector<float> x(bytes.size() / sizeof(float));
  std::memcpy(x.data(), bytes.data(), x.size() * sizeof(float));
  return x;
}

std::size_t first_sound(const std::vector<float>& x, std::size_t from) {
  while (from < x.size() && std::abs(x[from]) < 1e-4f) ++from;
  return from;
}

// Where a burst of sound ends: the first 300 ms of silence after `from` (speech pauses are shorter).
std::size_t end_of_sound(const std::vector<float>& x, std::size_t from) {
  std::size_t quiet = 0;
  for (std::size_t i = from; i < x.size(); ++i) {
    quiet = std::abs(x[i]) < 1e-4f ? quiet + 1 : 0;
    if (quiet >= static_cast<std::size_t>(kRate * 3 / 10)) return i + 1 - quiet;
  }
  return x.size();
}

// The recording near `at` (where sound was first heard) holds `expected` at the
// kiosk's volume, sample for sample, for `n` samples. The onsets are matched
// within ±10 ms: a quiet first sample may fall under the threshold in one and not the other.
void check_heard(const std::vector<float>& x, std::size_t at, const std::vector<float>& expected, std::size_t n) {
  const std::size_t lead = first_sound(expected, 0);
  REQUIRE(lead + n <= expected.size());
  const auto worst_from = [&](std::size_t start, std::size_t len) {
    double worst = 0;
    for (std::size_t i = 0; i < len && start + i < x.size(); ++i)
      worst = std::max(worst, static_cast<double>(std::abs(x[start + i] - kGain * expected[lead + i])));
    return worst;
  };
  std::size_t best = at;
  const std::size_t reach = kRate / 100;
  for (std::size_t s = at > reach ? at - reach : 0; s <= at + reach; ++s)
    if (worst_from(s, kRate / 20) < worst_from(best, kRate / 20)) best = s;
  REQUIRE(best + n <= x.size());
  CHECK(worst_from(best, n) < 1e-3);
}

struct Kiosk {
  kiosk::test::TempDir dir;
  explicit Kiosk(const std::string& extra) {
    std::ofstream(dir / "kiosk.toml") << "[kiosk]\n" << extra << "\n[paths]\nplugin_dirs = [\"/nonexistent\"]\n";
  }
  std::vector<float> drive(const std::string& file) const {
    std::ostringstream cmd, env;
    cmd << kiosk::test::program("kiosk") << " --config " << (dir / "kiosk.toml").string() << " --data-dir "
        << (dir / "data").string() << " --windowed 800x480 --drive " << KIOSK_SOURCE_DIR << "/tests/fixtures/drives/"
        << file;
    env << kiosk::test::kOffscreenKioskEnv << " SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE=" << (dir / "out.raw").string();
    const auto r = kiosk::test::run(cmd.str(), env.str());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return read_raw(dir / "out.raw");
  }
};

kiosk::TextCatalog strings() {
  return kiosk::TextCatalog::load(std::filesystem::path(KIOSK_SOURCE_DIR) / "assets/strings");
}

// What the welcome screen says in Spanish: its title and its two paragraphs (records kept 30 days).
std::string welcome_words_es() {
  const auto t = strings();
  std::string kept(t.get("es", "welcome.kept"));
  kept.replace(kept.find("{days}"), 6, "30");
  return std::string(t.get("es", "welcome.title")) + "\n" + std::string(t.get("es", "welcome.not_diagnosis")) + "\n" +
         kept;
}

// The screening script's first instruction in Spanish, as the journey model shows it.
std::string first_instruction_es() {
  kiosk::script::Catalogue catalogue{{std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts"}};
  catalogue.scan();
  kiosk::journey::NoPlates no_plates;
  kiosk::journey::Journey j(catalogue, no_plates);
  j.touch(kiosk::journey::Journey::Clock::now());
  j.start();
  j.choose_language("es");
  REQUIRE_FALSE(j.accept_welcome());
  REQUIRE(j.step());
  REQUIRE(j.step()->kind == kiosk::script::StepKind::instruct);
  return j.step()->text.in("es");
}

}  // namespace

TEST_CASE("ui speech: Read to me speaks the screen in the patient's language and stops when they move on",
          "[ui][speech]") {
  Kiosk kiosk("");  // reading on demand only (kiosk.read_aloud = false)
  const auto x = kiosk.drive("read_aloud.drive");
  const auto welcome = kiosk::media::synthesize_speech(welcome_words_es(), "es", kRate);
  const auto instruction = kiosk::media::synthesize_speech(first_instruction_es(), "es", kRate);
  REQUIRE(welcome.voice_language.substr(0, 2) == "es");
  REQUIRE(welcome.seconds() > 8);  // longer than the 3 s the patient listens
  REQUIRE(instruction.seconds() > 4);

  const std::size_t first = first_sound(x, 0);
  REQUIRE(first < x.size());
  const std::size_t first_end = end_of_sound(x, first);
  // Heard from the press until "Start" (about 3 s later): cut short, not the whole 8+ s.
  CHECK(static_cast<double>(first_end - first) / kRate > 1.5);
  CHECK(static_cast<double>(first_end - first) / kRate < welcome.seconds() - 2);
  check_heard(x, first, welcome.samples, kRate);  // its first second, sample for sample: these words, this voice

  const std::size_t second = first_sound(x, first_end);
  REQUIRE(second < x.size());
  CHECK(static_cast<double>(second - first_end) / kRate > 0.8);  // silence on the new screen until the press
  const std::size_t second_end = end_of_sound(x, second);
  CHECK(static_cast<double>(second_end - second) / kRate > 1.5);
  CHECK(static_cast<double>(second_end - second) / kRate < instruction.seconds());
  check_heard(x, second, instruction.samples, kRate);  // the script's own words (kiosk.Text), in Spanish
  CHECK(first_sound(x, second_end) == x.size());       // nothing after Stop
}

// Seconds of the recording with sound in them (10 ms windows with any sample above the threshold).
double seconds_heard(const std::vector<float>& x) {
  std::size_t windows = 0;
  for (std::size_t at = 0; at < x.size(); at += kRate / 100) {
    bool sound = false;
    for (std::size_t i = at; i < std::min(x.size(), at + kRate / 100) && !sound; ++i) sound = std::abs(x[i]) > 1e-3f;
    windows += sound;
  }
  return static_cast<double>(windows) / 100;
}

TEST_CASE("ui speech: a clinic with read_aloud on hears each screen without a touch, one with it off hears nothing",
          "[ui][speech]") {
  Kiosk on("read_aloud = true"), off("read_aloud = false");
  const auto heard_on = seconds_heard(on.drive("read_aloud_auto.drive"));
  const auto heard_off = seconds_heard(off.drive("read_aloud_auto.drive"));
  CHECK(heard_off == 0);  // no "Read to me" pressed: silence
  // The welcome screen read for the 3 s the drive waits there (less the gaps between words).
  CHECK(heard_on > 1.5);
  CHECK(heard_on < 6);
}

TEST_CASE("ui speech: the player plays speech handed from another thread and a newer one replaces it", "[ui][speech]") {
  kiosk::test::TempDir dir;
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", (dir / "out.raw").c_str(), 1);
  const auto hola = kiosk::media::synthesize_speech("Hola.", "es", kRate);
  {
    kiosk::ui::SoundPlayer player(dir / "no-sounds", 70);
    REQUIRE(player.has_device());
    player.say("Este texto largo se corta antes de que se oiga entero, porque el paciente pulsa otra vez.", "es");
    player.say("Hola.", "es");  // at once: the first is dropped unheard or cut
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  }
  unsetenv("SDL_AUDIODRIVER");
  unsetenv("SDL_DISKAUDIOFILE");
  const auto x = read_raw(dir / "out.raw");
  // "Hola." and nothing of the long sentence (espeak-ng's samples vary a little from one call to the next).
  CHECK(seconds_heard(x) == Approx(seconds_heard(hola.samples)).margin(0.1));
  CHECK(seconds_heard(x) < 1.0);
}
