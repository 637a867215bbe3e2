// How a `kioskctl` subcommand plugs in: each area registers its commands in
// its own file; main.cpp only lists the registrations.
#pragma once
#include <CLI/CLI.hpp>

#include "app/startup.h"

namespace kiosk::ctl {

struct Context {
  app::StartupOptions startup;  // --config, --data-dir
  int exit_code = 0;

  // Config + paths + logs (log lines go to the file; stderr only warnings).
  app::Runtime start() const;
};

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;     // the command ran and found a problem
inline constexpr int kExitBadInput = 2;   // bad config, arguments or input files

void register_db_commands(CLI::App& app, Context& ctx);
void register_device_commands(CLI::App& app, Context& ctx);
void register_signal_commands(CLI::App& app, Context& ctx);  // metrics, detect
void register_script_commands(CLI::App& app, Context& ctx);   // script check | run
void register_session_commands(CLI::App& app, Context& ctx);  // session run
void register_staff_commands(CLI::App& app, Context& ctx);    // staff set-pin
void register_handout_commands(CLI::App& app, Context& ctx);  // handout plan | render | print

}  // namespace kiosk::ctl
