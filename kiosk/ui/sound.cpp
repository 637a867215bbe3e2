#include "ui/sound.h"

#include <SDL.h>

#include <algorithm>

#include "core/log.h"

namespace kiosk::ui {

SoundPlayer::SoundPlayer(const std::filesystem::path& sounds_dir, int volume_percent)
    : bank_(media::SoundBank::load(sounds_dir, kRateHz)), volume_(std::clamp(volume_percent, 0, 100)) {
  auto logger = log::get("sound");
  for (const auto& p : bank_.problems()) logger->error("sound unavailable: {}", p);
  voices_.reserve(kMaxVoices);
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    logger->warn("no audio ({}): the kiosk runs silent", SDL_GetError());
    return;
  }
  audio_init_ = true;
  SDL_AudioSpec want{};
  want.freq = kRateHz;
  want.format = AUDIO_F32SYS;
  want.channels = 1;
  want.samples = 1024;  // about 21 ms a buffer: cues start that close to their moment
  want.callback = &SoundPlayer::mix;
  want.userdata = this;
  SDL_AudioSpec have{};
  device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);  // SDL converts to the device's format
  if (device_ == 0) {
    logger->warn("no audio device ({}): the kiosk runs silent", SDL_GetError());
    return;
  }
  SDL_PauseAudioDevice(device_, 0);
  logger->info("audio ready driver={} sounds={} volume={}", SDL_GetCurrentAudioDriver(), bank_.ids().size(),
               volume_.load());
}

SoundPlayer::~SoundPlayer() {
  speech_worker_.reset();  // no speech arrives while the device closes
  stop_speech();
  // A cue already started is heard to its end (at most about a second: the longest sound).
  for (int waited_ms = 0; device_ && waited_ms < 1000; waited_ms += 10) {
    SDL_LockAudioDevice(device_);
    const bool quiet = voices_.empty();
    SDL_UnlockAudioDevice(device_);
    if (quiet) break;
    SDL_Delay(10);
  }
  if (device_) SDL_CloseAudioDevice(device_);
  if (audio_init_) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void SoundPlayer::play(std::string_view id) {
  const auto* samples = bank_.samples(id);
  if (!samples) {
    if (unknown_.emplace(id).second) log::get("sound")->warn("no sound \"{}\" in assets/sounds: not played", id);
    return;
  }
  log::get("sound")->debug("play {}", id);
  if (!device_) return;
  SDL_LockAudioDevice(device_);
  if (voices_.size() == kMaxVoices) voices_.erase(voices_.begin());
  voices_.push_back({samples, 0});
  SDL_UnlockAudioDevice(device_);
}

void SoundPlayer::say(std::string text, std::string lang) {
  if (!speech_worker_)  // espeak-ng loads its voices on this thread, not the UI's
    speech_worker_ =
        std::make_unique<media::SpeechWorker>(kRateHz, [this](media::Speech s) { play_speech(std::move(s)); });
  log::get("sound")->info("read aloud lang={} chars={}", lang, text.size());
  play_speech({});  // what was being read stops now, not when the new words are ready
  speech_worker_->say(std::move(text), std::move(lang));
}

void SoundPlayer::stop_speech() {
  if (speech_worker_) speech_worker_->stop();
  play_speech({});
}

void SoundPlayer::play_speech(media::Speech speech) {
  if (!speech.problem.empty()) log::get("sound")->error("cannot read aloud: {}", speech.problem);
  std::shared_ptr<const std::vector<float>> samples;
  if (!speech.samples.empty()) {
    log::get("sound")->debug("speech ready voice={} seconds={:.1f}", speech.voice, speech.seconds());
    samples = std::make_shared<const std::vector<float>>(std::move(speech.samples));
  }
  if (!device_) return;
  SDL_LockAudioDevice(device_);
  if (speech_) std::erase_if(voices_, [&](const Voice& v) { return v.samples == speech_.get(); });
  std::swap(speech_, samples);  // the old speech is freed below, after the lock: not on the audio thread
  if (speech_) {
    if (voices_.size() == kMaxVoices) voices_.erase(voices_.begin());
    voices_.push_back({speech_.get(), 0});
  }
  SDL_UnlockAudioDevice(device_);
}

void SoundPlayer::set_volume(int percent) {
  volume_ = std::clamp(percent, 0, 100);
  log::get("sound")->info("volume set to {}", volume_.load());
}

void SoundPlayer::mix(void* self, Uint8* stream, int bytes) {
  auto& p = *static_cast<SoundPlayer*>(self);
  const auto n = static_cast<std::size_t>(bytes) / sizeof(float);
  float* out = reinterpret_cast<float*>(stream);  // AUDIO_F32SYS, as opened; no allocation on this thread
  std::fill(out, out + n, 0.0f);
  const float gain = static_cast<float>(p.volume_.load()) / 100.0f;  // linear in amplitude
  for (auto& v : p.voices_) {
    const std::size_t take = std::min(n, v.samples->size() - v.at);
    for (std::size_t i = 0; i < take; ++i) out[i] += gain * (*v.samples)[v.at + i];
    v.at += take;
  }
  std::erase_if(p.voices_, [](const Voice& v) { return v.at >= v.samples->size(); });
  for (std::size_t i = 0; i < n; ++i) out[i] = std::clamp(out[i], -1.0f, 1.0f);
}

}  // namespace kiosk::ui
