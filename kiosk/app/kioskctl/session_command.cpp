// `kioskctl session run --answers answers.json [--recording SCRIPT.SIDE=rec.csv]... [--lang es]`
// Runs screening, profile and every available test headless, answers keyed
// by script id ("knee_to_wall.left.distance_cm"), and prints the session
// JSON (see script/session.h). Exit 0; 1 when a script was unavailable
// (the session still ran and is printed); 2 for a bad answer or recording.
#include <fmt/format.h>

#include <cstdio>

#include "kioskctl/command.h"
#include "kioskctl/script_input.h"
#include "core/text_catalog.h"
#include "script/catalogue.h"
#include "script/session.h"

namespace kiosk::ctl {
namespace {

struct SessionArgs {
  std::filesystem::path answers;
  std::vector<std::string> recordings;  // SCRIPT.SIDE=rec.csv
  std::string lang = "en";
};

int run_session(const Context& ctx, const SessionArgs& args) {
  const auto rt = ctx.start();
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
  script::Catalogue catalogue(rt.paths.script_dirs);
  catalogue.scan();
  for (const auto& [key, file] : input.recordings) {
    const auto id = key.substr(0, key.find('.'));
    const auto side = key.substr(key.find('.') + 1);
    if (!catalogue.find(id))
      throw InputError(fmt::format("--recording {}={}: no script '{}' in the catalogue", key,
                                   file.string(), id));
    if (side != "left" && side != "right" && side != "both")
      throw InputError(fmt::format("--recording {}={}: SIDE is left, right or both", key, file.string()));
  }
  auto out = script::run_session(catalogue, input);
  if (out.input_error) {
    std::fprintf(stderr, "%s: %s\n", args.answers.string().c_str(), out.input_error->c_str());
    return kExitBadInput;
  }
  for (const auto& u : out.session["unavailable"])
    std::fprintf(stderr, "%s\n", u["error"].get<std::string>().c_str());
  std::puts(out.session.dump(2).c_str());
  return out.any_unavailable ? kExitFailed : kExitOk;
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
  run->add_option("--lang", args->lang, "Language of the interpretations (en, es)")
      ->check([](const std::string& l) { return is_supported_language(l) ? "" : "unsupported language"; });
  run->callback([&ctx, args] { ctx.exit_code = guarded([&] { return run_session(ctx, *args); }); });
}

}  // namespace kiosk::ctl
