// The window sizes the UI walks run at: landscape 1280x800 and 800x480 and
// portrait 1080x1920, or only those in KIOSK_UI_SIZES ("1280x800,800x480").
// The sanitizer build walks one size: sizes are a layout question, already
// answered by the normal build, and each walk under ASan costs a minute.
#pragma once
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace kiosk::test {

inline std::vector<std::string> ui_sizes() {
  const char* env = std::getenv("KIOSK_UI_SIZES");
  if (!env || !*env) return {"1280x800", "800x480", "1080x1920"};
  std::vector<std::string> sizes;
  std::stringstream in(env);
  for (std::string size; std::getline(in, size, ',');) sizes.push_back(size);
  return sizes;
}

}  // namespace kiosk::test
