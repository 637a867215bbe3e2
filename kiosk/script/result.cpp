#include "script/result.h"

namespace kiosk::script {

std::string_view to_string(PlateUse use) {
  switch (use) {
    case PlateUse::none: return "none";
    case PlateUse::optional: return "optional";
    case PlateUse::required: return "required";
  }
  return "?";
}

nlohmann::json to_json(const TestResult& r, std::string_view lang) {
  auto measures = nlohmann::json::array();
  for (const auto& m : r.measures)
    measures.push_back({{"id", m.id},
                        {"side", m.side.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.side)},
                        {"value", m.value},
                        {"unit", m.unit}});
  return {{"test", r.test},
          {"version", r.version},
          {"measures", measures},
          {"findings", r.findings},
          {"flags", r.flags},
          {"interpretation", r.interpretation.in(lang)},
          {"answers", r.answers}};
}

}  // namespace kiosk::script
