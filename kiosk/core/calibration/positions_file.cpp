#include "core/calibration/positions_file.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace kiosk::calibration {
namespace {

[[noreturn]] void fail(std::string_view source, const toml::node* node, std::string_view key,
                       std::string_view problem) {
  const auto line = node ? node->source().begin.line : 0;
  throw PositionsError(line ? fmt::format("{}:{}: {}: {}", source, line, key, problem)
                            : fmt::format("{}: {}: {}", source, key, problem));
}

double number(std::string_view source, const toml::node* node, std::string_view key, double lo, double hi) {
  const auto v = node ? node->value<double>() : std::nullopt;
  if (!node || !(node->is_number()) || !v || !std::isfinite(*v) || *v < lo || *v > hi)
    fail(source, node, key, fmt::format("must be a number from {} to {}", lo, hi));
  return *v;
}

}  // namespace

PositionsFile parse_positions(std::string_view text, std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw PositionsError(fmt::format("{}:{}: {}", source, e.source().begin.line, e.description()));
  }
  PositionsFile out;
  const auto* format = root.get("format");
  if (!format) fail(source, nullptr, "format", fmt::format("missing; write format = {}", kPositionsFormat));
  if (format->value<int64_t>() != kPositionsFormat)
    fail(source, format, "format", fmt::format("this kiosk reads format {}", kPositionsFormat));
  for (const auto& [k, node] : root) {
    const std::string key(k.str());
    if (key != "format" && key != "name" && key != "timing" && key != "mark")
      fail(source, &node, key, "unknown key (format, name, timing, mark)");
  }
  if (const auto* name = root.get("name")) {
    if (!name->is_string()) fail(source, name, "name", "must be text in quotes");
    out.name = *name->value<std::string>();
  }
  if (const auto* timing = root.get("timing")) {
    const auto* t = timing->as_table();
    if (!t) fail(source, timing, "timing", "must be a table [timing]");
    for (const auto& [k, node] : *t) {
      const std::string key = "timing." + std::string(k.str());
      if (k == "zero_s")
        out.timing.zero_s = number(source, &node, key, 4, 600);
      else if (k == "hold_s")
        out.timing.hold_s = number(source, &node, key, 4, 600);
      else if (k == "move_s")
        out.timing.move_s = number(source, &node, key, 0.5, 600);
      else if (k == "timeout_s")
        out.timing.timeout_s = number(source, &node, key, 5, 3600);
      else
        fail(source, &node, key, "unknown key (zero_s, hold_s, move_s, timeout_s)");
    }
  }
  const auto* marks = root.get("mark");
  const auto* list = marks ? marks->as_array() : nullptr;
  if (!list) fail(source, marks, "mark", fmt::format("needs at least {} [[mark]] tables", kMinPlacements));
  std::set<std::string> names;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto key = fmt::format("mark[{}]", i + 1);
    const auto* m = (*list)[i].as_table();
    if (!m) fail(source, &(*list)[i], key, "must be a [[mark]] table");
    Mark mark;
    const auto* name = m->get("name");
    if (!name || !name->is_string() || name->value<std::string>()->empty() || name->value<std::string>()->size() > 40)
      fail(source, name ? name : &(*list)[i], key + ".name", "must be text of 1 to 40 characters");
    mark.name = *name->value<std::string>();
    if (!names.insert(mark.name).second)
      fail(source, name, key + ".name", fmt::format("\"{}\" is used twice", mark.name));
    mark.x_mm = number(source, m->get("x_mm"), key + ".x_mm", -1000, 1000);
    mark.y_mm = number(source, m->get("y_mm"), key + ".y_mm", -1000, 1000);
    for (const auto& [k, node] : *m)
      if (k != "name" && k != "x_mm" && k != "y_mm")
        fail(source, &node, key + "." + std::string(k.str()), "unknown key (name, x_mm, y_mm)");
    out.marks.push_back(std::move(mark));
  }
  if (out.marks.size() < kMinPlacements)
    fail(source, marks, "mark",
         fmt::format("{} marks; at least {} are needed (centre and four quadrants)", out.marks.size(), kMinPlacements));
  return out;
}

PositionsFile load_positions(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw PositionsError(fmt::format("{}: cannot read the positions file", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_positions(text.str(), file.string());
}

std::vector<Mark> standard_marks(double hx, double hy) {
  const double x = std::round(0.6 * hx), y = std::round(0.6 * hy);
  return {{"centre", 0, 0}, {"front-left", -x, y}, {"front-right", x, y}, {"back-left", -x, -y}, {"back-right", x, -y}};
}

}  // namespace kiosk::calibration
