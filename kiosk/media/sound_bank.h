// The kiosk's sounds as data: each assets/sounds/<id>.toml (format version 1)
// lists sine tones with a start, length, level and a linear fade in and out,
// synthesized here into mono float samples. No recorded audio ships.
//
//   version = 1
//   [[tone]]
//   hz = 880          # 20 to 20000
//   ms = 70           # length, 1 to 5000
//   level = 0.5       # 0 to 1 of full scale
//   at_ms = 0         # start within the sound (default 0)
//   attack_ms = 4     # fade in (default 5)
//   release_ms = 40   # fade out (default 20); attack + release <= ms
//
// Headless; thread: any (a loaded bank is read-only).
#pragma once
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::media {

struct Tone {
  double hz = 440, ms = 100, level = 0.5, at_ms = 0, attack_ms = 5, release_ms = 20;
};

// "sounds/tick.toml:4: tone.hz: must be a number from 20 to 20000 (got 5)"
class SoundError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses one sound file's text; `source` names it in errors. Throws SoundError.
std::vector<Tone> parse_sound(std::string_view toml_text, std::string_view source);
// The tones mixed at `rate_hz`, as samples in -1..1 (summed tones are clipped).
std::vector<float> synthesize(const std::vector<Tone>& tones, int rate_hz);

// Every sound of a folder, synthesized once at load. A bad file is left out
// and named in problems() (the kiosk logs them and plays the others).
class SoundBank {
 public:
  static SoundBank load(const std::filesystem::path& dir, int rate_hz);
  // Nullptr for an unknown id.
  const std::vector<float>* samples(std::string_view id) const;
  std::vector<std::string> ids() const;
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::map<std::string, std::vector<float>, std::less<>> sounds_;
  std::vector<std::string> problems_;
};

// The sound ids a folder offers (file stems), without synthesizing; sorted.
std::vector<std::string> sound_ids(const std::filesystem::path& dir);

}  // namespace kiosk::media
