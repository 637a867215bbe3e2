#include "core/export/fhir_codes.h"

#include <array>
#include <nlohmann/json.hpp>
#include <utility>

namespace kiosk::records_export {

// Script units → UCUM codes. A unit not listed is exported as text only.
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kUcumCodes{{
    {"cm", "cm"},
    {"mm", "mm"},
    {"s", "s"},
    {"mm/s", "mm/s"},
    {"mm2", "mm2"},
    {"%", "%"},
    {"reps", "{reps}"},
    {"km", "km"},
    {"weeks", "wk"},
    {"deg", "deg"},
}};

std::optional<std::string_view> ucum_code(std::string_view unit) {
  for (const auto& [script_unit, code] : kUcumCodes)
    if (script_unit == unit) return code;
  return std::nullopt;
}

nlohmann::json coding(std::string_view system, std::string_view code, std::string_view display) {
  nlohmann::json c = nlohmann::json::object();
  c["system"] = system;
  c["code"] = code;
  if (!display.empty()) c["display"] = display;
  return c;
}

nlohmann::json concept_of(nlohmann::json one_coding, std::string_view text) {
  nlohmann::json c = nlohmann::json::object();
  c["coding"] = nlohmann::json::array({std::move(one_coding)});
  c["text"] = text;
  return c;
}

}  // namespace kiosk::records_export
