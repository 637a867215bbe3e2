// `kioskctl db status`: open (and, if needed, repair) the database and say
// what it holds. Repair = the same quarantine the kiosk does at start.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "core/storage/database.h"
#include "kioskctl/command.h"

namespace kiosk::ctl {

void register_db_commands(CLI::App& app, Context& ctx) {
  auto* db = app.add_subcommand("db", "The kiosk's database")->require_subcommand(1);
  auto* status = db->add_subcommand("status", "Open the database, migrate it, print a JSON summary");
  status->callback([&ctx] {
    const auto rt = ctx.start();
    storage::OpenReport report;
    auto database = storage::Database::open(rt.paths.data_dir / storage::kDatabaseFileName, &report);
    auto count = [&](const char* table) {
      return database.sql().execAndGet(std::string("SELECT count(*) FROM ") + table).getInt64();
    };
    nlohmann::json out{
        {"file", database.file().string()},           {"schema", database.schema_version()},
        {"schema_before_open", report.schema_before}, {"quarantined", report.quarantined},
        {"moved_to", report.moved_to.string()},       {"sessions", count("sessions")},
        {"calibrations", count("calibrations")},      {"audit_entries", count("audit_log")},
    };
    std::puts(out.dump(2).c_str());
    ctx.exit_code = kExitOk;
  });
}

}  // namespace kiosk::ctl
