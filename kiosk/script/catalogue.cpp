#include "script/catalogue.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/log.h"
#include "script/rules.h"
#include "script/runner.h"

namespace kiosk::script {
namespace {

int kind_rank(const std::string& kind) {
  if (kind == "screening") return 0;
  if (kind == "profile") return 1;
  return 2;
}

std::vector<std::filesystem::path> lua_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".lua" && it->is_regular_file(ec) && !is_rules_file(it->path()))
      files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Catalogue::Catalogue(std::vector<std::filesystem::path> script_dirs, Limits limits)
    : dirs_(std::move(script_dirs)), limits_(limits) {}

SandboxOptions script_options(const std::filesystem::path& file,
                              const std::vector<std::filesystem::path>& script_dirs) {
  SandboxOptions o;
  o.lib_dirs.push_back(file.parent_path() / "lib");
  for (const auto& dir : script_dirs)
    if (dir / "lib" != o.lib_dirs.front()) o.lib_dirs.push_back(dir / "lib");
  return o;
}

SandboxOptions Catalogue::options_for(const std::filesystem::path& file) const {
  auto o = script_options(file, dirs_);
  o.limits = limits_;
  return o;
}

Catalogue::Stamp Catalogue::stamp() const {
  Stamp s;
  std::error_code ec;
  for (const auto& dir : dirs_) {
    for (const auto& sub : {dir, dir / "lib"})
      for (const auto& f : lua_files(sub)) {
        auto t = std::filesystem::last_write_time(f, ec);
        s.emplace_back(f.string() + "#" + std::to_string(ec ? 0 : std::filesystem::file_size(f, ec)), t);
      }
  }
  return s;
}

void Catalogue::scan() {
  auto log = log::get("script");
  last_stamp_ = stamp();
  entries_.clear();
  for (const auto& dir : dirs_) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      log->warn("catalogue: script folder {} does not exist", dir.string());
      continue;
    }
    for (const auto& file : lua_files(dir)) {
      CatalogueEntry e;
      e.file = file;
      e.modified = std::filesystem::last_write_time(file, ec);
      e.size = std::filesystem::file_size(file, ec);
      TestInfo info;
      e.problems = check_script(file, options_for(file), &info);
      if (e.problems.empty()) {
        if (const auto* other = find(info.id))
          e.problems.push_back(
              {file.string(), 0, fmt::format("id '{}' is already used by {}", info.id, other->file.string())});
        else
          e.info = std::move(info);
      }
      for (const auto& p : e.problems) log->warn("catalogue: invalid script: {}", p.to_string());
      entries_.push_back(std::move(e));
    }
  }
  log->info("catalogue: {} scripts, {} available", entries_.size(), available().size());
}

bool Catalogue::refresh() {
  if (stamp() == last_stamp_) return false;
  scan();
  return true;
}

std::vector<const CatalogueEntry*> Catalogue::available() const {
  std::vector<const CatalogueEntry*> out;
  for (const auto& e : entries_)
    if (e.valid() && !is_switched_off(e.info->id)) out.push_back(&e);
  std::stable_sort(out.begin(), out.end(), [](const CatalogueEntry* a, const CatalogueEntry* b) {
    const auto key = [](const CatalogueEntry* e) {
      return std::tuple(kind_rank(e->info->kind), e->info->order, e->info->id);
    };
    return key(a) < key(b);
  });
  return out;
}

bool Catalogue::switch_off(std::string_view id, bool off) {
  const auto* entry = find(id);
  if (!entry || entry->info->kind != "test") return false;
  if (off)
    switched_off_.insert(std::string(id));
  else
    switched_off_.erase(std::string(id));
  return true;
}

std::vector<const CatalogueEntry*> Catalogue::invalid() const {
  std::vector<const CatalogueEntry*> out;
  for (const auto& e : entries_)
    if (!e.valid()) out.push_back(&e);
  return out;
}

std::string Catalogue::screening_problem() const {
  for (const auto& e : entries_)
    if (!e.valid() && e.file.stem() == "screening")
      return e.problems.empty() ? e.file.string() + ": not a valid script" : e.problems.front().to_string();
  for (const auto& e : entries_)
    if (e.valid() && e.info->kind == "screening") return {};
  std::string where;
  for (const auto& d : dirs_) where += (where.empty() ? "" : ", ") + d.string();
  return fmt::format("no screening script (kind = \"screening\") in {}", where.empty() ? "no script folder" : where);
}

const CatalogueEntry* Catalogue::find(std::string_view id) const {
  for (const auto& e : entries_)
    if (e.info && e.info->id == id) return &e;
  return nullptr;
}

ChartCatalogue Catalogue::charts() const {
  ChartCatalogue out;
  for (const auto& e : entries_)
    if (e.valid() && e.info->chart) out.emplace(e.info->id, ChartedTest{e.info->title, *e.info->chart});
  return out;
}

}  // namespace kiosk::script
