#include "handout/line_needs.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <stdexcept>

namespace kiosk::handout {
namespace {

constexpr std::string_view kSections[] = {"advice", "progression"};

[[noreturn]] void fail(const std::filesystem::path& file, const toml::node* n, std::string_view key,
                       std::string_view what) {
  throw std::runtime_error(fmt::format("{}:{}: {}: {}", file.string(), n ? n->source().begin.line : 1, key, what));
}

}  // namespace

LineNeeds LineNeeds::load(const std::filesystem::path& file, const TextCatalog& texts) {
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(fmt::format("{}:{}: {}", file.string(), e.source().begin.line, e.description()));
  }
  LineNeeds out;
  for (const auto& [section, node] : root) {
    const auto* table = node.as_table();
    if (!table || (section.str() != "advice" && section.str() != "progression"))
      fail(file, &node, section.str(), "only [advice] and [progression] tables belong here");
    for (const auto& [id, list] : *table) {
      const std::string key = fmt::format("{}.{}", section.str(), id.str());
      if (!texts.has("en", key)) fail(file, &list, key, "no such text in assets/handout/en.toml");
      const auto* arr = list.as_array();
      if (!arr) fail(file, &list, key, "must be a list of needs, e.g. [\"running\"] or []");
      safety::Needs needs;
      for (const auto& item : *arr) {
        const auto need = safety::parse_need(item.value_or(std::string()));
        if (!need) fail(file, &item, key, "unknown need (known: one_leg, step, running, band, floor)");
        needs.add(*need);
      }
      out.needs_[key] = needs;
    }
  }
  for (const auto& key : texts.keys("en"))
    for (auto section : kSections)
      if (key.rfind(std::string(section) + ".", 0) == 0 && key != std::string(section) + ".title" &&
          !out.needs_.contains(key))
        fail(file, nullptr, key, "this line of the sheet is not listed: say what it needs ([] for none)");
  return out;
}

safety::Needs LineNeeds::of(std::string_view section, std::string_view id) const {
  const auto it = needs_.find(fmt::format("{}.{}", section, id));
  return it == needs_.end() ? safety::Needs{} : it->second;
}

}  // namespace kiosk::handout
