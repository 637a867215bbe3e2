#include "media/illustration_set.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>

namespace kiosk::media {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const toml::source_region& where, std::string_view key,
                       std::string_view problem) {
  throw IllustrationError(fmt::format("{}:{}: {}: {}", file.string(), where.begin.line, key, problem));
}

std::filesystem::path svg_in(const std::filesystem::path& file, const toml::node* node, std::string_view key) {
  const auto name = node ? node->value<std::string>() : std::nullopt;
  const auto where = node ? node->source() : toml::source_region{};
  if (!name || name->empty() || name->find('/') != std::string::npos)
    fail(file, where, key, "must name an SVG file in the same folder");
  const auto svg = file.parent_path() / *name;
  if (!std::filesystem::is_regular_file(svg))
    fail(file, where, key, fmt::format("no {} (redraw with draw_figures.py)", *name));
  return svg;
}

}  // namespace

int Illustration::loop_ms() const {
  int total = 0;
  for (const auto& f : frames) total += f.ms;
  return total;
}

Illustration load_illustration(const std::filesystem::path& dir, const std::string& id) {
  const auto file = dir / id / "illustration.toml";
  if (id.empty() || id.find('/') != std::string::npos || id.front() == '.' || !std::filesystem::is_regular_file(file))
    throw IllustrationError(fmt::format("no illustration \"{}\" (looked for {})", id, file.string()));
  toml::table doc;
  try {
    doc = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    fail(file, e.source(), "toml", e.description());
  }
  if (doc["version"].value<int64_t>() != 1) fail(file, doc.source(), "version", "must be 1");
  Illustration out;
  out.id = id;
  out.still = svg_in(file, doc.get("still"), "still");
  const auto loops = doc["loops"].value<int64_t>();
  if (!loops || *loops < 1 || *loops > 20) fail(file, doc.source(), "loops", "must be a whole number from 1 to 20");
  out.loops = static_cast<int>(*loops);
  const auto* frames = doc["frames"].as_array();
  if (!frames || frames->empty()) fail(file, doc.source(), "frames", "give at least one frame");
  for (const auto& item : *frames) {
    const auto* t = item.as_table();
    if (!t) fail(file, item.source(), "frames", "each frame is { svg = \"...\", ms = N }");
    const auto ms = (*t)["ms"].value<int64_t>();
    if (!ms || *ms < 10 || *ms > 10000) fail(file, t->source(), "frames.ms", "must be a whole number from 10 to 10000");
    out.frames.push_back({svg_in(file, t->get("svg"), "frames.svg"), static_cast<int>(*ms)});
  }
  return out;
}

std::vector<std::filesystem::path> illustration_dirs(const std::filesystem::path& assets_dir,
                                                     const std::vector<std::filesystem::path>& script_dirs) {
  std::vector<std::filesystem::path> out{assets_dir / "illustrations"};
  for (const auto& dir : script_dirs) out.push_back(dir / "illustrations");
  return out;
}

Illustration load_illustration(const std::vector<std::filesystem::path>& dirs, const std::string& id) {
  for (const auto& dir : dirs)
    if (!id.empty() && id.find('/') == std::string::npos && std::filesystem::is_directory(dir / id))
      return load_illustration(dir, id);
  std::vector<std::string> looked;
  for (const auto& dir : dirs) looked.push_back(dir.string());
  throw IllustrationError(fmt::format("no illustration \"{}\" (looked in {})", id, fmt::join(looked, ", ")));
}

std::vector<std::string> illustration_ids(const std::vector<std::filesystem::path>& dirs) {
  std::vector<std::string> out;
  for (const auto& dir : dirs)
    for (auto& id : illustration_ids(dir)) out.push_back(std::move(id));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> illustration_ids(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_directory() && std::filesystem::is_regular_file(e.path() / "illustration.toml"))
      out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace kiosk::media
