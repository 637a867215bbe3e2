#include "script/questionnaire.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <set>

#include "core/log.h"
#include "script/answers.h"
#include "script/runner.h"

namespace kiosk::script {
namespace {

using records_export::QuestionItem;
using session::Answer;

bool whole(double v) { return std::floor(v) == v; }

// The answers to `s` that raise no red flag, the first one first (as normalize_answer gives them).
std::vector<Answer> calm_answers(const Step& s) {
  std::vector<Answer> given;
  if (s.kind == StepKind::confirm) given = {false, true};
  for (const auto& o : s.options) given.emplace_back(o.value);
  if (s.kind == StepKind::ask_number) {
    given = {s.min, s.max};
    // The highest number on the grid that raises no flag.
    if (s.red_flag.above && s.step > 0)
      given.push_back(s.min + std::floor((*s.red_flag.above - s.min) / s.step) * s.step);
  }
  std::vector<Answer> calm;
  for (const auto& g : given) {
    try {
      auto a = normalize_answer(s, g);
      if (!raises_red_flag(s, a) && std::find(calm.begin(), calm.end(), a) == calm.end()) calm.push_back(std::move(a));
    } catch (const AnswerError&) {
      // not an answer this step takes (e.g. off its grid)
    }
  }
  return calm;
}

QuestionItem item_of(const Step& s) {
  QuestionItem q;
  q.link_id = s.id;
  q.text = s.text.by_lang;
  q.repeats = s.attempts > 1;
  if (s.kind == StepKind::choose) {
    q.type = QuestionItem::Type::choice;
    for (const auto& o : s.options) q.options.push_back({o.value, o.text.by_lang});
  } else if (s.kind == StepKind::ask_number) {
    q.type = whole(s.min) && whole(s.step) ? QuestionItem::Type::integer : QuestionItem::Type::decimal;
    q.min = s.min;
    q.max = s.max;
    q.unit = s.unit;
  }
  return q;
}

struct Met {
  Step step;
  Answer answer;
};

// One run: the i-th question gets forced[i] when given, else its first calm answer.
std::optional<ScriptError> walk(const std::filesystem::path& file, const SandboxOptions& options,
                                const RunContext& context, const std::vector<Answer>& forced, std::vector<Met>& met,
                                TestInfo& info) {
  ScriptRun run(file, options);
  if (auto problems = run.load(); !problems.empty()) return problems.front();
  info = run.info();
  auto progress = run.start(context);
  while (progress.step) {
    const Step s = *progress.step;
    if (s.kind == StepKind::capture) {
      progress = run.answer_capture(std::nullopt);
      continue;
    }
    if (!is_question(s.kind)) {
      progress = run.answer(std::nullopt);
      continue;
    }
    const auto calm = calm_answers(s);
    if (calm.empty()) break;  // every answer raises a flag: a session stops here
    met.push_back({s, met.size() < forced.size() ? forced[met.size()] : calm.front()});
    progress = run.answer(met.back().answer);
  }
  return progress.error;
}

// Adds the questions of one run that are new, each after the question met before it.
void merge(std::vector<QuestionItem>& items, const std::vector<Met>& met) {
  for (size_t i = 0; i < met.size(); ++i) {
    const auto& id = met[i].step.id;
    const auto same = [&](const QuestionItem& q) { return q.link_id == id; };
    if (std::any_of(items.begin(), items.end(), same)) continue;
    auto at = items.begin();
    if (i > 0) {
      const auto& before = met[i - 1].step.id;
      at = std::find_if(items.begin(), items.end(), [&](const QuestionItem& q) { return q.link_id == before; });
      if (at != items.end()) ++at;
    }
    items.insert(at, item_of(met[i].step));
  }
}

}  // namespace

QuestionsFound find_questions(const std::filesystem::path& file, const SandboxOptions& options,
                              const ClinicSettings& clinic) {
  QuestionsFound found;
  RunContext context;
  context.clinic = clinic;
  std::deque<std::vector<Answer>> runs{{}};
  std::set<std::string> tried;  // "ask id=answer"
  while (!runs.empty() && found.runs < kMaxQuestionRuns) {
    const auto forced = std::move(runs.front());
    runs.pop_front();
    std::vector<Met> met;
    TestInfo info;
    found.error = walk(file, options, context, forced, met, info);
    ++found.runs;
    found.def.script_id = info.id;
    found.def.version = info.version;
    found.def.title = info.title.by_lang;
    if (found.error) return found;
    merge(found.def.items, met);
    for (size_t i = 0; i < met.size(); ++i) tried.insert(met[i].step.id + "=" + answer_text(met[i].answer));
    for (size_t i = 0; i < met.size(); ++i)
      for (const auto& other : calm_answers(met[i].step)) {
        if (!tried.insert(met[i].step.id + "=" + answer_text(other)).second) continue;
        std::vector<Answer> next;
        for (size_t j = 0; j < i; ++j) next.push_back(met[j].answer);
        next.push_back(other);
        runs.push_back(std::move(next));
      }
  }
  return found;
}

records_export::QuestionnaireDefs questionnaires(const Catalogue& catalogue, const ClinicSettings& clinic, bool all) {
  records_export::QuestionnaireDefs defs;
  for (const auto* entry : catalogue.available()) {
    if (!all && entry->info->kind != "screening" && entry->info->kind != "profile") continue;
    auto found = find_questions(entry->file, catalogue.options_for(entry->file), clinic);
    if (found.error) {
      log::get("script")->warn("no questionnaire for {}: {}", entry->file.string(), found.error->to_string());
      continue;
    }
    defs.push_back(std::move(found.def));
  }
  return defs;
}

}  // namespace kiosk::script
