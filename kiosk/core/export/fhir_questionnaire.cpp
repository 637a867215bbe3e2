#include "core/export/fhir_questionnaire.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>

#include "core/export/fhir_codes.h"

namespace kiosk::records_export {
namespace {

using nlohmann::json;

constexpr std::string_view kQuestionnaireBase = "urn:heel-kiosk:fhir:questionnaire:";
constexpr std::string_view kTranslation = "http://hl7.org/fhir/StructureDefinition/translation";
constexpr std::string_view kMinValue = "http://hl7.org/fhir/StructureDefinition/minValue";
constexpr std::string_view kMaxValue = "http://hl7.org/fhir/StructureDefinition/maxValue";
constexpr std::string_view kUnit = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit";

std::string english(const Words& w) {
  if (const auto en = w.find("en"); en != w.end()) return en->second;
  return w.empty() ? std::string() : w.begin()->second;
}

// `object[key]` in English, the other languages in "_key" (the standard translation extension).
void put_words(json& object, const std::string& key, const Words& words) {
  object[key] = english(words);
  json translations = json::array();
  for (const auto& [lang, text] : words) {
    if (lang == "en" || text.empty()) continue;
    translations.push_back({{"url", kTranslation},
                            {"extension", json::array({{{"url", "lang"}, {"valueCode", lang}},
                                                       {{"url", "content"}, {"valueString", text}}})}});
  }
  if (!translations.empty()) object["_" + key] = {{"extension", std::move(translations)}};
}

const char* type_code(QuestionItem::Type type) {
  switch (type) {
    case QuestionItem::Type::boolean:
      return "boolean";
    case QuestionItem::Type::integer:
      return "integer";
    case QuestionItem::Type::decimal:
      return "decimal";
    case QuestionItem::Type::choice:
      return "choice";
  }
  return "string";
}

// A number as the item's type wants it: valueInteger or valueDecimal.
json number_extension(std::string_view url, double value, QuestionItem::Type type) {
  json e{{"url", url}};
  if (type == QuestionItem::Type::integer)
    e["valueInteger"] = std::llround(value);
  else
    e["valueDecimal"] = value;
  return e;
}

json item_json(const QuestionnaireDef& def, const QuestionItem& q) {
  json item{{"linkId", q.link_id}};
  put_words(item, "text", q.text);
  item["type"] = type_code(q.type);
  if (q.repeats) item["repeats"] = true;
  json extensions = json::array();
  if (q.min) extensions.push_back(number_extension(kMinValue, *q.min, q.type));
  if (q.max) extensions.push_back(number_extension(kMaxValue, *q.max, q.type));
  if (!q.unit.empty()) {
    const auto code = ucum_code(q.unit);
    extensions.push_back(
        {{"url", kUnit}, {"valueCoding", code ? coding(kUcum, *code, q.unit) : json{{"display", q.unit}}}});
  }
  if (!extensions.empty()) item["extension"] = std::move(extensions);
  if (q.type == QuestionItem::Type::choice) {
    json options = json::array();
    for (const auto& o : q.options) {
      json c = coding(answer_system(def.script_id, q.link_id), o.value);
      put_words(c, "display", o.text);
      options.push_back({{"valueCoding", std::move(c)}});
    }
    item["answerOption"] = std::move(options);
  }
  return item;
}

// "screening" → "HeelKioskScreening" (a Questionnaire.name is a computer-friendly name).
std::string camel_name(std::string_view script_id) {
  std::string name = "HeelKiosk";
  bool upper = true;
  for (char c : script_id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

}  // namespace

const QuestionItem* QuestionnaireDef::item(std::string_view link_id) const {
  for (const auto& q : items)
    if (q.link_id == link_id) return &q;
  return nullptr;
}

std::string questionnaire_url(std::string_view script_id) { return fmt::format("{}{}", kQuestionnaireBase, script_id); }

std::string answer_system(std::string_view script_id, std::string_view link_id) {
  return fmt::format("{}:{}", questionnaire_url(script_id), link_id);
}

const QuestionnaireDef* find_questionnaire(const QuestionnaireDefs& defs, std::string_view script_id,
                                           std::string_view version) {
  for (const auto& d : defs)
    if (d.script_id == script_id && d.version == version) return &d;
  return nullptr;
}

json fhir_questionnaire(const QuestionnaireDef& def) {
  json q{{"resourceType", "Questionnaire"},
         {"url", questionnaire_url(def.script_id)},
         {"version", def.version},
         {"name", camel_name(def.script_id)}};
  put_words(q, "title", def.title);
  q["status"] = "active";
  q["subjectType"] = json::array({"Patient"});
  q["publisher"] = "Heel-pain kiosk";
  q["description"] = fmt::format(
      "The questions the kiosk's script '{}' version {} can ask, generated from the script itself. "
      "Answers that raise a red flag stop the script there.",
      def.script_id, def.version);
  json items = json::array();
  for (const auto& item : def.items) items.push_back(item_json(def, item));
  if (!items.empty()) q["item"] = std::move(items);
  return q;
}

json fhir_answers(std::string_view script_id, std::string_view link_id, const json& value, const QuestionItem* item) {
  using Type = QuestionItem::Type;
  json out = json::array();
  for (const auto& v : value.is_array() ? value : json::array({value})) {
    if (v.is_boolean()) {
      out.push_back({{"valueBoolean", v}});
    } else if (v.is_number()) {
      const double d = v.get<double>();
      const bool whole = std::floor(d) == d && std::abs(d) < 1e15;
      const bool decimal = item ? item->type == Type::decimal : !v.is_number_integer();
      if (decimal || !whole)
        out.push_back({{"valueDecimal", d}});
      else
        out.push_back({{"valueInteger", std::llround(d)}});
    } else if (v.is_string()) {
      json c = coding(answer_system(script_id, link_id), v.get<std::string>());
      if (item)
        for (const auto& o : item->options)
          if (o.value == v.get<std::string>()) c["display"] = english(o.text);
      out.push_back({{"valueCoding", std::move(c)}});
    }
  }
  return out;
}

}  // namespace kiosk::records_export
