#include "media/sound_bank.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

namespace kiosk::media {
namespace {

[[noreturn]] void fail(std::string_view source, const toml::source_region& where, std::string_view key,
                       std::string_view problem) {
  throw SoundError(fmt::format("{}:{}: {}: {}", source, where.begin.line, key, problem));
}

double number(std::string_view source, const toml::table& t, std::string_view key, double lo, double hi,
              double fallback) {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  const auto v = n->value<double>();
  if (!v || !(n->is_integer() || n->is_floating_point()) || *v < lo || *v > hi)
    fail(source, n->source(), fmt::format("tone.{}", key), fmt::format("must be a number from {} to {}", lo, hi));
  return *v;
}

}  // namespace

std::vector<Tone> parse_sound(std::string_view toml_text, std::string_view source) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    fail(source, e.source(), "toml", e.description());
  }
  const auto version = doc["version"].value<int64_t>();
  if (version != 1) fail(source, doc.source(), "version", "must be 1 (the format this kiosk reads)");
  for (const auto& [key, node] : doc)
    if (key != "version" && key != "tone") fail(source, node.source(), key.str(), "unknown key");
  const auto* list = doc["tone"].as_array();
  if (!list || list->empty()) fail(source, doc.source(), "tone", "give at least one [[tone]]");
  std::vector<Tone> tones;
  for (const auto& item : *list) {
    const auto* t = item.as_table();
    if (!t) fail(source, item.source(), "tone", "must be a table ([[tone]])");
    for (const auto& [key, node] : *t)
      if (key != "hz" && key != "ms" && key != "level" && key != "at_ms" && key != "attack_ms" && key != "release_ms")
        fail(source, node.source(), fmt::format("tone.{}", key.str()), "unknown key");
    if (!t->get("hz") || !t->get("ms")) fail(source, t->source(), "tone", "needs hz and ms");
    Tone tone;
    tone.hz = number(source, *t, "hz", 20, 20000, tone.hz);
    tone.ms = number(source, *t, "ms", 1, 5000, tone.ms);
    tone.level = number(source, *t, "level", 0, 1, tone.level);
    tone.at_ms = number(source, *t, "at_ms", 0, 5000, tone.at_ms);
    tone.attack_ms = number(source, *t, "attack_ms", 0, 5000, tone.attack_ms);
    tone.release_ms = number(source, *t, "release_ms", 0, 5000, tone.release_ms);
    if (tone.attack_ms + tone.release_ms > tone.ms)
      fail(source, t->source(), "tone", "attack_ms + release_ms must fit in ms");
    tones.push_back(tone);
  }
  return tones;
}

std::vector<float> synthesize(const std::vector<Tone>& tones, int rate_hz) {
  const double per_ms = rate_hz / 1000.0;
  std::size_t length = 0;
  for (const auto& t : tones) length = std::max(length, static_cast<std::size_t>(std::ceil((t.at_ms + t.ms) * per_ms)));
  std::vector<float> out(length, 0.0f);
  for (const auto& t : tones) {
    const auto first = static_cast<std::size_t>(std::round(t.at_ms * per_ms));
    const auto n = static_cast<std::size_t>(std::round(t.ms * per_ms));
    const double attack = std::max(1.0, t.attack_ms * per_ms), release = std::max(1.0, t.release_ms * per_ms);
    for (std::size_t i = 0; i < n && first + i < out.size(); ++i) {
      const double k = static_cast<double>(i);
      const double envelope = std::min({1.0, k / attack, static_cast<double>(n - i) / release});
      out[first + i] += static_cast<float>(t.level * envelope * std::sin(2 * std::numbers::pi * t.hz * k / rate_hz));
    }
  }
  for (auto& s : out) s = std::clamp(s, -1.0f, 1.0f);
  return out;
}

SoundBank SoundBank::load(const std::filesystem::path& dir, int rate_hz) {
  SoundBank bank;
  for (const auto& id : sound_ids(dir)) {
    const auto file = dir / (id + ".toml");
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    try {
      bank.sounds_.emplace(id, synthesize(parse_sound(text.str(), file.string()), rate_hz));
    } catch (const SoundError& e) {
      bank.problems_.emplace_back(e.what());
    }
  }
  return bank;
}

const std::vector<float>* SoundBank::samples(std::string_view id) const {
  const auto it = sounds_.find(id);
  return it == sounds_.end() ? nullptr : &it->second;
}

std::vector<std::string> SoundBank::ids() const {
  std::vector<std::string> out;
  for (const auto& [id, _] : sounds_) out.push_back(id);
  return out;
}

std::vector<std::string> sound_ids(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace kiosk::media
