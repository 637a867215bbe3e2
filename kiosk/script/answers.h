// Where answers come from: the kiosk UI, or (headless) an answers file.
#pragma once
#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <stdexcept>
#include <string>

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
  // The answer to a question step (is_question): a number, a list of
  // numbers (one per attempt), a string or a boolean. Other steps are just
  // shown; their return value is ignored. Throws AnswerError.
  virtual nlohmann::json answer(const Step& step) = 0;
  // How errors name the step's answer (the key in an answers file).
  virtual std::string key_for(const Step& step) const { return step.id; }
};

// Headless: answers keyed by ask id ("left.distance_cm"), each under
// `prefix` ("knee_to_wall." in a session file).
class JsonAnswers final : public AnswerSource {
 public:
  JsonAnswers(nlohmann::json answers, std::string prefix = {});
  nlohmann::json answer(const Step& step) override;
  std::string key_for(const Step& step) const override { return prefix_ + step.id; }
  // Keys under the prefix that no step asked for (a typo in the file?).
  std::set<std::string> unused_keys() const;

 private:
  nlohmann::json answers_;
  std::string prefix_;
  std::set<std::string> used_;
};

// Checks an answer against its step and returns it in the form the script
// gets: a number (or a list when attempts > 1), a choice value, a boolean.
// Throws AnswerError naming `key` (default: the step's id).
nlohmann::json normalize_answer(const Step& step, const nlohmann::json& given, std::string_view key = {});

// Whether a normalized answer raises the step's declared red flag
// (step.red_flag); for attempts, any attempt counts.
bool raises_red_flag(const Step& step, const nlohmann::json& answer);
// The answer as a patient-free short text for the record: "yes", "8", "under-18".
std::string answer_text(const nlohmann::json& answer);

}  // namespace kiosk::script
