#include "media/speech.h"

#include <espeak-ng/speak_lib.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace kiosk::media {
namespace {

std::mutex engine_mutex;  // espeak-ng keeps one engine per process
int engine_rate_hz = 0;   // under engine_mutex; 0: not initialised

struct Collect {
  std::vector<short>* pcm;
  const std::function<bool()>* abandoned;
  bool cut = false;
};

int on_samples(short* wav, int n, espeak_EVENT* events) {
  auto* c = static_cast<Collect*>(events ? events->user_data : nullptr);
  if (!c) return 0;
  if (wav && n > 0) c->pcm->insert(c->pcm->end(), wav, wav + n);
  if (*c->abandoned && (*c->abandoned)()) {
    c->cut = true;
    return 1;  // espeak-ng stops this synthesis
  }
  return 0;
}

void start_engine() {  // under engine_mutex
  if (engine_rate_hz > 0) return;
  const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 50, nullptr, espeakINITIALIZE_DONT_EXIT);
  if (rate <= 0) throw SpeechError("espeak-ng could not start (is espeak-ng-data installed?)");
  espeak_SetSynthCallback(&on_samples);
  engine_rate_hz = rate;
}

// Linear interpolation from `from_hz` to `to_hz`, scaled to -1..1.
std::vector<float> resample(const std::vector<short>& in, int from_hz, int to_hz) {
  if (in.empty()) return {};
  const double step = static_cast<double>(from_hz) / to_hz;
  const auto n = static_cast<std::size_t>(std::floor(static_cast<double>(in.size() - 1) / step)) + 1;
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double at = static_cast<double>(i) * step;
    const auto k = static_cast<std::size_t>(at);
    const double f = at - static_cast<double>(k);
    const double a = in[k], b = in[std::min(k + 1, in.size() - 1)];
    out[i] = static_cast<float>((a + (b - a) * f) / 32768.0);
  }
  return out;
}

}  // namespace

std::string speech_voice_for(std::string_view lang) {
  return std::string(lang);  // espeak-ng finds a voice by language tag: "en" British English, "es" Spain's Spanish
}

Speech synthesize_speech(std::string_view text, std::string_view lang, int rate_hz,
                         const std::function<bool()>& abandoned) {
  std::lock_guard lock(engine_mutex);
  start_engine();
  const auto voice = speech_voice_for(lang);
  if (espeak_SetVoiceByName(voice.c_str()) != EE_OK)
    throw SpeechError(fmt::format("no espeak-ng voice \"{}\" for language {}", voice, lang));
  espeak_SetParameter(espeakRATE, kSpeechWordsPerMinute, 0);
  Speech speech;
  speech.rate_hz = rate_hz;
  if (const espeak_VOICE* v = espeak_GetCurrentVoice()) {
    speech.voice = v->name ? v->name : "";
    speech.voice_language = v->languages ? v->languages + 1 : "";  // first byte: the language's priority
  }
  std::vector<short> pcm;
  Collect collect{&pcm, &abandoned};
  const std::string utf8(text);
  const auto status =
      espeak_Synth(utf8.c_str(), utf8.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &collect);
  if (status != EE_OK)
    throw SpeechError(fmt::format("espeak-ng could not speak the text (status {})", static_cast<int>(status)));
  if (collect.cut)
    espeak_Cancel();  // else the rest of the cut text comes out at the start of the next
  else
    speech.samples = resample(pcm, engine_rate_hz, rate_hz);
  return speech;
}

SpeechWorker::SpeechWorker(int rate_hz, Sink sink)
    : rate_hz_(rate_hz), sink_(std::move(sink)), thread_([this] { run(); }) {}

SpeechWorker::~SpeechWorker() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
    ++generation_;
  }
  wake_.notify_one();
  thread_.join();
}

void SpeechWorker::say(std::string text, std::string lang) {
  {
    std::lock_guard lock(mutex_);
    next_ = Request{std::move(text), std::move(lang)};
    ++generation_;
  }
  wake_.notify_one();
}

void SpeechWorker::stop() {
  std::lock_guard lock(mutex_);
  next_.reset();
  ++generation_;
}

void SpeechWorker::run() {
  for (;;) {
    Request request;
    unsigned generation = 0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return quit_ || next_; });
      if (quit_) return;
      request = std::move(*next_);
      next_.reset();
      generation = generation_.load();
    }
    const auto abandoned = [&] { return generation_.load() != generation; };
    try {
      auto speech = synthesize_speech(request.text, request.lang, rate_hz_, abandoned);
      if (!abandoned() && !speech.samples.empty()) sink_(std::move(speech));
    } catch (const SpeechError& e) {
      if (!abandoned()) sink_(Speech{{}, rate_hz_, {}, {}, e.what()});  // no samples: the sink logs why
    }
  }
}

}  // namespace kiosk::media
