// `kioskctl fhir status|push|retry|drop|keygen`: the outbox to the clinic's
// FHIR server (storage/outbox.h, core/fhir/) for staff and clinic IT.
//   status                   the queue as JSON: counts, last error, parked items with the server's words
//   push                     tries every pending session once now (ignoring backoff); exit 0 only when
//                            nothing is left to send (pending or parked), else 1
//   retry --session N|--all  parked sessions back to the queue (audited)
//   drop --session N         a pending or parked session is never sent (audited)
//   keygen [--new]           this kiosk's SMART key (fhir.private_key_file, mode 0600); prints the
//                            public JWKS to register with the server (an existing key is kept)
//   questionnaire [--all]    the screening and profile Questionnaires (every script's with --all),
//                            generated from the installed scripts, as a "collection" Bundle; the
//                            sender sends the same ones ahead of the responses (export/fhir_bundle.h)
// Output is JSON on stdout; secrets are never printed.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "core/export/fhir_bundle.h"
#include "core/fhir/client_auth.h"
#include "core/fhir/fhir_sender.h"
#include "core/storage/outbox.h"
#include "kioskctl/command.h"
#include "script/questionnaire.h"
#include "script/session.h"

namespace kiosk::ctl {
namespace {

struct FhirArgs {
  std::int64_t session = 0;
  bool all_scripts = false;
  bool all = false;
  bool new_key = false;
};

// Runs `body` on the database; prints its JSON; a storage failure exits 1.
void with_db(Context& ctx, const std::function<nlohmann::json(const app::Runtime&, storage::Database&)>& body) {
  const auto rt = ctx.start();
  try {
    auto db = open_database(rt);
    std::puts(body(rt, db).dump(2).c_str());
  } catch (const storage::StorageError& e) {
    std::fprintf(stderr, "kioskctl: %s\n", e.what());
    ctx.exit_code = kExitFailed;
  }
}

nlohmann::json status_of(const Config& config, storage::Database& db) {
  storage::Outbox outbox(db);
  const auto s = outbox.summary();
  nlohmann::json parked = nlohmann::json::array();
  for (const auto& item : outbox.items("parked"))
    parked.push_back({{"session", item.session_id}, {"attempts", item.attempts}, {"reason", item.last_error}});
  return {{"base_url", config.fhir.base_url},
          {"auth", config.fhir.auth},
          {"pending", s.pending},
          {"parked", s.parked},
          {"sent", s.sent},
          {"dropped", s.dropped},
          {"last_error", s.last_error},
          {"last_error_at", s.last_error_at},
          {"last_sent_at", s.last_sent_at},
          {"next_attempt_at", s.next_attempt_at},
          {"parked_items", parked}};
}

int keygen(const app::Runtime& rt, bool new_key) {
  namespace fs = std::filesystem;
  const auto file = fhir::private_key_path(rt.config.fhir, rt.paths.data_dir);
  const auto algorithm = rt.config.fhir.key_algorithm;
  try {
    std::string pem;
    if (fs::exists(file) && !new_key) {
      std::ifstream in(file, std::ios::binary);
      pem.assign(std::istreambuf_iterator<char>(in), {});
      std::fprintf(stderr, "kioskctl: kept the existing key %s (--new replaces it)\n", file.string().c_str());
    } else {
      pem = fhir::generate_private_key_pem(algorithm);
      fs::create_directories(file.parent_path());
      fs::path tmp = file;
      tmp += ".part";
      {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write);
        out << pem;
        if (!out.flush()) throw std::runtime_error(tmp.string() + ": write failed");
      }
      fs::rename(tmp, file);
      auto db = open_database(rt);
      db.audit(storage::AuditKind::staff, "kioskctl", "fhir_key_made", fmt::format("algorithm={}", algorithm));
      std::fprintf(stderr, "kioskctl: made a new %s key in %s\n", algorithm.c_str(), file.string().c_str());
    }
    std::puts(fhir::public_jwks(pem, algorithm).dump(2).c_str());
    return kExitOk;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kioskctl: %s\n", e.what());
    return kExitFailed;
  }
}

int print_questionnaires(const app::Runtime& rt, bool all) {
  const auto defs = installed_questionnaires(rt, all);
  std::puts(records_export::questionnaire_bundle(defs).dump(2).c_str());
  return defs.empty() ? kExitFailed : kExitOk;
}

}  // namespace

