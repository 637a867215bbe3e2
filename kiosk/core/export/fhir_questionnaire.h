// The screening and profile questions as FHIR R4 Questionnaires, so each
// QuestionnaireResponse the kiosk sends points at a published definition
// the clinic's server can validate it against. The definitions are not
// written by hand: script/questionnaire.h finds them by running the Lua
// script headless over its answers, so they never drift from what patients
// are asked. Canonical url "urn:heel-kiosk:fhir:questionnaire:<script id>",
// version = the script's version (a QuestionnaireResponse names
// "<url>|<version>"). Item per question (linkId = the stable ask id):
//   confirm    → boolean
//   choose     → choice; answerOption valueCoding, system "<url>:<ask id>",
//                code = the option's value, display = its English words
//   ask_number → integer (whole-number grid) or decimal; minValue/maxValue
//                and questionnaire-unit (UCUM) extensions; repeats when the
//                script takes several attempts
// Text in English, other languages as the standard translation extension.
// Part of the FHIR profile: see fhir_bundle.h for its version.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::records_export {

using Words = std::map<std::string, std::string, std::less<>>;  // language → text

struct QuestionOption {
  std::string value;  // what the script gets back, e.g. "40-49"
  Words text;
};

struct QuestionItem {
  enum class Type { boolean, integer, decimal, choice };
  std::string link_id;  // the stable ask id, e.g. "night_pain"
  Type type = Type::boolean;
  Words text;
  std::vector<QuestionOption> options;  // choice
  std::optional<double> min, max;       // integer, decimal
  std::string unit;                     // as the script gives it ("km", "weeks")
  bool repeats = false;                 // several attempts: one answer each
};

struct QuestionnaireDef {
  std::string script_id, version;  // "screening", "2.0.0"
  Words title;
  std::vector<QuestionItem> items;  // in the order a patient meets them
  const QuestionItem* item(std::string_view link_id) const;
};
using QuestionnaireDefs = std::vector<QuestionnaireDef>;

// "urn:heel-kiosk:fhir:questionnaire:<script id>"
std::string questionnaire_url(std::string_view script_id);
// The code system of a choice question's options: "<url>:<ask id>".
std::string answer_system(std::string_view script_id, std::string_view link_id);
// The definition of `script_id` at `version`, or none.
const QuestionnaireDef* find_questionnaire(const QuestionnaireDefs& defs, std::string_view script_id,
                                           std::string_view version);

nlohmann::json fhir_questionnaire(const QuestionnaireDef& def);
// One stored answer (a JSON value, or a list for several attempts) as
// QuestionnaireResponse answers, typed by its item (nullptr: by the value's
// JSON type; strings are choice codes).
nlohmann::json fhir_answers(std::string_view script_id, std::string_view link_id, const nlohmann::json& value,
                            const QuestionItem* item);

}  // namespace kiosk::records_export
