#include "script/answers.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "core/session/session_json.h"

namespace kiosk::script {
namespace {

std::string shown(const nlohmann::json& v) { return v.dump(); }

double checked_number(const Step& step, std::string_view id, const nlohmann::json& v) {
  if (!v.is_number())
    throw AnswerError(fmt::format("answer for '{}' must be a number from {} to {} (got {})",
                                  id, step.min, step.max, shown(v)));
  const double x = v.get<double>();
  if (!std::isfinite(x)) throw AnswerError(fmt::format("answer for '{}' is not a finite number", id));
  if (x < step.min)
    throw AnswerError(fmt::format("answer for '{}' is {}, below the minimum {}", id, x, step.min));
  if (x > step.max)
    throw AnswerError(fmt::format("answer for '{}' is {}, above the maximum {}", id, x, step.max));
  const double steps = (x - step.min) / step.step;
  if (std::fabs(steps - std::round(steps)) > 1e-6)
    throw AnswerError(fmt::format("answer for '{}' is {}, not in steps of {} from {}", id, x,
                                  step.step, step.min));
  return x;
}

}  // namespace

JsonAnswers::JsonAnswers(nlohmann::json answers, std::string prefix)
    : answers_(std::move(answers)), prefix_(std::move(prefix)) {
  if (!answers_.is_object()) throw AnswerError("the answers must be a JSON object keyed by ask id");
}

nlohmann::json JsonAnswers::answer(const Step& step) {
  if (!is_question(step.kind)) return nullptr;
  const std::string key = prefix_ + step.id;
  auto it = answers_.find(key);
  if (it == answers_.end()) throw AnswerError(fmt::format("no answer for '{}'", key));
  used_.insert(key);
  return *it;
}

std::set<std::string> JsonAnswers::unused_keys() const {
  std::set<std::string> unused;
  for (const auto& [key, value] : answers_.items())
    if (key.rfind(prefix_, 0) == 0 && !used_.contains(key) && !value.is_object()) unused.insert(key);
  return unused;
}

nlohmann::json normalize_answer(const Step& step, const nlohmann::json& given, std::string_view key) {
  const std::string_view id = key.empty() ? std::string_view(step.id) : key;
  switch (step.kind) {
    case StepKind::ask_number: {
      if (!given.is_array()) {
        const double x = checked_number(step, id, given);
        if (step.attempts > 1) return nlohmann::json::array({x});
        return x;
      }
      if (given.empty()) throw AnswerError(fmt::format("answer for '{}' is an empty list", id));
      if (given.size() > static_cast<size_t>(step.attempts))
        throw AnswerError(fmt::format("answer for '{}' has {} attempts; at most {} are allowed",
                                      id, given.size(), step.attempts));
      auto list = nlohmann::json::array();
      for (const auto& v : given) list.push_back(checked_number(step, id, v));
      if (step.attempts == 1) return list.front();
      return list;
    }
    case StepKind::choose: {
      if (!given.is_string())
        throw AnswerError(fmt::format("answer for '{}' must be one of the choices (got {})", id,
                                      shown(given)));
      const auto value = given.get<std::string>();
      std::string allowed;
      for (const auto& o : step.options) {
        if (o.value == value) return value;
        allowed += (allowed.empty() ? "" : ", ") + o.value;
      }
      throw AnswerError(
          fmt::format("answer for '{}' is \"{}\"; choose one of: {}", id, value, allowed));
    }
    case StepKind::confirm:
      if (given.is_boolean()) return given;
      if (given == "yes") return true;
      if (given == "no") return false;
      throw AnswerError(fmt::format("answer for '{}' must be \"yes\" or \"no\" (got {})", id,
                                    shown(given)));
    default:
      return nullptr;
  }
}

bool raises_red_flag(const Step& step, const nlohmann::json& answer) {
  const auto& rule = step.red_flag;
  switch (step.kind) {
    case StepKind::confirm:
      return rule.when && answer.is_boolean() && answer.get<bool>() == *rule.when;
    case StepKind::ask_number: {
      if (!rule.above) return false;
      const auto above = [&](const nlohmann::json& v) { return v.is_number() && v.get<double>() > *rule.above; };
      if (!answer.is_array()) return above(answer);
      return std::any_of(answer.begin(), answer.end(), above);
    }
    case StepKind::choose:
      return answer.is_string() &&
             std::find(rule.values.begin(), rule.values.end(), answer.get<std::string>()) != rule.values.end();
    default:
      return false;
  }
}

std::string answer_text(const nlohmann::json& answer) {
  if (answer.is_array()) return answer.dump();  // attempts, as the record has always kept them: [8.0,9.5]
  if (const auto typed = session::answer_from_json(answer)) return session::answer_text(*typed);
  return answer.dump();
}

}  // namespace kiosk::script
