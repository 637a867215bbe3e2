#include "core/text_catalog.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <array>
#include <stdexcept>

namespace kiosk {
namespace {
constexpr std::array<std::string_view, 2> kLanguages{"en", "es"};

void flatten(const toml::table& table, const std::string& prefix, const std::string& file,
             std::map<std::string, std::string, std::less<>>& out) {
  for (const auto& [k, node] : table) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      flatten(*sub, key, file, out);
    } else if (auto s = node.value<std::string>(); node.is_string() && s) {
      out.emplace(std::move(key), std::move(*s));
    } else {
      throw std::runtime_error(
          fmt::format("{}:{}: {}: texts must be quoted strings", file, node.source().begin.line, key));
    }
  }
}

// values.toml: whole numbers; "{name}" in every language's texts becomes the number.
void fill_values(const std::filesystem::path& file,
                 std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>>& texts) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return;
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(fmt::format("{}:{}: {}", file.string(), e.source().begin.line, e.description()));
  }
  for (const auto& [k, node] : table) {
    const auto v = node.value<int64_t>();
    if (!node.is_integer() || !v)
      throw std::runtime_error(
          fmt::format("{}:{}: {}: must be a whole number", file.string(), node.source().begin.line, k.str()));
    const std::string slot = "{" + std::string(k.str()) + "}", number = std::to_string(*v);
    for (auto& [lang, by_key] : texts)
      for (auto& [key, text] : by_key)
        for (auto at = text.find(slot); at != std::string::npos; at = text.find(slot, at + number.size()))
          text.replace(at, slot.size(), number);
  }
}
}  // namespace

std::span<const std::string_view> supported_languages() { return kLanguages; }

bool is_supported_language(std::string_view code) {
  for (auto l : kLanguages)
    if (l == code) return true;
  return false;
}

TextCatalog TextCatalog::load(const std::filesystem::path& strings_dir) {
  TextCatalog catalog;
  for (auto lang : kLanguages) {
    const auto file = (strings_dir / (std::string(lang) + ".toml")).string();
    toml::table table;
    try {
      table = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
      throw std::runtime_error(fmt::format("{}:{}: {}", file, e.source().begin.line, e.description()));
    }
    flatten(table, "", file, catalog.texts_[std::string(lang)]);
  }
  fill_values(strings_dir / "values.toml", catalog.texts_);
  return catalog;
}

bool TextCatalog::has(std::string_view lang, std::string_view key) const {
  auto l = texts_.find(lang);
  return l != texts_.end() && l->second.find(key) != l->second.end();
}

std::string_view TextCatalog::get(std::string_view lang, std::string_view key) const {
  for (auto try_lang : {lang, std::string_view("en")}) {
    if (auto l = texts_.find(try_lang); l != texts_.end()) {
      if (auto t = l->second.find(key); t != l->second.end()) return t->second;
    }
  }
  return key;
}

std::vector<std::string> TextCatalog::keys(std::string_view lang) const {
  std::vector<std::string> out;
  if (auto l = texts_.find(lang); l != texts_.end())
    for (const auto& [k, v] : l->second) out.push_back(k);
  return out;
}

}  // namespace kiosk
