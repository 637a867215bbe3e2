// Text to speech through espeak-ng (Debian's libespeak-ng): a patient's
// words in their language as mono float samples, for the "Read to me"
// button. espeak-ng is one engine per process: calls here are serialised.
// SpeechWorker runs the synthesis on its own thread, so the UI never waits
// for it. Headless (no SDL, no ImGui).
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace kiosk::media {

// "no espeak-ng voice for language xx", "espeak-ng data not found"
class SpeechError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Speech {
  std::vector<float> samples;  // mono, -1..1, at the rate asked for
  int rate_hz = 0;
  std::string voice;           // espeak-ng's voice name, e.g. "Spanish (Spain)"
  std::string voice_language;  // the voice's own language tag, e.g. "es"
  std::string problem;         // SpeechWorker: why there is no speech (a SpeechError's text)
  double seconds() const { return rate_hz > 0 ? static_cast<double>(samples.size()) / rate_hz : 0; }
};

inline constexpr int kSpeechWordsPerMinute = 150;  // slower than espeak's 175: patients in pain, not native speakers

// The espeak-ng voice for a kiosk language ("en": British English, "es": Spain's Spanish).
std::string speech_voice_for(std::string_view lang);
// Speaks `text` (UTF-8) in `lang` and returns it resampled to `rate_hz`.
// Throws SpeechError when espeak-ng or the voice is missing. Thread: any (serialised).
// `abandoned`, polled between espeak-ng's buffers (about 50 ms of speech), cuts it short (empty samples).
Speech synthesize_speech(std::string_view text, std::string_view lang, int rate_hz,
                         const std::function<bool()>& abandoned = {});

// One synthesis thread; say() returns at once and the finished speech goes
// to `sink` on that thread. A newer say() or stop() drops an unfinished one.
class SpeechWorker {
 public:
  using Sink = std::function<void(Speech)>;
  SpeechWorker(int rate_hz, Sink sink);
  ~SpeechWorker();
  SpeechWorker(const SpeechWorker&) = delete;
  SpeechWorker& operator=(const SpeechWorker&) = delete;

  void say(std::string text, std::string lang);
  void stop();  // drops what is waiting or being synthesized (the sink is not called for it)

 private:
  struct Request {
    std::string text, lang;
  };
  void run();

  const int rate_hz_;
  Sink sink_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Request> next_;          // under mutex_; only the newest waits
  bool quit_ = false;                    // under mutex_
  std::atomic<unsigned> generation_{0};  // bumped by say() and stop(): older work is dropped
  std::thread thread_;
};

}  // namespace kiosk::media
