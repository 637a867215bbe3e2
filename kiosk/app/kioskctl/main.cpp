// `kioskctl`: the headless face of the kiosk — scripts, devices, metrics,
// calibration, handouts, export. Every integration test can drive it.
#include <fmt/format.h>

#include <cstdio>

#include "core/version.h"
#include "kiosk_plate.h"
#include "kioskctl/command.h"
#include "script/api_version.h"

namespace kiosk::ctl {

app::Runtime Context::start() const {
  app::StartupOptions o = startup;
  o.log_file = "kioskctl.log";
  o.stderr_level = "warn";  // stdout/stderr are the tool's own; the file gets everything
  return app::start(o);
}

app::Services& Context::services() const {
  if (!services_) services_ = std::make_unique<app::Services>(start());
  return *services_;
}

storage::Database open_database(const app::Runtime& rt) {
  storage::OpenReport report;
  auto db = storage::Database::open(rt.paths.data_dir / storage::kDatabaseFileName, &report);
  if (report.quarantined)
    std::fprintf(stderr, "kioskctl: the database was damaged and moved aside to %s; a new one was made\n",
                 report.moved_to.string().c_str());
  return db;
}

}  // namespace kiosk::ctl

int main(int argc, char** argv) {
  using namespace kiosk;
  ctl::Context ctx;
  CLI::App cli{"kioskctl: headless tools for the heel-pain kiosk (scripts, devices, records)."};
  cli.require_subcommand(0, 1);
  cli.add_option("--config", ctx.startup.config_file, "Config file (TOML)");
  cli.add_option("--data-dir", ctx.startup.data_dir, "Data folder (database, logs, handouts)");
  cli.set_version_flag("--version", fmt::format("kioskctl {}\nplugin ABI {}\nscript API {}", kProgramVersion,
                                                KIOSK_PLATE_ABI_VERSION, script::kApiVersion));

  ctl::register_db_commands(cli, ctx);
  ctl::register_device_commands(cli, ctx);
  ctl::register_signal_commands(cli, ctx);
  ctl::register_script_commands(cli, ctx);
  ctl::register_session_commands(cli, ctx);
  ctl::register_staff_commands(cli, ctx);
  ctl::register_handout_commands(cli, ctx);
  ctl::register_records_commands(cli, ctx);
  ctl::register_export_commands(cli, ctx);
  ctl::register_calibrate_commands(cli, ctx);
  ctl::register_fhir_commands(cli, ctx);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);  // prints help, the version, or what was wrong
    return code == 0 ? ctl::kExitOk : ctl::kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kioskctl: %s\n", e.what());
    return ctl::kExitBadInput;
  }
  if (cli.get_subcommands().empty()) {
    std::fputs(cli.help().c_str(), stdout);
    return ctl::kExitOk;
  }
  return ctx.exit_code;
}
