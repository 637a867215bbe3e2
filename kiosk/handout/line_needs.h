// What each advice and progression line of the sheet asks of the patient
// (assets/handout/lines.toml), so the plan can leave out what a patient's
// safety excludes. Every advice.* and progression.* text must be listed.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/safety/session_safety.h"
#include "core/text_catalog.h"

namespace kiosk::handout {

class LineNeeds {
 public:
  // Throws std::runtime_error naming the file, line and key: a bad need, a
  // line with no text, or a text whose line is not listed.
  static LineNeeds load(const std::filesystem::path& file, const TextCatalog& texts);
  // Needs of "advice.<id>" / "progression.<id>"; none when not listed.
  safety::Needs of(std::string_view section, std::string_view id) const;

 private:
  std::map<std::string, safety::Needs, std::less<>> needs_;  // "advice.load_reduce" → {running}
};

}  // namespace kiosk::handout
