// `kioskctl script check FILE...`, `script run FILE ...` and `script list`:
// the clinician's way to test a script headless, exactly as the kiosk runs it.
//   check: one "file:line: message" per problem on stdout; exit 1 if any.
//          Also "file:line: warning: ..." for an illustration or sound id
//          (a literal) that neither the assets nor the script's folder have:
//          the kiosk still offers the script, so a warning fails nothing.
//   list:  the catalogue of the configured script folders as JSON (what
//          patients are offered, in order, and what is invalid and why,
//          with the same warnings as check); exit 1 if any script is invalid.
//   run:   the result JSON on stdout; a script error as "file:line: message"
//          on stderr (exit 1); a bad answer or recording names its id (exit 2).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>

#include "core/session/session_json.h"
#include "core/text_catalog.h"
#include "kioskctl/command.h"
#include "kioskctl/script_input.h"
#include "media/media_refs.h"
#include "script/capture.h"
#include "script/catalogue.h"
#include "script/rules.h"
#include "script/runner.h"

namespace kiosk::ctl {
namespace {

// As the kiosk's catalogue runs it (script::script_options).
script::SandboxOptions options_for(const std::filesystem::path& file, const Paths& paths) {
  return script::script_options(file, paths.script_dirs);
}

struct RunArgs {
  std::filesystem::path file;
  std::filesystem::path answers;
  std::vector<std::string> recordings;  // SIDE=rec.csv
  std::string lang = "en";
};

int run_one(const Context& ctx, const RunArgs& args) {
  const auto rt = ctx.start();
  const auto answers = read_answers_file(args.answers);  // throws InputError
  script::RunContext context;
  context.lang = args.lang;
  if (auto p = answers.sections.find("profile"); p != answers.sections.end()) context.profile = p->second;
  std::map<std::string, std::filesystem::path> recordings;
  for (const auto& spec : args.recordings) {
    auto [side, file] = parse_recording(spec);
    if (side != "left" && side != "right" && side != "both")
      throw InputError(fmt::format("--recording {}: SIDE is left, right or both", spec));
    recordings[side] = file;
  }
  std::unique_ptr<script::CaptureHost> captures;
  if (recordings.empty())
    captures = std::make_unique<script::NoPlate>();
  else
    captures = std::make_unique<script::RecordingCaptureHost>(std::move(recordings), script::built_in_detectors());
  script::BookAnswers source(answers);
  auto out = script::run_script(args.file, options_for(args.file, rt.paths), context, source, *captures);
  if (out.script_error) {
    std::fprintf(stderr, "%s\n", out.script_error->to_string().c_str());
    return kExitFailed;
  }
  if (out.input_error) {
    std::fprintf(stderr, "%s: %s\n", args.answers.string().c_str(), out.input_error->c_str());
    return kExitBadInput;
  }
  for (const auto& key : source.unused_keys())
    std::fprintf(stderr, "%s: warning: answer '%s' was not asked for\n", args.answers.string().c_str(), key.c_str());
  std::puts(session::to_json(script::to_part(*out.result, args.lang)).dump(2).c_str());
  return kExitOk;
}

nlohmann::json entry_json(const script::CatalogueEntry& e, const std::filesystem::path& assets_dir) {
  nlohmann::json j{{"file", e.file.string()}, {"valid", e.valid()}};
  if (e.info) {
    j["id"] = e.info->id;
    j["version"] = e.info->version;
    j["kind"] = e.info->kind;
    j["order"] = e.info->order;
    j["plate"] = std::string(script::to_string(e.info->plate));
    j["title"] = e.info->title.by_lang;
  }
  auto errors = nlohmann::json::array();
  for (const auto& p : e.problems) errors.push_back(p.to_string());
  j["errors"] = errors;
  j["warnings"] = media::unknown_media_ids(e.file, assets_dir);
  return j;
}

}  // namespace

void register_script_commands(CLI::App& app, Context& ctx) {
  auto* script = app.add_subcommand("script", "Check and run assessment scripts (Lua)")->require_subcommand(1);

  auto files = std::make_shared<std::vector<std::filesystem::path>>();
  auto* check = script->add_subcommand(
      "check", "Check scripts: syntax, metadata, api version. One 'file:line: message' per problem");
  check->add_option("FILE", *files, "Script files")->required()->check(CLI::ExistingFile);
  check->callback([&ctx, files] {
    const auto rt = ctx.start();
    int problems = 0, warnings = 0;
    for (const auto& file : *files) {
      // handout.lua is a rules file, not a test: checked as rules.
      const auto found = script::is_rules_file(file) ? script::check_rules_file(file, options_for(file, rt.paths))
                                                     : script::check_script(file, options_for(file, rt.paths));
      for (const auto& p : found) {
        std::puts(p.to_string().c_str());
        ++problems;
      }
      for (const auto& w : media::unknown_media_ids(file, rt.paths.assets_dir)) {
        std::puts(w.c_str());
        ++warnings;
      }
    }
    std::fprintf(stderr, "%zu script(s) checked, %d problem(s), %d warning(s)\n", files->size(), problems, warnings);
    ctx.exit_code = problems ? kExitFailed : kExitOk;
  });

  auto* list = script->add_subcommand("list", "The script catalogue as JSON: available in order, then invalid");
  list->callback([&ctx] {
    const auto rt = ctx.start();
    script::Catalogue catalogue(rt.paths.script_dirs);
    catalogue.scan();
    nlohmann::json out{{"available", nlohmann::json::array()}, {"invalid", nlohmann::json::array()}};
    for (const auto* e : catalogue.available()) out["available"].push_back(entry_json(*e, rt.paths.assets_dir));
    for (const auto* e : catalogue.invalid()) out["invalid"].push_back(entry_json(*e, rt.paths.assets_dir));
    std::puts(out.dump(2).c_str());
    ctx.exit_code = catalogue.invalid().empty() ? kExitOk : kExitFailed;
  });

  auto args = std::make_shared<RunArgs>();
  auto* run = script->add_subcommand("run", "Run one script headless from an answers file; print the result JSON");
  run->add_option("FILE", args->file, "Script file")->required()->check(CLI::ExistingFile);
  run->add_option("--answers", args->answers, "JSON answers keyed by ask id, e.g. {\"left.distance_cm\": [8, 9.5]}")
      ->required();
  run->add_option("--recording", args->recordings, "SIDE=rec.csv: serve that side's captures from a recording");
  run->add_option("--lang", args->lang, "Language of the interpretation (en, es)")->check([](const std::string& l) {
    return is_supported_language(l) ? "" : "unsupported language";
  });
  run->callback([&ctx, args] { ctx.exit_code = guarded([&] { return run_one(ctx, *args); }); });
}

}  // namespace kiosk::ctl
