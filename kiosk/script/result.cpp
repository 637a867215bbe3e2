#include "script/result.h"

namespace kiosk::script {

std::string_view to_string(PlateUse use) {
  switch (use) {
    case PlateUse::none:
      return "none";
    case PlateUse::optional:
      return "optional";
    case PlateUse::required:
      return "required";
  }
  return "?";
}

session::ScriptPart to_part(const TestResult& r, std::string_view lang) {
  return {r.test, r.version, r.measures, r.findings, r.flags, r.interpretation.in(lang), r.answers, r.plate};
}

}  // namespace kiosk::script
