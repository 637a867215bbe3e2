// The kiosk's sounds through SDL audio: the cues of assets/sounds (synthesized
// once at start), mixed on SDL's audio thread at the volume staff set. Without
// an audio device the kiosk carries on silent (logged once). Tests hear it
// through SDL's disk driver (SDL_AUDIODRIVER=disk, SDL_DISKAUDIOFILE=...).
// Speech ("Read to me", media/speech.h) is synthesized on the SpeechWorker's
// thread and handed to the audio thread from there; one speech at a time.
// Thread: construct, play, say and set_volume on the UI thread.
#pragma once
#include <SDL_audio.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "media/sound_bank.h"
#include "media/speech.h"

namespace kiosk::ui {

class SoundPlayer {
 public:
  static constexpr int kRateHz = 48000;         // mono float samples
  static constexpr std::size_t kMaxVoices = 8;  // sounds at once; the oldest makes way

  // volume_percent: 0 (silent) to 100 (full scale), e.g. Config::volume.
  SoundPlayer(const std::filesystem::path& sounds_dir, int volume_percent);
  ~SoundPlayer();
  SoundPlayer(const SoundPlayer&) = delete;
  SoundPlayer& operator=(const SoundPlayer&) = delete;

  // Starts a cue now, over any playing. An unknown id is logged once and skipped.
  void play(std::string_view id);
  // Staff change it at runtime; takes effect within one audio buffer. Clamped to 0..100.
  void set_volume(int percent);
  int volume() const { return volume_.load(); }
  bool has_device() const { return device_ != 0; }

  // Reads `text` aloud in `lang` (kiosk language code) as soon as it is
  // synthesized, cutting off any speech still playing; returns at once.
  void say(std::string text, std::string lang);
  // Silences speech playing or on its way (a new screen, the patient gone).
  void stop_speech();
  // Speech ready to play, from any thread (the SpeechWorker's sink); empty: logged, nothing played.
  void play_speech(media::Speech speech);

 private:
  struct Voice {
    const std::vector<float>* samples;
    std::size_t at;
  };
  static void mix(void* self, Uint8* stream, int bytes);  // SDL's audio thread

  media::SoundBank bank_;
  SDL_AudioDeviceID device_ = 0;
  bool audio_init_ = false;
  std::atomic<int> volume_;
  std::vector<Voice> voices_;                           // under SDL_LockAudioDevice
  std::shared_ptr<const std::vector<float>> speech_;    // under SDL_LockAudioDevice; freed off the audio thread
  std::unique_ptr<media::SpeechWorker> speech_worker_;  // started on the first say()
  std::set<std::string, std::less<>> unknown_;
};

}  // namespace kiosk::ui
