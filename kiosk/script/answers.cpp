#include "script/answers.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "core/session/session_json.h"

namespace kiosk::script {
namespace {

// An answer as errors show it: JSON-like, so a word reads "8" and a number 8.
std::string shown(const session::Answer& v) { return session::to_json(v).dump(); }

double checked_number(const Step& step, std::string_view id, double x) {
  if (!std::isfinite(x)) throw AnswerError(fmt::format("answer for '{}' is not a finite number", id));
  if (x < step.min) throw AnswerError(fmt::format("answer for '{}' is {}, below the minimum {}", id, x, step.min));
  if (x > step.max) throw AnswerError(fmt::format("answer for '{}' is {}, above the maximum {}", id, x, step.max));
  const double steps = (x - step.min) / step.step;
  if (std::fabs(steps - std::round(steps)) > 1e-6)
    throw AnswerError(fmt::format("answer for '{}' is {}, not in steps of {} from {}", id, x, step.step, step.min));
  return x;
}

session::Answer number_answer(const Step& step, std::string_view id, const session::Answer& given) {
  if (const auto* x = std::get_if<double>(&given)) {
    const double v = checked_number(step, id, *x);
    if (step.attempts > 1) return std::vector<double>{v};
    return v;
  }
  const auto* list = std::get_if<std::vector<double>>(&given);
  if (!list)
    throw AnswerError(
        fmt::format("answer for '{}' must be a number from {} to {} (got {})", id, step.min, step.max, shown(given)));
  if (list->empty()) throw AnswerError(fmt::format("answer for '{}' is an empty list", id));
  if (list->size() > static_cast<size_t>(step.attempts))
    throw AnswerError(
        fmt::format("answer for '{}' has {} attempts; at most {} are allowed", id, list->size(), step.attempts));
  std::vector<double> checked;
  for (double v : *list) checked.push_back(checked_number(step, id, v));
  if (step.attempts == 1) return checked.front();
  return checked;
}

session::Answer choice_answer(const Step& step, std::string_view id, const session::Answer& given) {
  const auto* value = std::get_if<std::string>(&given);
  if (!value) throw AnswerError(fmt::format("answer for '{}' must be one of the choices (got {})", id, shown(given)));
  std::string allowed;
  for (const auto& o : step.options) {
    if (o.value == *value) return *value;
    allowed += (allowed.empty() ? "" : ", ") + o.value;
  }
  throw AnswerError(fmt::format("answer for '{}' is \"{}\"; choose one of: {}", id, *value, allowed));
}

session::Answer yes_no_answer(std::string_view id, const session::Answer& given) {
  if (const auto* b = std::get_if<bool>(&given)) return *b;
  if (const auto* word = std::get_if<std::string>(&given)) {
    if (*word == "yes") return true;
    if (*word == "no") return false;
  }
  throw AnswerError(fmt::format("answer for '{}' must be \"yes\" or \"no\" (got {})", id, shown(given)));
}

}  // namespace

AnswerBook AnswerBook::from_json(const nlohmann::json& file_json) {
  if (!file_json.is_object()) throw AnswerError("the answers must be a JSON object keyed by ask id");
  AnswerBook book;
  for (const auto& [key, value] : file_json.items()) {
    if (value.is_object()) {
      book.sections.emplace(key, session::answers_from_json(value));
      continue;
    }
    if (auto typed = session::answer_from_json(value))
      book.given.emplace(key, std::move(*typed));
    else
      book.given.emplace(key, UnreadableAnswer{value.dump()});
  }
  return book;
}

AnswerBook AnswerBook::read(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw AnswerError(fmt::format("{}: cannot open the answers file", file.string()));
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw AnswerError(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
  }
  if (!parsed.is_object()) throw AnswerError(fmt::format("{}: must be a JSON object keyed by ask id", file.string()));
  return from_json(parsed);
}

const GivenAnswer* AnswerBook::find(const std::string& key) const {
  auto it = given.find(key);
  return it == given.end() ? nullptr : &it->second;
}

BookAnswers::BookAnswers(const AnswerBook& book, std::string prefix) : book_(book), prefix_(std::move(prefix)) {}

std::optional<session::Answer> BookAnswers::answer(const Step& step) {
  if (!is_question(step.kind)) return std::nullopt;
  const std::string key = prefix_ + step.id;
  const GivenAnswer* given = book_.find(key);
  if (!given) throw AnswerError(fmt::format("no answer for '{}'", key));
  used_.insert(key);
  if (const auto* bad = std::get_if<UnreadableAnswer>(given))
    throw AnswerError(fmt::format("answer for '{}' is not an answer (got {})", key, bad->json_text));
  return std::get<session::Answer>(*given);
}

std::set<std::string> BookAnswers::unused_keys() const {
  std::set<std::string> unused;
  for (const auto& [key, value] : book_.given)
    if (key.rfind(prefix_, 0) == 0 && !used_.contains(key)) unused.insert(key);
  return unused;
}

JsonAnswers::JsonAnswers(const nlohmann::json& answers, std::string prefix)
    : book_(AnswerBook::from_json(answers)), source_(book_, std::move(prefix)) {}

session::Answer normalize_answer(const Step& step, const session::Answer& given, std::string_view key) {
  const std::string_view id = key.empty() ? std::string_view(step.id) : key;
  switch (step.kind) {
    case StepKind::ask_number:
      return number_answer(step, id, given);
    case StepKind::choose:
      return choice_answer(step, id, given);
    case StepKind::confirm:
      return yes_no_answer(id, given);
    default:
      throw AnswerError(fmt::format("'{}' is not a question; it takes no answer", id));
  }
}

bool raises_red_flag(const Step& step, const session::Answer& answer) {
  const auto& rule = step.red_flag;
  switch (step.kind) {
    case StepKind::confirm: {
      const auto* b = std::get_if<bool>(&answer);
      return rule.when && b && *b == *rule.when;
    }
    case StepKind::ask_number: {
      if (!rule.above) return false;
      if (const auto* x = std::get_if<double>(&answer)) return *x > *rule.above;
      const auto* list = std::get_if<std::vector<double>>(&answer);
      return list && std::any_of(list->begin(), list->end(), [&](double v) { return v > *rule.above; });
    }
    case StepKind::choose: {
      const auto* value = std::get_if<std::string>(&answer);
      return value && std::find(rule.values.begin(), rule.values.end(), *value) != rule.values.end();
    }
    default:
      return false;
  }
}

std::string answer_text(const session::Answer& answer) {
  // Attempts as the record has always kept them: [8.0,9.5].
  if (std::holds_alternative<std::vector<double>>(answer)) return session::to_json(answer).dump();
  return session::answer_text(answer);
}

}  // namespace kiosk::script
