// Words the kiosk shows, loaded from assets/strings/<lang>.toml. No patient
// text lives in C++: code names a key ("attract.title"), assets hold words.
// Numbers every language shares live once, in values.toml beside them:
// "{check_minutes}" in any text is that file's check_minutes.
#pragma once
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

// Languages the kiosk ships (a strings file, fonts and tests for each).
std::span<const std::string_view> supported_languages();
bool is_supported_language(std::string_view code);

class TextCatalog {
 public:
  // Loads every supported language from `strings_dir`, filling in the
  // numbers of its values.toml (when there is one). Throws
  // std::runtime_error naming the file and line of a malformed file.
  static TextCatalog load(const std::filesystem::path& strings_dir);

  // The text for `key` in `lang`; falls back to English, then to the key
  // itself (so a missing text is visible, never a crash).
  std::string_view get(std::string_view lang, std::string_view key) const;
  bool has(std::string_view lang, std::string_view key) const;
  // Keys of one language, sorted (tests compare languages with it).
  std::vector<std::string> keys(std::string_view lang) const;

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> texts_;
};

}  // namespace kiosk
