#include "script/text.h"

namespace kiosk::script {

std::string LocalText::in(std::string_view lang) const {
  if (auto it = by_lang.find(lang); it != by_lang.end()) return it->second;
  if (auto it = by_lang.find("en"); it != by_lang.end()) return it->second;
  return by_lang.empty() ? std::string() : by_lang.begin()->second;
}

}  // namespace kiosk::script
