// "Read to me" without a window: the real espeak-ng speaks every instruction
// step the bundled scripts show a patient (walked headless by the autopilot,
// as the kiosk would), in English and in Spanish, and each comes out as
// speech of a plausible length for its words, in a voice of that language.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

#include "journey/autopilot.h"
#include "journey/journey.h"
#include "media/speech.h"
#include "script/catalogue.h"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

constexpr int kRate = 48000;

int count_words(std::string_view text) {
  int n = 0;
  bool in_word = false;
  for (const char c : text) {
    const bool letter = c != ' ' && c != '\n' && c != '\t';
    if (letter && !in_word) ++n;
    in_word = letter;
  }
  return n;
}

double rms(const std::vector<float>& x) {
  double sum = 0;
  for (const float v : x) sum += static_cast<double>(v) * v;
  return x.empty() ? 0 : std::sqrt(sum / static_cast<double>(x.size()));
}

// Every instruction step's text a patient is shown in `lang`, walking the bundled
// scripts headless with the full-session answers (no plate: the typed path).
std::vector<std::string> instruction_texts(const std::string& lang) {
  script::Catalogue catalogue{{std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts"}};
  catalogue.scan();
  journey::NoPlates no_plates;
  journey::Journey j(catalogue, no_plates);
  const std::filesystem::path answers =
      std::filesystem::path(KIOSK_SOURCE_DIR) / "tests/fixtures/answers/session_full.json";
  journey::Autopilot pilot(script::AnswerBook::read(answers));
  auto now = journey::Journey::Clock::now();
  j.touch(now);
  j.start();
  j.choose_language(lang);
  REQUIRE_FALSE(j.accept_welcome());
  std::vector<std::string> texts;
  int last_shown = -1;
  for (int guard = 0; guard < 400 && j.stage() == journey::Stage::step; ++guard) {
    now += 100ms;
    j.touch(now);
    j.tick(now);
    if (j.step()->kind == script::StepKind::instruct && j.steps_shown() != last_shown)
      texts.push_back(j.step()->text.in(lang));
    last_shown = j.steps_shown();
    REQUIRE(pilot.act(j));
  }
  CHECK(j.stage() == journey::Stage::results);
  return texts;
}

}  // namespace

TEST_CASE("media speech: every instruction step is spoken at a plausible length in a voice of its language") {
  const std::string lang = GENERATE(std::string("en"), std::string("es"));
  const auto texts = instruction_texts(lang);
  INFO(lang);
  REQUIRE(texts.size() >= 3);  // at least one instruction for each of the three tests
  for (const auto& text : texts) {
    INFO(text);
    const auto speech = media::synthesize_speech(text, lang, kRate);
    CHECK(speech.voice_language.substr(0, 2) == lang);  // Spanish words in a Spanish voice
    // At 150 words a minute a word takes 0.4 s; espeak-ng's words run 0.25 to 0.7 s
    // in either language, and each sentence ends in a short pause.
    const int words = count_words(text);
    CAPTURE(words, speech.seconds(), speech.voice);
    CHECK(speech.seconds() > 0.25 * words);
    CHECK(speech.seconds() < 0.7 * words + 1.5);
    CHECK(rms(speech.samples) > 0.02);  // a voice, not silence
  }
}

TEST_CASE("media speech: the same words take longer to say the more there are, and each language has its voice") {
  const auto short_es = media::synthesize_speech("Ponte de pie.", "es", kRate);
  const auto long_es = media::synthesize_speech(
      "Ponte de pie descalzo, con el pie delante de una pared, y dobla la rodilla hacia la pared sin levantar el "
      "talón.",
      "es", kRate);
  CHECK(long_es.seconds() > 3 * short_es.seconds());
  const auto en = media::synthesize_speech("Stand up.", "en", kRate);
  CHECK(en.voice_language.substr(0, 2) == "en");
  CHECK(short_es.voice != en.voice);
  CHECK(short_es.rate_hz == kRate);
}

TEST_CASE("media speech: a language without a voice is a clear error") {
  CHECK_THROWS_WITH(media::synthesize_speech("hola", "xx-nonexistent", kRate), Catch::Contains("no espeak-ng voice"));
}

TEST_CASE("media speech: the worker hands only the newest speech to its sink, off the caller's thread") {
  std::mutex m;
  std::vector<media::Speech> heard;
  std::vector<std::thread::id> threads;
  {
    media::SpeechWorker worker(kRate, [&](media::Speech s) {
      std::lock_guard lock(m);
      heard.push_back(std::move(s));
      threads.push_back(std::this_thread::get_id());
    });
    worker.say("This long sentence is replaced before anyone hears the end of it, because the patient pressed again.",
               "en");
    worker.say("Hola.", "es");
    for (int i = 0; i < 500; ++i) {  // up to 5 s for espeak-ng to start and speak
      {
        std::lock_guard lock(m);
        if (!heard.empty() && heard.back().voice_language.substr(0, 2) == "es") break;
      }
      std::this_thread::sleep_for(10ms);
    }
    worker.stop();
  }
  REQUIRE_FALSE(heard.empty());
  CHECK(heard.back().voice_language.substr(0, 2) == "es");
  CHECK(heard.back().seconds() < 2);  // "Hola.", not the long sentence
  CHECK(heard.size() <= 2);           // the long one at most once, if it finished before it was replaced
  for (const auto id : threads) CHECK(id != std::this_thread::get_id());
}

TEST_CASE(
    "media speech: a worker stopped before it speaks calls no sink and a failing voice reaches the sink as a problem") {
  std::atomic<int> calls{0};
  std::string problem;
  std::mutex m;
  {
    media::SpeechWorker worker(kRate, [&](media::Speech s) {
      std::lock_guard lock(m);
      ++calls;
      problem = s.problem;
    });
    worker.say("xx", "xx-nonexistent");
    for (int i = 0; i < 500 && calls == 0; ++i) std::this_thread::sleep_for(10ms);
  }
  CHECK(calls == 1);
  CHECK_THAT(problem, Catch::Contains("no espeak-ng voice"));
}
