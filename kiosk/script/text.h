// Patient-facing text in several languages, as scripts give it:
// "plain" (all languages) or {en = "...", es = "..."}.
#pragma once
#include <map>
#include <string>
#include <string_view>

namespace kiosk::script {

struct LocalText {
  std::map<std::string, std::string, std::less<>> by_lang;  // "en" → text

  bool empty() const { return by_lang.empty(); }
  // The text in `lang`, else English, else any; "" when there is none.
  std::string in(std::string_view lang) const;
};

}  // namespace kiosk::script
