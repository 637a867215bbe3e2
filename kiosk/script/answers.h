// Where answers come from (the kiosk UI, or headless an answers file), and
// the checks every answer passes before a script sees it. Answers are typed
// (session::Answer); JSON appears only where an answers file is read.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "core/session/session.h"
#include "script/step.h"

namespace kiosk::script {

// The answers given cannot serve the step; the message names the ask id.
class AnswerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AnswerSource {
 public:
  virtual ~AnswerSource() = default;
  // The answer to a question step (is_question), as given: checked and
  // shaped by normalize_answer() afterwards. Other steps are just shown:
  // called too (a source may note it), and the return value is ignored.
  // Throws AnswerError.
  virtual std::optional<session::Answer> answer(const Step& step) = 0;
  // How errors name the step's answer (the key in an answers file).
  virtual std::string key_for(const Step& step) const { return step.id; }
};

// A value in an answers file that is no answer at all (null, an object, a
// list of words): kept as its JSON text, so the error can show it.
struct UnreadableAnswer {
  std::string json_text;
};
using GivenAnswer = std::variant<session::Answer, UnreadableAnswer>;

// An answers file (the `kioskctl session run` format), read once at the
// edge: "knee_to_wall.left.distance_cm": 8, "screening.numbness": "no",
// "balance.left.seconds": [20, 31.5]. Objects are nested sections, not answers.
struct AnswerBook {
  std::map<std::string, GivenAnswer> given;          // full key → value as given
  std::map<std::string, session::Answers> sections;  // an object's key → the answers in it ("profile")

  // Throws AnswerError when `file_json` is not an object.
  static AnswerBook from_json(const nlohmann::json& file_json);
  // Reads and parses an answers file. Throws AnswerError naming the file:
  // cannot open, not JSON, not an object.
  static AnswerBook read(const std::filesystem::path& file);
  // The value given under `key`; null when the book has none.
  const GivenAnswer* find(const std::string& key) const;
};

// Headless: answers from a book, keyed by ask id ("left.distance_cm"), each
// under `prefix` ("knee_to_wall." in a session file).
class BookAnswers final : public AnswerSource {
 public:
  explicit BookAnswers(const AnswerBook& book, std::string prefix = {});
  std::optional<session::Answer> answer(const Step& step) override;
  std::string key_for(const Step& step) const override { return prefix_ + step.id; }
  // Keys under the prefix that no step asked for (a typo in the file?).
  std::set<std::string> unused_keys() const;

 private:
  const AnswerBook& book_;  // not owned: outlives this source
  std::string prefix_;
  std::set<std::string> used_;
};

// An answers file's JSON as a source that owns its book (tests, `kioskctl script run`).
class JsonAnswers final : public AnswerSource {
 public:
  explicit JsonAnswers(const nlohmann::json& answers, std::string prefix = {});
  JsonAnswers(const JsonAnswers&) = delete;  // source_ points into book_
  JsonAnswers& operator=(const JsonAnswers&) = delete;
  std::optional<session::Answer> answer(const Step& step) override { return source_.answer(step); }
  std::string key_for(const Step& step) const override { return source_.key_for(step); }
  std::set<std::string> unused_keys() const { return source_.unused_keys(); }

 private:
  AnswerBook book_;
  BookAnswers source_;
};

// Checks an answer against its step and returns it in the form the script
// gets: a number (a list of numbers when attempts > 1), a choice value, a
// yes/no ("yes"/"no" words are taken for a confirm). Throws AnswerError
// naming `key` (default: the step's id).
session::Answer normalize_answer(const Step& step, const session::Answer& given, std::string_view key = {});

// Whether a normalized answer raises the step's declared red flag
// (step.red_flag); for attempts, any attempt counts.
bool raises_red_flag(const Step& step, const session::Answer& answer);
// The answer as a patient-free short text for the record: "yes", "8",
// "under-18"; attempts as the record has always kept them: "[8.0,9.5]".
std::string answer_text(const session::Answer& answer);

}  // namespace kiosk::script
