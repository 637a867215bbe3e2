// `kioskctl export [--since DATE] --format fhir|csv [--out FILE]`: stored (default: every stored session)
// sessions for the clinic's records — a FHIR R4 Bundle (JSON) or a CSV
// table (core/export/). Without --out it goes to stdout; with --out the
// file is written whole (temp file + rename) and readable by its owner only.
// Each export is audited (format, since, count, never patient data). The
// visit code goes out only when the clinic turned it on (fhir.visit_code_as,
// off by default): the FHIR encounter or patient identifier, the CSV column.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>

#include "core/export/csv_table.h"
#include "core/export/fhir_bundle.h"
#include "kioskctl/command.h"
#include "kioskctl/since_option.h"

namespace kiosk::ctl {
namespace {

struct ExportArgs {
  std::string since;
  std::string format;
  std::filesystem::path out;
};

void write_whole(const std::filesystem::path& file, const std::string& text) {
  namespace fs = std::filesystem;
  fs::path tmp = file;
  tmp += ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw storage::StorageError(fmt::format("{}: cannot write", tmp.string()));
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write);
    out << text;
    out.flush();
    if (!out) throw storage::StorageError(fmt::format("{}: write failed (disk full?)", tmp.string()));
  }
  fs::rename(tmp, file);
}

int run_export(const Context& ctx, const ExportArgs& args) {
  const auto rt = ctx.start();
  const auto since = since_of(args.since);
  try {
    auto db = open_database(rt);
    storage::SessionStore store(db, rt.config);
    const auto sessions = store.count_since(since);
    const auto visit_code = records_export::visit_code_use(rt.config.fhir);  // off unless the clinic turned it on
    const std::string text =
        args.format == "fhir"
            ? records_export::fhir_bundle(store, since, kiosk::WallClock::now(), installed_questionnaires(rt),
                                          visit_code)
                      .dump(2) +
                  "\n"
            : records_export::csv_table(store, since, visit_code.as != records_export::VisitCodeUse::off);
    if (args.out.empty())
      std::fwrite(text.data(), 1, text.size(), stdout);
    else
      write_whole(args.out, text);
    db.audit(storage::AuditKind::records, "kioskctl", "records_exported",
             fmt::format("format={} since={} sessions={} to={}", args.format, kiosk::to_iso_utc(since), sessions,
                         args.out.empty() ? "stdout" : args.out.string()));
  } catch (const storage::StorageError& e) {
    std::fprintf(stderr, "kioskctl: %s\n", e.what());
    return kExitFailed;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "kioskctl: %s\n", e.what());
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

void register_export_commands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand("export", "Stored sessions as FHIR R4 (JSON Bundle) or CSV");
  add_since_option(cmd, args->since, false);  // none: everything kept
  cmd->add_option("--format", args->format, "fhir or csv")->required()->check(CLI::IsMember({"fhir", "csv"}));
  cmd->add_option("--out", args->out, "Write to this file (default: stdout)");
  cmd->callback([&ctx, args] { ctx.exit_code = run_export(ctx, *args); });
}

}  // namespace kiosk::ctl
