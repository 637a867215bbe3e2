// Small FHIR R4 building blocks the export's resources share: codings and
// the script units as UCUM codes.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string_view>

namespace kiosk::records_export {

inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";

// The UCUM code of a script unit ("reps" → "{reps}"); none for a unit not listed.
std::optional<std::string_view> ucum_code(std::string_view unit);

// A Coding (display left out when empty).
nlohmann::json coding(std::string_view system, std::string_view code, std::string_view display = {});
// A CodeableConcept with one coding.
nlohmann::json concept_of(nlohmann::json one_coding, std::string_view text);

}  // namespace kiosk::records_export
