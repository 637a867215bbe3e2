// `kioskctl session run --answers answers.json [--recording SCRIPT.SIDE=rec.csv]... [--lang es]
//   [--store [--visit-code C] [--outcome O] [--plan plan.json] [--handout-pdf h.pdf]
//    [--print-status S] [--ended-at ISO]]`
// Runs screening, profile and every available test headless, answers keyed
// by script id ("knee_to_wall.left.distance_cm"), and prints the session
// document (see core/session/session_json.h). With --store the session is committed to the
// database like the kiosk does (storage/session_store.h) and stderr says
// "session stored id=N" (or that records.store = none kept nothing).
// Exit 0; 1 when a script was unavailable (the session still ran and is
// printed) or storing failed; 2 for a bad answer, recording or option.
#include <fmt/format.h>

#include <cstdio>

#include "core/session/session_json.h"
#include "core/storage/session_store.h"
#include "core/text_catalog.h"
#include "kioskctl/command.h"
#include "kioskctl/script_input.h"
#include "script/catalogue.h"
#include "script/run_session.h"
#include "script/session.h"

namespace kiosk::ctl {
namespace {

struct SessionArgs {
  std::filesystem::path answers;
  std::vector<std::string> recordings;  // SCRIPT.SIDE=rec.csv
  std::string lang = "en";
  // --store and what goes with it
  bool store = false;
  std::string visit_code;
  std::string outcome;  // empty: from the session's safety state (completed, red_flag or unscreened)
  std::filesystem::path plan;
  std::filesystem::path handout_pdf;
  std::string print_status = "none";
  std::string ended_at;  // empty: now
};

// Commits the session as the kiosk would; the record's parts come from the options.
int store_session(const app::Runtime& rt, const SessionArgs& args, const session::Session& session,
                  kiosk::WallClock::time_point started) {
  auto ended = kiosk::WallClock::now();
  if (!args.ended_at.empty()) {
    auto t = kiosk::parse_iso_utc(args.ended_at);
    if (!t) throw InputError(fmt::format("--ended-at {}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", args.ended_at));
    started = ended = *t;
  }
  auto record = storage::record_of(session, "finished", started, ended);
  if (!args.outcome.empty()) record.outcome = *storage::parse_outcome(args.outcome);
  if (!args.visit_code.empty()) record.visit_code = args.visit_code;
  if (!args.plan.empty()) record.plan = read_json_file(args.plan, "plan file").dump();
  if (!args.handout_pdf.empty()) record.handout_pdf = read_bytes_file(args.handout_pdf, "handout PDF");
  record.print = *storage::parse_print_status(args.print_status);

  try {
    auto db = open_database(rt);
    storage::SessionStore store(db, rt.config);
    const auto id = store.commit(record);
    if (id)
      std::fprintf(stderr, "session stored id=%lld\n", static_cast<long long>(*id));
    else
      std::fputs("session not stored: records.store = \"none\" in the config\n", stderr);
  } catch (const storage::StorageError& e) {
    std::fprintf(stderr, "kioskctl: %s\n", e.what());
    return kExitFailed;
  }
  return kExitOk;
}

int run_session(const Context& ctx, const SessionArgs& args) {
  const auto started = kiosk::WallClock::now();
  const auto& rt = ctx.services().runtime();
  if (!args.visit_code.empty() && !storage::is_valid_visit_code(args.visit_code))
    throw InputError(
        fmt::format("--visit-code {}: 3 to 20 letters, digits or '-', with at least one digit", args.visit_code));
  script::SessionInput input;
  input.answers = read_answers_file(args.answers);
  input.lang = args.lang;
  input.detectors = script::built_in_detectors();
  for (const auto& spec : args.recordings) {
    auto [key, file] = parse_recording(spec);
    if (key.find('.') == std::string::npos)
      throw InputError(fmt::format("--recording {}: expected SCRIPT.SIDE=file", spec));
    input.recordings[key] = file;
  }
  const auto& catalogue = ctx.services().catalogue();
  for (const auto& [key, file] : input.recordings) {
    const auto id = key.substr(0, key.find('.'));
    const auto side = key.substr(key.find('.') + 1);
    if (!catalogue.find(id))
      throw InputError(fmt::format("--recording {}={}: no script '{}' in the catalogue", key, file.string(), id));
    if (side != "left" && side != "right" && side != "both")
      throw InputError(fmt::format("--recording {}={}: SIDE is left, right or both", key, file.string()));
  }
  input.clinic = script::clinic_context(rt.config);
  auto out = script::run_session(catalogue, input);
  if (out.input_error) {
    std::fprintf(stderr, "%s: %s\n", args.answers.string().c_str(), out.input_error->c_str());
    return kExitBadInput;
  }
  for (const auto& u : out.session.unavailable) std::fprintf(stderr, "%s\n", u.error.c_str());
  std::puts(session::to_json(out.session).dump(2).c_str());
  std::fflush(stdout);
  const int stored = args.store ? store_session(rt, args, out.session, started) : kExitOk;
  return out.any_unavailable ? kExitFailed : stored;
}

}  // namespace

void register_session_commands(CLI::App& app, Context& ctx) {
  auto* session = app.add_subcommand("session", "Whole assessments, headless")->require_subcommand(1);
  auto args = std::make_shared<SessionArgs>();
  auto* run = session->add_subcommand(
      "run", "Run screening, profile and the tests from one answers file; print the session JSON");
  run->add_option("--answers", args->answers,
                  "JSON answers keyed SCRIPT.ASK_ID, e.g. {\"knee_to_wall.left.distance_cm\": 9.5}")
      ->required();
  run->add_option("--recording", args->recordings,
                  "SCRIPT.SIDE=rec.csv: serve that script's captures of that side from a recording");
  run->add_option("--lang", args->lang, "Language of the interpretations (en, es)")->check([](const std::string& l) {
    return is_supported_language(l) ? "" : "unsupported language";
  });
  run->add_flag("--store", args->store, "Commit the session to the database, as the kiosk does");
  run->add_option("--visit-code", args->visit_code, "With --store: the visit code from reception (no names)");
  run->add_option("--outcome", args->outcome, "With --store: completed, red_flag, unscreened, cancelled or timed_out")
      ->check(CLI::IsMember({"completed", "red_flag", "unscreened", "cancelled", "timed_out"}));
  run->add_option("--plan", args->plan, "With --store: the handout plan (JSON file)");
  run->add_option("--handout-pdf", args->handout_pdf, "With --store: the handout PDF to keep with the session");
  run->add_option("--print-status", args->print_status, "With --store: none, pending, printed, saved or failed")
      ->check(CLI::IsMember({"none", "pending", "printed", "saved", "failed"}));
  run->add_option("--ended-at", args->ended_at, "With --store: when the session ended (UTC ISO 8601; tests, imports)");
  run->callback([&ctx, args] { ctx.exit_code = guarded([&] { return run_session(ctx, *args); }); });
}

}  // namespace kiosk::ctl
