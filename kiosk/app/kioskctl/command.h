// How a `kioskctl` subcommand plugs in: each area registers its commands in
// its own file; main.cpp only lists the registrations.
#pragma once
#include <CLI/CLI.hpp>

#include <memory>

#include "app/services.h"
#include "app/startup.h"
#include "core/export/fhir_questionnaire.h"
#include "core/storage/database.h"

namespace kiosk::ctl {

struct Context {
  app::StartupOptions startup;  // --config, --data-dir
  int exit_code = 0;

  // Config + paths + logs (log lines go to the file; stderr only warnings).
  app::Runtime start() const;
  // The kiosk's own composition root (app/services.h) over start()'s
  // runtime, made on first use, once per kioskctl run: the plugins, plates,
  // calibrations and script catalogue exactly as the kiosk makes them.
  app::Services& services() const;

 private:
  mutable std::unique_ptr<app::Services> services_;
};

// The kiosk's database in the data dir, opened (and migrated, or a damaged
// file quarantined) the same way the kiosk does. Throws StorageError.
storage::Database open_database(const app::Runtime& rt);

// The installed scripts' Questionnaires: screening and profile, every script's with `all` (fhir_command.cpp).
records_export::QuestionnaireDefs installed_questionnaires(const app::Runtime& rt, bool all = false);

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;    // the command ran and found a problem
inline constexpr int kExitBadInput = 2;  // bad config, arguments or input files

void register_db_commands(CLI::App& app, Context& ctx);
void register_device_commands(CLI::App& app, Context& ctx);
void register_signal_commands(CLI::App& app, Context& ctx);     // metrics, detect
void register_script_commands(CLI::App& app, Context& ctx);     // script check | run
void register_session_commands(CLI::App& app, Context& ctx);    // session run
void register_staff_commands(CLI::App& app, Context& ctx);      // staff set-pin
void register_handout_commands(CLI::App& app, Context& ctx);    // handout plan | render | print
void register_records_commands(CLI::App& app, Context& ctx);    // records list | purge | wipe, audit list
void register_export_commands(CLI::App& app, Context& ctx);     // export
void register_calibrate_commands(CLI::App& app, Context& ctx);  // calibrate [check | status | history | certificate]
void register_fhir_commands(CLI::App& app, Context& ctx);  // fhir status | push | retry | drop | keygen | questionnaire

}  // namespace kiosk::ctl
