// A script's questions as a Questionnaire definition (export/fhir_questionnaire.h),
// found by running the script headless, never written twice by hand: the
// first run gives every question the first answer that raises no red flag
// (no, the first option, the lowest number); then, for each question met,
// each of its other such answers is tried once, with the answers before it
// kept, so every question that one answer leads to is met too. An answer
// that raises a red flag ends a session there, so it leads to no question.
// Captures get "no plate" (the manual questions are met). At most
// kMaxQuestionRuns runs per script.
#pragma once
#include <filesystem>
#include <optional>
#include <vector>

#include "core/export/fhir_questionnaire.h"
#include "script/catalogue.h"
#include "script/runner.h"
#include "script/script_error.h"

namespace kiosk::script {

inline constexpr int kMaxQuestionRuns = 300;

struct QuestionsFound {
  records_export::QuestionnaireDef def;
  std::optional<ScriptError> error;  // the script failed (file:line: message): def is incomplete
  int runs = 0;
};

// `clinic`: t.clinic (clinic_context(config)), as a session would see it.
QuestionsFound find_questions(const std::filesystem::path& file, const SandboxOptions& options,
                              const ClinicSettings& clinic);

// The definitions of the catalogue's scripts in session order: screening and
// profile (whose answers go as QuestionnaireResponses), or every script
// offered with `all`. A script that fails is left out and logged.
records_export::QuestionnaireDefs questionnaires(const Catalogue& catalogue, const ClinicSettings& clinic,
                                                 bool all = false);

}  // namespace kiosk::script
