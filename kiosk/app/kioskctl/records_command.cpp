// `kioskctl records list|purge|wipe` and `kioskctl audit list`: the stored
// sessions and the audit log, for staff and clinic IT. Every change is
// audited; the output is JSON.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "core/storage/audit_log.h"
#include "core/storage/session_store.h"
#include "kioskctl/command.h"
#include "kioskctl/since_option.h"

namespace kiosk::ctl {
namespace {

struct RecordsArgs {
  std::string since;
  bool yes = false;
  int limit = 1000;
};

// Runs `body` with the store; a storage failure is printed and exits 1.
void with_store(Context& ctx, const std::function<nlohmann::json(storage::Database&, storage::SessionStore&)>& body) {
  const auto rt = ctx.start();
  try {
    auto db = open_database(rt);
    storage::SessionStore store(db, rt.config);
    std::puts(body(db, store).dump(2).c_str());
    ctx.exit_code = kExitOk;
  } catch (const storage::StorageError& e) {
    std::fprintf(stderr, "kioskctl: %s\n", e.what());
    ctx.exit_code = kExitFailed;
  }
}

nlohmann::json summary(const storage::StoredSession& s) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : s.findings) findings.push_back(f.id);
  return {{"id", s.id},
          {"started_at", s.started_at},
          {"ended_at", s.ended_at},
          {"language", s.language},
          {"visit_code", s.visit_code},
          {"outcome", s.outcome},
          {"print_status", s.print_status},
          {"measures", s.measures.size()},
          {"findings", findings},
          {"handout", s.has_handout}};
}

}  // namespace

void register_records_commands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RecordsArgs>();
  auto* records = app.add_subcommand("records", "Stored sessions: list, apply retention, wipe")->require_subcommand(1);

  auto* list = records->add_subcommand("list", "Print a JSON summary of each stored session");
  add_since_option(list, args->since, false);
  list->callback([&ctx, args] {
    with_store(ctx, [&](storage::Database&, storage::SessionStore& store) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& s : store.sessions_since(since_of(args->since))) out.push_back(summary(s));
      return out;
    });
  });

  auto* purge = records->add_subcommand("purge", "Delete sessions older than records.retention_days now");
  purge->callback([&ctx] {
    with_store(ctx, [&](storage::Database&, storage::SessionStore& store) {
      return nlohmann::json{{"deleted", store.purge_expired(kiosk::WallClock::now(), "kioskctl")}};
    });
  });

  auto* wipe = records->add_subcommand("wipe", "Delete every stored session and handout (needs --yes)");
  wipe->add_flag("--yes", args->yes, "Yes, delete all of them");
  wipe->callback([&ctx, args] {
    if (!args->yes) {
      std::fputs("kioskctl: records wipe deletes every stored session; add --yes to do it\n", stderr);
      ctx.exit_code = kExitBadInput;
      return;
    }
    with_store(ctx, [&](storage::Database&, storage::SessionStore& store) {
      return nlohmann::json{{"deleted", store.wipe_all("kioskctl")}};
    });
  });

  auto* audit = app.add_subcommand("audit", "The audit log: staff actions, scripts, devices, calibrations")
                    ->require_subcommand(1);
  auto* audit_list = audit->add_subcommand("list", "Print audit entries as JSON, oldest first");
  add_since_option(audit_list, args->since, false);
  audit_list->add_option("--limit", args->limit, "At most this many (the newest)")->check(CLI::Range(1, 1000000));
  audit_list->callback([&ctx, args] {
    with_store(ctx, [&](storage::Database& db, storage::SessionStore&) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : storage::read_audit(db, since_of(args->since), args->limit))
        out.push_back({{"id", e.id},
                       {"at", e.at},
                       {"kind", e.kind},
                       {"actor", e.actor},
                       {"event", e.event},
                       {"detail", e.detail}});
      return out;
    });
  });
}

CLI::Option* add_since_option(CLI::App* cmd, std::string& text, bool required) {
  auto* opt = cmd->add_option("--since", text, "UTC date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM:SSZ)")
                  ->check([](const std::string& t) {
                    return kiosk::parse_iso_utc(t) ? "" : "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ";
                  });
  if (required) opt->required();
  return opt;
}

kiosk::WallClock::time_point since_of(const std::string& text) {
  return text.empty() ? kiosk::WallClock::time_point{} : *kiosk::parse_iso_utc(text);
}

}  // namespace kiosk::ctl
