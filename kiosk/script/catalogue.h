// The scripts the kiosk offers: every *.lua directly in the script folders
// (lib/ holds modules, not tests), each checked (syntax, metadata, api
// version). Invalid scripts are listed with their errors for staff and
// never offered to patients; the others keep working.
// Watching is polling driven by the caller (refresh(), e.g. once a second
// from the UI loop): no thread, no inotify descriptor to leak.
#pragma once
#include <filesystem>
#include <optional>
#include <set>
#include <vector>

#include "script/chart.h"
#include "script/limits.h"
#include "script/result.h"
#include "script/sandbox.h"
#include "script/script_error.h"

namespace kiosk::script {

struct CatalogueEntry {
  std::filesystem::path file;
  std::optional<TestInfo> info;       // set when the script is valid
  std::vector<ScriptError> problems;  // empty when valid
  std::filesystem::file_time_type modified{};
  std::uintmax_t size = 0;

  bool valid() const { return info.has_value() && problems.empty(); }
};

// What `require` may load for a script, the one rule for the kiosk and
// kioskctl: its own folder's lib/ first, then each script folder's lib/ in
// order (so a clinic's own folder uses the bundled kit and norms).
SandboxOptions script_options(const std::filesystem::path& file, const std::vector<std::filesystem::path>& script_dirs);

class Catalogue {
 public:
  Catalogue(std::vector<std::filesystem::path> script_dirs, Limits limits = {});

  // Checks every script again. A missing folder is logged, not fatal.
  void scan();
  // Rescans when a script or lib file was added, removed or changed since
  // the last scan; returns true when it did.
  bool refresh();

  const std::vector<CatalogueEntry>& entries() const { return entries_; }
  // Valid scripts in session order: screening, profile, then tests by `order`,
  // then id; tests a clinician switched off are left out.
  std::vector<const CatalogueEntry*> available() const;
  // Clinicians switch tests off and on (staff screen). Screening and profile
  // scripts cannot be switched off: a session never skips the red flags.
  // Returns false (and changes nothing) for those and for unknown ids.
  bool switch_off(std::string_view id, bool off);
  bool is_switched_off(std::string_view id) const { return switched_off_.count(std::string(id)) > 0; }
  const std::set<std::string>& switched_off() const { return switched_off_; }
  std::vector<const CatalogueEntry*> invalid() const;
  // Why no patient session may start: the safety screen (a valid script of
  // kind "screening", and no broken screening.lua beside it) is missing or
  // does not check clean — "file:line: message". Empty when sessions may start.
  std::string screening_problem() const;
  const CatalogueEntry* find(std::string_view id) const;
  // Every valid test's chart declaration (chart = kiosk.chart { ... }), by test id.
  ChartCatalogue charts() const;

  // How a script in this catalogue is run (script_options).
  SandboxOptions options_for(const std::filesystem::path& file) const;

 private:
  using Stamp = std::vector<std::pair<std::string, std::filesystem::file_time_type>>;
  Stamp stamp() const;

  std::vector<std::filesystem::path> dirs_;
  Limits limits_;
  std::vector<CatalogueEntry> entries_;
  Stamp last_stamp_;
  std::set<std::string> switched_off_;  // script ids; kept across scans
};

}  // namespace kiosk::script