records_export::QuestionnaireDefs installed_questionnaires(const app::Runtime& rt, bool all) {
  script::Catalogue catalogue(rt.paths.script_dirs);
  catalogue.scan();
  return script::questionnaires(catalogue, script::clinic_context(rt.config), all);
}

void register_fhir_commands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<FhirArgs>();
  auto* fhir =
      app.add_subcommand("fhir",
                         "The outbox to the clinic's FHIR server: status, push, retry, drop, keygen, questionnaire")
          ->require_subcommand(1);

  fhir->add_subcommand("status", "The queue as JSON: pending, parked (with the server's words), sent, last error")
      ->callback([&ctx] {
        with_db(ctx, [](const app::Runtime& rt, storage::Database& db) { return status_of(rt.config, db); });
      });

  fhir->add_subcommand("push", "Try every pending session once now; exit 0 only when nothing is left to send")
      ->callback([&ctx] {
        with_db(ctx, [&ctx](const app::Runtime& rt, storage::Database& db) {
          if (rt.config.fhir.base_url.empty())
            std::fputs("kioskctl: fhir.base_url is empty: nothing is sent\n", stderr);
          fhir::FhirSender sender(db, rt.config, rt.paths.data_dir, nullptr, installed_questionnaires(rt));
          const auto r = sender.push();
          db.audit(storage::AuditKind::records, "kioskctl", "fhir_push",
                   fmt::format("sent={} parked={} failed={} left={}", r.sent, r.parked, r.failed, r.left));
          ctx.exit_code = r.left == 0 ? kExitOk : kExitFailed;
          return nlohmann::json{{"sent", r.sent},
                                {"parked", r.parked},
                                {"failed", r.failed},
                                {"left", r.left},
                                {"stopped_by", r.stopped_by}};
        });
      });

  auto* retry = fhir->add_subcommand("retry", "Put parked sessions back in the queue (audited)");
  auto* one = retry->add_option("--session", args->session, "The session id (kioskctl fhir status lists them)");
  auto* all = retry->add_flag("--all", args->all, "Every parked session");
  one->excludes(all);
  retry->callback([&ctx, args] {
    if (!args->all && args->session <= 0) throw CLI::ValidationError("retry", "give --session N or --all");
    with_db(ctx, [&](const app::Runtime&, storage::Database& db) {
      const int n = storage::Outbox(db).retry(args->all ? std::nullopt : std::optional(args->session), "kioskctl");
      if (n == 0) ctx.exit_code = kExitFailed;
      return nlohmann::json{{"retried", n}};
    });
  });

  auto* drop = fhir->add_subcommand("drop", "Never send this session (audited)");
  drop->add_option("--session", args->session, "The session id")->required();
  drop->callback([&ctx, args] {
    with_db(ctx, [&](const app::Runtime&, storage::Database& db) {
      const bool dropped = storage::Outbox(db).drop(args->session, "kioskctl");
      if (!dropped) {
        std::fprintf(stderr, "kioskctl: session %lld is not waiting to be sent\n",
                     static_cast<long long>(args->session));
        ctx.exit_code = kExitFailed;
      }
      return nlohmann::json{{"dropped", dropped}};
    });
  });

  auto* key = fhir->add_subcommand("keygen", "Make this kiosk's SMART key; print the public JWKS to register");
  key->add_flag("--new", args->new_key, "Replace an existing key (the old one stops working once unregistered)");
  key->callback([&ctx, args] { ctx.exit_code = keygen(ctx.start(), args->new_key); });

  auto* questionnaire = fhir->add_subcommand(
      "questionnaire", "Print the screening and profile Questionnaires generated from the installed scripts (JSON)");
  questionnaire->add_flag("--all", args->all_scripts, "Every script's questions, the tests' too");
  questionnaire->callback([&ctx, args] { ctx.exit_code = print_questionnaires(ctx.start(), args->all_scripts); });
}

}  // namespace kiosk::ctl
